import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/password.js';
import { newToken, sha256 } from '../../src/auth/secrets.js';
import { apiTokens, invitations, responses, users } from '../../src/db/schema.js';
import { bearer } from './accountsHelpers.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

/** Issue 14: paper entry that fits real paper — blanks, 判読不能, errors by 問 number, all audited. */
describeEachDatabase('paper entry that fits paper', (kind) => {
  const t = useTestApp(kind);
  const full = { ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 1 };
  const events = async () => (await (await t.staff('GET', '/api/audit')).json()).events as { action: string; target: string; details: Record<string, any> }[];
  const enter = (waveId: string, body: Record<string, unknown>) => t.staff('POST', `/api/waves/${waveId}/responses`, { mode: 'paper', ...body });

  async function waveWithFrame(units: string[]) {
    const w = await openWave(t, ['ucla3-national']);
    expect((await t.staff('POST', `/api/waves/${w.waveId}/frame`, { units: units.map((unitId) => ({ unitId, attributes: { city: '気仙沼市' } })) })).status).toBe(201);
    return w;
  }

  it('errors name the 問 number in Japanese, and an unknown unit is named in Japanese; nothing is stored', async () => {
    const w = await waveWithFrame(['P-1']);
    const wrong = await enter(w.waveId, { idempotencyKey: 'paper-wrong-01', answers: { ...full, ucla3_isolated: 9 } });
    expect(wrong.status).toBe(422);
    const problem = await wrong.json();
    expect(problem.errors).toEqual([expect.objectContaining({ field: 'ucla3_isolated', label: '問3' })]);
    expect(problem.detail_ja).toMatch(/^問3: /);
    expect(problem.detail_ja).not.toContain('ucla3_');
    expect(problem.detail).toMatch(/^Some answers are not valid: Q3: /);

    const stranger = await enter(w.waveId, { idempotencyKey: 'paper-stranger-01', unitId: 'P-404', answers: full });
    expect(stranger.status).toBe(422);
    const unknown = await stranger.json();
    expect(unknown.title_ja).toBe('対象者番号が名簿にありません');
    expect(unknown.errors[0].message_ja).toBe('対象者番号 P-404 は名簿にありません');
    expect(unknown.detail_ja).toContain('対象者番号 P-404 はこの回の名簿にありません');

    const empty = await enter(w.waveId, { idempotencyKey: 'paper-empty-01', answers: {} });
    expect(empty.status).toBe(422);
    expect((await empty.json()).title_ja).toBe('回答が入力されていません');
    expect(await t.database.db.select().from(responses).where(eq(responses.waveId, w.waveId))).toHaveLength(0);
  });

  it('a return with a blank required item is complete: counted in rates, its answers in tables, the blank as 無回答; online it is still refused', async () => {
    const w = await waveWithFrame(['B-1', 'B-2']);
    const { ucla3_left_out: _blank, ...withBlank } = full;
    const saved = await enter(w.waveId, { idempotencyKey: 'paper-blank-01', unitId: 'B-1', status: 'complete', answers: withBlank });
    expect(saved.status, await saved.clone().text()).toBe(201);
    expect((await saved.json()).status).toBe('complete');
    const [unit] = await t.database.db.select().from(invitations).where(and(eq(invitations.waveId, w.waveId), eq(invitations.unitId, 'B-1')));
    expect(unit.disposition).toBe('complete');

    const rates = await (await t.staff('GET', `/api/waves/${w.waveId}/rates`)).json();
    expect(rates.overall.counts).toMatchObject({ frame: 2, complete: 1 });
    expect(rates.overall.rates.simple).toBe(50);

    const summary = await (await t.staff('GET', `/api/waves/${w.waveId}/summary`)).json();
    const table = (name: string) => summary.questions.find((q: { name: string }) => q.name === name).groups[0];
    expect(table('ucla3_companionship').answered).toBe(1);
    expect(table('ucla3_left_out').lines.at(-1)).toMatchObject({ label: '無回答', count: 1 });
    expect(table('ucla3_left_out').lines.some((l: { spoiled?: boolean }) => l.spoiled)).toBe(false);

    const online = await t.request(`/api/public/s/${w.slug}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idempotencyKey: 'phone-blank-01', answers: withBlank }),
    });
    expect(online.status).toBe(422);
    expect((await online.json()).errors[0]).toMatchObject({ field: 'ucla3_left_out', label: '問2' });
  });

  it('an answer marked 判読不能 is stored apart, shown as its own line beside 無回答, exported as its missing code, and audited', async () => {
    const w = await waveWithFrame(['S-1', 'S-2', 'S-3']);
    const { ucla3_left_out: _spoiled, ...rest } = full;
    const both = await enter(w.waveId, { idempotencyKey: 'paper-both-01', answers: full, spoiled: ['ucla3_left_out'] });
    expect(both.status).toBe(422);
    expect((await both.json()).detail_ja).toBe('問2: 回答と「判読不能」の両方が入力されています。どちらか一方にしてください。');
    const stray = await enter(w.waveId, { idempotencyKey: 'paper-stray-01', answers: rest, spoiled: ['no_such_question'] });
    expect(stray.status).toBe(422);
    expect((await stray.json()).detail_ja).toContain('no_such_question');

    const saved = await (await enter(w.waveId, { idempotencyKey: 'paper-spoiled-01', unitId: 'S-1', answers: rest, spoiled: ['ucla3_left_out'] })).json();
    const { ucla3_isolated: _blank, ...blank } = full;
    expect((await enter(w.waveId, { idempotencyKey: 'paper-blank-02', unitId: 'S-2', answers: blank })).status).toBe(201);
    expect((await enter(w.waveId, { idempotencyKey: 'paper-full-02', unitId: 'S-3', answers: full })).status).toBe(201);
    const [row] = await t.database.db.select().from(responses).where(eq(responses.id, saved.id));
    expect(row.spoiled).toEqual(['ucla3_left_out']);
    expect(row.data).toEqual(rest);

    const summary = await (await t.staff('GET', `/api/waves/${w.waveId}/summary`)).json();
    const leftOut = summary.questions.find((q: { name: string }) => q.name === 'ucla3_left_out').groups[0];
    expect(leftOut.lines.slice(-2)).toEqual([
      expect.objectContaining({ label: '判読不能', count: 1, spoiled: true }),
      expect.objectContaining({ label: '無回答', count: 0 }),
    ]);
    expect(leftOut.lines.find((l: { code: string }) => l.code === '3').count).toBe(2);
    const isolated = summary.questions.find((q: { name: string }) => q.name === 'ucla3_isolated').groups[0];
    expect(isolated.lines.at(-1)).toMatchObject({ label: '無回答', count: 1 });
    expect(isolated.lines.some((l: { spoiled?: boolean }) => l.spoiled)).toBe(false);
    const sheet = await (await t.staff('GET', `/api/waves/${w.waveId}/summary?format=csv`)).text();
    expect(sheet).toContain('判読不能,1,');

    const csv = await (await t.staff('GET', `/api/waves/${w.waveId}/responses?format=csv`)).text();
    const [, header, ...lines] = csv.replace(/^\uFEFF/, '').trim().split(/\r\n/);
    const names = header.split(',');
    const spoiledLine = lines.map((l) => l.split(',')).find((cells) => cells[names.indexOf('unit_id')] === 'S-1')!;
    expect(spoiledLine[names.indexOf('ucla3_left_out')]).toBe('spoiled');
    expect(spoiledLine[names.indexOf('ucla3_left_out_label')]).toBe('判読不能');
    const blankLine = lines.map((l) => l.split(',')).find((cells) => cells[names.indexOf('unit_id')] === 'S-2')!;
    expect(blankLine[names.indexOf('ucla3_isolated')]).toBe('');

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await (await t.staff('GET', `/api/waves/${w.waveId}/responses?format=xlsx`)).arrayBuffer());
    const codebook = book.getWorksheet('コードブック')!.getSheetValues().filter(Array.isArray).map((r) => r.slice(1));
    expect(codebook).toContainEqual(['（各質問）', expect.stringContaining('判読不能'), 'missing', 'spoiled', '判読不能']);

    const entered = (await events()).find((e) => e.action === 'response.entered' && e.target === saved.id)!;
    expect(entered.details.spoiled).toEqual(['ucla3_left_out']);

    // Corrected: the paper was readable after all.
    const corrected = await t.staff('PATCH', `/api/responses/${saved.id}`, { answers: full });
    expect(corrected.status).toBe(200);
    expect(await corrected.json()).toMatchObject({ spoiled: [], data: full });
    const correction = (await events()).find((e) => e.action === 'response.corrected' && e.target === saved.id)!;
    expect(correction.details.before.spoiled).toEqual(['ucla3_left_out']);
    expect(correction.details.after.spoiled).toEqual([]);
    const list = (await (await t.staff('GET', `/api/waves/${w.waveId}/entries`)).json()).entries;
    expect(list.find((e: { id: string }) => e.id === saved.id).spoiled).toEqual([]);
  });

  /** A colleague of the admin, an editor with an API token of her own: the second person of double entry. */
  async function colleague() {
    const [admin] = await t.database.db.select().from(users).limit(1);
    const [editor] = await t.database.db
      .insert(users)
      .values({ organisationId: admin.organisationId, email: `second-${newToken(6).toLowerCase()}@example.jp`, name: '照合 次郎', role: 'editor', passwordHash: await hashPassword('correct horse battery staple') })
      .returning();
    const token = newToken(32);
    await t.database.db.insert(apiTokens).values({ userId: editor.id, organisationId: admin.organisationId, label: 'second keying', tokenHash: sha256(token), role: 'editor' });
    return bearer(t.app, token);
  }

  it('double entry: a second person keys the paper, mismatches show per 問 until an editor chooses, the return is corrected and audited', async () => {
    const w = await waveWithFrame(['D-1', 'D-2']);
    const second = await colleague();
    const first = await (await enter(w.waveId, { idempotencyKey: 'paper-double-01', unitId: 'D-1', answers: full })).json();
    const agreeing = await (await enter(w.waveId, { idempotencyKey: 'paper-double-02', unitId: 'D-2', answers: full })).json();

    const same = await t.staff('POST', `/api/responses/${first.id}/keyings`, { answers: full });
    expect(same.status).toBe(409);
    expect((await same.json()).title_ja).toBe('別の人が入力してください');

    const keyed = await second('POST', `/api/responses/${first.id}/keyings`, { answers: { ucla3_companionship: 2, ucla3_left_out: 4 }, spoiled: ['ucla3_isolated'] });
    expect(keyed.status, await keyed.clone().text()).toBe(201);
    const outcome = await keyed.json();
    expect(outcome.resolvedAt).toBeNull();
    expect(outcome.keyedBy).toMatch(/^second-/);
    expect(outcome.mismatches.map((m: { label: string; first: string; second: string }) => [m.label, m.first, m.second])).toEqual([
      ['問2', '時々ある', '常にある'],
      ['問3', '決してない', '判読不能・無効'],
    ]);
    expect((await second('POST', `/api/responses/${first.id}/keyings`, { answers: full })).status).toBe(409);
    expect((await (await second('POST', `/api/responses/${agreeing.id}/keyings`, { answers: full })).json()).resolvedAt).not.toBeNull();

    const open = (await (await t.staff('GET', `/api/waves/${w.waveId}/keyings`)).json()).returns;
    expect(open.map((r: { unitId: string }) => r.unitId)).toEqual(['D-1']);

    const partly = await t.staff('POST', `/api/responses/${first.id}/keyings/resolve`, { use: { ucla3_left_out: 'second' } });
    expect(partly.status).toBe(422);
    expect((await partly.json()).detail_ja).toBe('問3 でどちらの入力が正しいか選んでください。');
    const [unchanged] = await t.database.db.select().from(responses).where(eq(responses.id, first.id));
    expect(unchanged.data).toEqual(full);

    const resolved = await t.staff('POST', `/api/responses/${first.id}/keyings/resolve`, { use: { ucla3_left_out: 'second', ucla3_isolated: 'first' } });
    expect(resolved.status, await resolved.clone().text()).toBe(200);
    expect(await resolved.json()).toMatchObject({ mismatches: [], resolvedAt: expect.any(String) });
    const [row] = await t.database.db.select().from(responses).where(eq(responses.id, first.id));
    expect(row.data).toEqual({ ...full, ucla3_left_out: 4 });
    expect(row.spoiled).toEqual([]);
    expect((await (await t.staff('GET', `/api/waves/${w.waveId}/keyings`)).json()).returns).toEqual([]);
    expect((await t.staff('POST', `/api/responses/${first.id}/keyings/resolve`, { use: {} })).status).toBe(409);

    const log = (await events()).filter((e) => e.target === first.id);
    expect(log.find((e) => e.action === 'response.second_keying')!.details.mismatches).toEqual(['ucla3_left_out', 'ucla3_isolated']);
    expect(log.find((e) => e.action === 'response.keying_resolved')!.details.chosen).toEqual({ 問2: 'second', 問3: 'first' });
    expect(log.find((e) => e.action === 'response.corrected')!.details.after.data.ucla3_left_out).toBe(4);
  });
});
