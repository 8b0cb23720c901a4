import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { responses } from '../../src/db/schema.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

const complete = { ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 1 };

function submit(t: ReturnType<typeof useTestApp>, slug: string, body: unknown, headers: Record<string, string> = {}) {
  return t.request(`/api/public/s/${slug}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describeEachDatabase('response intake', (kind) => {
  const t = useTestApp(kind, { maxBodyBytes: 8 * 1024 });
  let wave: Awaited<ReturnType<typeof openWave>>;
  const count = async () => (await t.database.db.select().from(responses).where(eq(responses.waveId, wave.waveId))).length;

  it('opens a wave of the UCLA 3-item questionnaire with an open link and a QR code', async () => {
    wave = await openWave(t, ['ucla3-national']);
    expect(wave.wave.openLink).toMatch(/^http:\/\/localhost\/s\/[A-Za-z0-9_-]{20,}$/);
    const page = await t.request(`/s/${wave.slug}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('あなたは、自分には人とのつきあいがないと感じることがありますか。');
    const qr = await t.request(`/s/${wave.slug}/qr.svg`);
    expect(qr.headers.get('content-type')).toBe('image/svg+xml');
    expect(await qr.text()).toContain('<svg');
    const png = await t.request(`/s/${wave.slug}/qr.png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await png.arrayBuffer()).slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
  });

  it('stores a complete response once, even when the same idempotency key is sent twice', async () => {
    const body = { idempotencyKey: 'device-key-0001', answers: complete };
    const first = await submit(t, wave.slug, body);
    expect(first.status).toBe(201);
    const second = await submit(t, wave.slug, body);
    expect(second.status).toBe(201);
    const [a, b] = [await first.json(), await second.json()];
    expect(b.id).toBe(a.id);
    expect(b.replayed).toBe(true);
    expect(await count()).toBe(1);
  });

  it('answers concurrent retries of one key with one stored row', async () => {
    const body = { idempotencyKey: 'device-key-race', answers: complete };
    const results = await Promise.all(Array.from({ length: 8 }, () => submit(t, wave.slug, body)));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    const ids = new Set(await Promise.all(results.map(async (r) => (await r.json()).id)));
    expect(ids.size).toBe(1);
    expect(await count()).toBe(2);
  });

  it('replaces saved progress (partial) with the complete answers sent later under the same key', async () => {
    const key = 'device-key-progress';
    const partial = await submit(t, wave.slug, { idempotencyKey: key, status: 'partial', lastPage: 'ucla3', answers: { ucla3_companionship: 1 } });
    expect(partial.status).toBe(201);
    const done = await submit(t, wave.slug, { idempotencyKey: key, answers: complete });
    expect(done.status).toBe(201);
    expect((await done.json()).replayed).toBe(false);
    const rows = await t.database.db.select().from(responses).where(eq(responses.idempotencyKey, key));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'complete', data: complete });
    // A complete response is final: the same key again replays it, whatever it carries.
    const again = await submit(t, wave.slug, { idempotencyKey: key, status: 'partial', answers: { ucla3_companionship: 4 } });
    expect((await again.json()).replayed).toBe(true);
    expect((await t.database.db.select().from(responses).where(eq(responses.idempotencyKey, key)))[0].data).toEqual(complete);
  });

  describe('bad input changes nothing', () => {
    const cases: [string, unknown, number, string][] = [
      ['malformed JSON', '{"idempotencyKey": "k", ', 400, 'not valid JSON'],
      ['a missing required answer', { idempotencyKey: 'bad-0001', answers: { ucla3_companionship: 2, ucla3_left_out: 3 } }, 422, 'ucla3_isolated'],
      ['an unknown question', { idempotencyKey: 'bad-0002', answers: { ...complete, favourite_colour: 'blue' } }, 422, 'favourite_colour'],
      ['a value that is not a choice', { idempotencyKey: 'bad-0003', answers: { ...complete, ucla3_left_out: 7 } }, 422, 'ucla3_left_out'],
      ['a wrong type', { idempotencyKey: 'bad-0004', answers: { ...complete, ucla3_left_out: [1, 2] } }, 422, 'ucla3_left_out'],
      ['answers that are not an object', { idempotencyKey: 'bad-0005', answers: 'yes' }, 400, 'answers'],
      ['a missing idempotency key', { answers: complete }, 400, 'idempotencyKey'],
      ['a start time that is not a timestamp', { idempotencyKey: 'bad-0009', answers: complete, startedAt: 0 }, 400, 'startedAt'],
      ['an unknown top-level field', { idempotencyKey: 'bad-0006', answers: complete, admin: true }, 400, 'admin'],
    ];
    it.each(cases)('%s', async (_name, body, status, mentions) => {
      const before = await count();
      const res = await submit(t, wave.slug, body);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = await res.json();
      expect(JSON.stringify(problem)).toContain(mentions);
      expect(problem.title_ja).toBeTruthy();
      expect(await count()).toBe(before);
    });

    it('an oversize body gets 413', async () => {
      const before = await count();
      const res = await submit(t, wave.slug, { idempotencyKey: 'bad-big', answers: { ...complete, x: 'あ'.repeat(10_000) } });
      expect(res.status).toBe(413);
      expect((await res.json()).title_ja).toBe('送信内容が大きすぎます');
      expect(await count()).toBe(before);
    });

    it('a closed wave answers exactly as a link that leads nowhere: 404, the same words, the same page', async () => {
      const other = await openWave(t, ['ucla3-national']);
      expect((await t.staff('POST', `/api/waves/${other.waveId}/close`)).status).toBe(200);
      const closed = await submit(t, other.slug, { idempotencyKey: 'bad-0008', answers: complete });
      const unknown = await submit(t, 'no-such-wave-slug-xyz', { idempotencyKey: 'bad-0007', answers: complete });
      expect([closed.status, unknown.status]).toEqual([404, 404]);
      const body = await closed.json();
      expect(await unknown.json()).toEqual(body);
      expect(body.detail_ja).toContain('受付は終了したか、リンクが正しくありません');

      const [closedPage, unknownPage] = [await t.request(`/s/${other.slug}`), await t.request('/s/no-such-wave-slug-xyz')];
      expect([closedPage.status, unknownPage.status]).toEqual([404, 404]);
      expect(await closedPage.text()).toBe(await unknownPage.text());
      for (const qr of [`/s/${other.slug}/qr.svg`, '/s/no-such-wave-slug-xyz/qr.svg']) expect((await t.request(qr)).status).toBe(404);
    });

    it('a wave closed a moment after its last answer takes no more, though its link was just looked up', async () => {
      const other = await openWave(t, ['ucla3-national']);
      expect((await submit(t, other.slug, { idempotencyKey: 'before-close', answers: complete })).status).toBe(201);
      expect((await t.staff('POST', `/api/waves/${other.waveId}/close`)).status).toBe(200);
      const late = await submit(t, other.slug, { idempotencyKey: 'after-close', answers: complete });
      expect(late.status).toBe(404);
      expect((await late.json()).title).toBe('Survey not available');
      const keys = (await t.database.db.select().from(responses).where(eq(responses.waveId, other.waveId))).map((r) => r.idempotencyKey);
      expect(keys).toEqual(['before-close']);
    });
  });

  it('exports responses as Excel-friendly CSV: BOM, question text over variable names, one row per response, codes and labels', async () => {
    const res = await t.staff('GET', `/api/waves/${wave.waveId}/responses?format=csv`);
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(5); // question text, variable names, and the three responses stored above
    const header = lines[1].split(',');
    expect(header).toEqual(expect.arrayContaining(['ucla3_companionship', 'ucla3_companionship_label', 'ucla3_isolated_label', 'ucla3_national_score']));
    expect(lines[0].split(',')[header.indexOf('ucla3_companionship_label')]).toBe('あなたは、自分には人とのつきあいがないと感じることがありますか。');
    const row = Object.fromEntries(lines[2].split(',').map((v, i) => [header[i], v]));
    expect(row).toMatchObject({ status: '回答完了', mode: 'ウェブ', ucla3_companionship: '2', ucla3_companionship_label: 'ほとんどない', ucla3_left_out_label: '時々ある', ucla3_national_score: '6' });
    expect(row.submitted_at).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d$/);
  });

  it('staff need a valid token', async () => {
    const res = await t.request(`/api/waves/${wave.waveId}/responses`);
    expect(res.status).toBe(401);
    const wrong = await t.request(`/api/waves/${wave.waveId}/responses`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });
});

describe('API description', () => {
  const t = useTestApp('pglite');
  it('lists every staff and public route in /api/openapi.json without credentials', async () => {
    const res = await t.request('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/waves/{id}/crosstab', '/api/public/s/{slug}/responses', '/api/studies/{id}/prepost']));
    const submit = doc.paths['/api/public/s/{slug}/responses'].post;
    expect(submit.requestBody.content['application/json'].schema.required).toContain('idempotencyKey');
  });
});

describe('participant page escaping', () => {
  const t = useTestApp('pglite');
  it('shows questionnaire text from staff as text, never as markup or script', async () => {
    const evil = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const definition = {
      title: evil,
      description: evil,
      pages: [{ name: 'p1', elements: [{ type: 'radiogroup', name: 'q1', title: evil, choices: [{ value: 'a', text: evil }] }] }],
    };
    const q = await (await t.staff('POST', '/api/questionnaires', { title: 'x', definition })).json();
    await t.staff('POST', `/api/questionnaires/${q.id}/publish`);
    const wave = await (await t.staff('POST', '/api/waves', { name: 'w', questionnaireId: q.id })).json();
    const html = await (await t.request(new URL(wave.openLink).pathname)).text();
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
