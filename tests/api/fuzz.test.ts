import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

/**
 * Property-based fuzzing of the participant intake and the staff endpoints: whatever arrives —
 * malformed JSON, huge strings, deep nesting, wrong types, unknown fields, SQL- and script-looking
 * strings — the answer is a 4xx problem+json with a message, never a 500, and nothing is stored.
 */
const TABLES = ['organisations', 'users', 'api_tokens', 'sessions', 'questionnaires', 'questionnaire_versions', 'studies', 'waves', 'invitations', 'responses', 'study_grants'];
const answers = { ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 1 };

const nasty = fc.constantFrom(
  "'; drop table responses; --",
  "1' or '1'='1",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '=HYPERLINK("http://evil")',
  '${7*7}',
  '\u0000',
  '\uD800',
  '../../etc/passwd',
  '{{constructor.constructor("return 1")()}}',
  '__proto__',
);
const text = fc.oneof(nasty, fc.string({ maxLength: 50 }), fc.string({ unit: 'grapheme', maxLength: 30 }));
const wrongType = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(text, fc.integer(), { maxKeys: 3 }), fc.double());
const deep = fc.integer({ min: 100, max: 20_000 }).map((d) => ({ raw: `${'['.repeat(d)}1${']'.repeat(d)}` }));
const huge = fc.integer({ min: 20_000, max: 400_000 }).map((n) => 'あ'.repeat(n));

type Body = { raw: string } | Record<string, unknown> | unknown[] | null | number | string;

function encode(body: Body): string {
  if (body && typeof body === 'object' && 'raw' in body && typeof body.raw === 'string' && Object.keys(body).length === 1) return body.raw;
  return JSON.stringify(body, (_k, v) => (v && typeof v === 'object' && 'raw' in v && Object.keys(v).length === 1 ? '__DEEP__' : v)).replace(
    /"__DEEP__"/g,
    () => `${'['.repeat(5000)}${']'.repeat(5000)}`,
  );
}

/** Bodies that must be refused, built from a valid one: each mutation breaks it for sure. */
function badBodies(valid: Record<string, unknown>, stringFields: string[]) {
  const keys = Object.keys(valid);
  return fc.oneof(
    fc.string({ maxLength: 60 }).map((s) => ({ raw: `{${s}` })),
    fc.oneof(fc.integer(), text, fc.constant(null), fc.array(fc.anything(), { maxLength: 3 })).map((v) => ({ raw: JSON.stringify(v) ?? 'undefined' })),
    fc.tuple(text.filter((k) => !keys.includes(k) && k !== "__proto__"), fc.oneof(fc.anything(), nasty, deep).filter((v) => v !== undefined)).map(([k, v]) => ({ ...valid, [k]: v })),
    fc.tuple(fc.constantFrom(...stringFields), wrongType).map(([k, v]) => ({ ...valid, [k]: v })),
    fc.tuple(fc.constantFrom(...stringFields), huge).map(([k, v]) => ({ ...valid, [k]: v })),
    fc.tuple(fc.constantFrom(...stringFields), deep).map(([k, v]) => ({ ...valid, [k]: v })),
    deep,
  );
}

describeEachDatabase('fuzzing: bad input gets a clear 4xx and changes nothing', (kind) => {
  const t = useTestApp(kind);

  const counts = async () => {
    const out: Record<string, number> = {};
    for (const table of TABLES) out[table] = Number((await t.database.rows<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0].n);
    return out;
  };

  async function expectRefused(res: Response, what: string) {
    const body = await res.text();
    expect(res.status, `${what}: ${body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
    expect(res.status, `${what}: ${body.slice(0, 300)}`).toBeLessThan(500);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = JSON.parse(body);
    expect(typeof (problem.detail ?? problem.title)).toBe('string');
    expect((problem.detail ?? problem.title).length).toBeGreaterThan(3);
  }

  it('participant intake (open link)', async () => {
    const wave = await openWave(t, ['ucla3-national']);
    const before = await counts();
    const intakeBodies = fc.oneof(
      badBodies({ idempotencyKey: 'fuzz-valid-0001', answers }, ['idempotencyKey', 'answers', 'status', 'participantCode', 'lastPage']),
      // answers that survey-core must refuse: unknown questions and values that are not choices
      fc.tuple(fc.oneof(nasty, fc.string({ minLength: 1, maxLength: 40 })).filter((k) => !(k in answers) && k !== "__proto__"), fc.anything().filter((v) => v !== undefined)).map(([k, v]) => ({ idempotencyKey: 'fuzz-answer-0001', answers: { ...answers, [k]: v } })),
      fc.tuple(fc.constantFrom(...Object.keys(answers)), fc.oneof(nasty, fc.integer({ min: 5 }), fc.array(fc.integer(), { minLength: 1, maxLength: 3 }), deep)).map(([k, v]) => ({ idempotencyKey: 'fuzz-value-0001', answers: { ...answers, [k]: v } })),
    );
    await fc.assert(
      fc.asyncProperty(intakeBodies, async (body) => {
        const res = await t.request(`/api/public/s/${wave.slug}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: encode(body as Body) });
        await expectRefused(res, `intake ${encode(body as Body).slice(0, 120)}`);
      }),
      { numRuns: 300, seed: Number(process.env.FUZZ_SEED ?? 20261101) },
    );
    expect(await counts()).toEqual(before);
  });

  it('free-text answers: any string is stored exactly as sent or refused with a 4xx, never a 500', async () => {
    const wave = await openWave(t, ['kanuma-feedback']);
    const anyText = fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(anyText, fc.option(anyText, { nil: undefined }), async (reason, lastPage) => {
        const idempotencyKey = `fuzz-text-${String(n++).padStart(4, '0')}`;
        const body = JSON.stringify({ idempotencyKey, status: 'partial', answers: { kanuma_satisfaction_reason: reason }, ...(lastPage === undefined ? {} : { lastPage }) });
        const res = await t.request(`/api/public/s/${wave.slug}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const [row] = await t.database.rows<{ data: { kanuma_satisfaction_reason?: string } }>(sql`select data from responses where idempotency_key = ${idempotencyKey}`);
        // An empty string is no answer: nothing is stored for it.
        if (res.status === 201) expect(row?.data.kanuma_satisfaction_reason).toBe(reason === '' ? undefined : reason);
        else {
          await expectRefused(res, `free text ${JSON.stringify(reason)}`);
          expect(row).toBeUndefined();
        }
      }),
      { numRuns: 200, seed: Number(process.env.FUZZ_SEED ?? 20261101) },
    );
  });

  it('device start times at the edges of what ISO dates allow are stored or dropped, never a 500', async () => {
    const wave = await openWave(t, ['ucla3-national']);
    const edge = fc.oneof(
      fc.constantFrom('0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '9999-12-31T23:59:59.999Z', '2026-02-29T00:00:00Z', '2024-02-29T23:59:60Z'),
      fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
      fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: -14, max: 14 })).map(([y, h]) => `${String(y).padStart(4, '0')}-06-15T12:00:00${h < 0 ? '-' : '+'}${String(Math.abs(h)).padStart(2, '0')}:00`),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(edge, async (startedAt) => {
        const res = await t.request(`/api/public/s/${wave.slug}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idempotencyKey: `fuzz-start-${String(n++).padStart(4, '0')}`, startedAt, answers }) });
        if (res.status !== 201) await expectRefused(res, `startedAt ${startedAt}`);
      }),
      { numRuns: 150, seed: Number(process.env.FUZZ_SEED ?? 20261101) },
    );
  });

  it('a frame holding a character PostgreSQL cannot store is refused whole, as CSV or JSON', async () => {
    const wave = await openWave(t, ['ucla3-national']);
    const before = await counts();
    const frame = `/api/waves/${wave.waveId}/frame`;
    for (const res of [
      await t.staff('POST', frame, 'unit_id,city\nA1,気仙沼市\nA2,気仙\u0000沼\n', { 'content-type': 'text/csv' }),
      await t.staff('POST', frame, { units: [{ unitId: 'B1' }, { unitId: 'B\u0000' }] }),
      await t.staff('POST', frame, { units: [{ unitId: 'C1', attributes: { city: '\ud800' } }] }),
    ]) {
      expect(res.status).toBe(400);
      expect((await res.json()).detail_ja).toContain('保存できない文字');
    }
    expect(await counts()).toEqual(before);
  });

  it('staff endpoints', async () => {
    const wave = await openWave(t, ['ucla3-national']);
    const before = await counts();
    const endpoints: [string, string, Record<string, unknown>, string[]][] = [
      ['POST', '/api/questionnaires', { title: 'q', templateIds: ['ucla3-national'] }, ['title', 'templateIds', 'introduction']],
      ['POST', '/api/studies', { name: 's' }, ['name']],
      ['POST', '/api/waves', { name: 'w', questionnaireId: wave.questionnaireId }, ['name', 'questionnaireId', 'studyId', 'phase']],
      // Not closesAt among the mutated fields: null is a valid value there (no closing time).
      ['PATCH', `/api/waves/${wave.waveId}`, { name: 'w', closesAt: '2099-01-01T00:00:00Z' }, ['name']],
      ['POST', `/api/waves/${wave.waveId}/responses`, { idempotencyKey: 'fuzz-staff-0001', answers, mode: 'paper' }, ['idempotencyKey', 'answers', 'mode', 'unitId']],
      ['POST', `/api/waves/${wave.waveId}/frame`, { units: [{ unitId: 'u1' }] }, ['units']],
      ['POST', `/api/waves/${wave.waveId}/frame/dispositions`, { unitIds: ['u1'], disposition: 'refused' }, ['unitIds', 'disposition']],
      ['POST', '/api/users', { email: 'fuzz@example.jp', name: 'n', role: 'editor', password: 'fuzz-password-1' }, ['email', 'name', 'role', 'password']],
      ['POST', '/api/tokens', { label: 'l' }, ['label', 'role']],
      ['PATCH', '/api/organisation', { suppressionK: 5 }, ['suppressionK', 'name']],
      ['POST', '/api/data-rights/delete', { participantCode: 'AB1', waveId: wave.waveId }, ['participantCode', 'waveId']],
      ['POST', '/api/auth/login', { email: 'fuzz@example.jp', password: 'x' }, ['email', 'password']],
    ];
    const cases = fc.oneof(...endpoints.map(([method, path, valid, fields]) => badBodies(valid, fields).map((body) => ({ method, path, body }))));
    await fc.assert(
      fc.asyncProperty(cases, async ({ method, path, body }) => {
        const res = await t.staff(method, path, encode(body as Body), { 'content-type': 'application/json' });
        await expectRefused(res, `${method} ${path} ${encode(body as Body).slice(0, 120)}`);
      }),
      { numRuns: 400, seed: Number(process.env.FUZZ_SEED ?? 20261101) },
    );
    expect(await counts()).toEqual(before);
  });
});
