import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { responses } from '../../src/db/schema.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

/** Issue 14 review: paper returns of a pre/post wave that asks for participant codes. */
describeEachDatabase('paper returns with participant codes', (kind) => {
  const t = useTestApp(kind);
  const answers = { ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 1 };
  const enter = (waveId: string, body: Record<string, unknown>) => t.staff('POST', `/api/waves/${waveId}/responses`, { mode: 'paper', answers, ...body });

  async function prePost() {
    const study = await (await t.staff('POST', '/api/studies', { name: '事前事後' })).json();
    const pre = await openWave(t, ['ucla3-national'], { studyId: study.id, askParticipantCode: true });
    expect((await t.staff('POST', `/api/waves/${pre.waveId}/frame`, { units: [{ unitId: 'u-001' }, { unitId: 'u-002' }] })).status).toBe(201);
    return pre;
  }
  const hashOf = async (id: string) => (await t.database.db.select().from(responses).where(eq(responses.id, id)))[0].participantKeyHash;

  it('keys a paper with the code written on it (paired like a web answer), and keeps one without a code with a Japanese warning', async () => {
    const pre = await prePost();
    const withCode = await enter(pre.waveId, { idempotencyKey: 'paper-code-0001', unitId: 'u-001', participantCode: 'ab12-cd34' });
    expect(withCode.status).toBe(201);
    const keyed = await withCode.json();
    expect(keyed.warning_ja).toBeUndefined();
    const web = await t.request(`/api/public/s/${pre.slug}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idempotencyKey: 'web-code-0001', answers, participantCode: 'AB12CD34' }) });
    expect(web.status).toBe(201);
    expect(await hashOf(keyed.id)).toBe(await hashOf((await web.json()).id));

    const withoutCode = await enter(pre.waveId, { idempotencyKey: 'paper-nocode-01', unitId: 'u-002' });
    expect(withoutCode.status).toBe(201);
    const kept = await withoutCode.json();
    expect(kept.warning_ja).toContain('参加者コードなしで保存しました');
    expect(await hashOf(kept.id)).toBeNull();
    const events = (await (await t.staff('GET', '/api/audit')).json()).events as { action: string; target: string; details: Record<string, unknown> }[];
    expect(events.find((e) => e.target === kept.id)?.details.withoutParticipantCode).toBe(true);
  });

  it('a correction adds the code a paper was first keyed without; the audit says so without the code', async () => {
    const pre = await prePost();
    const kept = await (await enter(pre.waveId, { idempotencyKey: 'paper-later-001', unitId: 'u-001' })).json();
    const corrected = await t.staff('PATCH', `/api/responses/${kept.id}`, { answers, participantCode: 'QW34 ER56' });
    expect(corrected.status).toBe(200);
    const web = await t.request(`/api/public/s/${pre.slug}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idempotencyKey: 'web-later-001', answers, participantCode: 'qw34-er56' }) });
    expect(await hashOf(kept.id)).toBe(await hashOf((await web.json()).id));
    // Correcting the answers alone keeps the code.
    expect((await t.staff('PATCH', `/api/responses/${kept.id}`, { answers: { ...answers, ucla3_isolated: 2 } })).status).toBe(200);
    expect(await hashOf(kept.id)).not.toBeNull();
    const events = (await (await t.staff('GET', '/api/audit')).json()).events as { action: string; target: string; details: Record<string, unknown> }[];
    const corrections = events.filter((e) => e.action === 'response.corrected' && e.target === kept.id);
    expect(corrections.map((e) => e.details.participantCode ?? null).sort()).toEqual(['added', null]);
    expect(JSON.stringify(corrections)).not.toContain('QW34');
  });

  it('asks a participant without a code for it in Japanese', async () => {
    const pre = await prePost();
    const res = await t.request(`/api/public/s/${pre.slug}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idempotencyKey: 'web-nocode-001', answers }) });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ title_ja: '参加者コードを入力してください', detail_ja: expect.stringContaining('参加者コード') });
  });

  it('tells staff which unit has already answered, not the participant message', async () => {
    const pre = await prePost();
    expect((await enter(pre.waveId, { idempotencyKey: 'paper-first-001', unitId: 'u-001', participantCode: 'X1' })).status).toBe(201);
    const again = await enter(pre.waveId, { idempotencyKey: 'paper-again-001', unitId: 'u-001', participantCode: 'X1' });
    expect(again.status).toBe(409);
    expect((await again.json()).detail_ja).toMatch(/^対象者 u-001 はすでに回答済みです/);
  });
});
