import { expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp, type TestApp } from '../helpers/testApp.js';
import { bearer, login, makeOrganisation, PASSWORD, session } from './accountsHelpers.js';

const answers = { ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 1 };
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

function submit(t: TestApp, slug: string, idempotencyKey: string) {
  return t.request(`/api/public/s/${slug}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idempotencyKey, answers }),
  });
}

describeEachDatabase('changing a wave after it opened (PATCH /api/waves/:id)', (kind) => {
  const t = useTestApp(kind);

  it('renames a wave and moves its closing time; null takes the closing time away', async () => {
    const { waveId } = await openWave(t, ['ucla3-national'], { closesAt: inDays(7).toISOString() });
    const later = '2099-03-31T17:00:00+09:00';
    const res = await t.staff('PATCH', `/api/waves/${waveId}`, { name: '  2026年度 郵送調査  ', closesAt: later });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ id: waveId, name: '2026年度 郵送調査', status: 'open' });
    expect(new Date(body.closesAt).toISOString()).toBe('2099-03-31T08:00:00.000Z');
    expect(body.qrCode).not.toBeNull();
    const cleared = await (await t.staff('PATCH', `/api/waves/${waveId}`, { closesAt: null })).json();
    expect(cleared).toMatchObject({ name: '2026年度 郵送調査', closesAt: null });
    expect(await (await t.staff('GET', `/api/waves/${waveId}`)).json()).toMatchObject({ name: '2026年度 郵送調査', closesAt: null });
  });

  it('moving the closing time into the past closes the link, and a closed wave cannot be changed', async () => {
    const { waveId, slug } = await openWave(t, ['ucla3-national']);
    expect((await submit(t, slug, 'waves-before-0001')).status).toBe(201);
    const past = new Date(Date.now() - 60_000).toISOString();
    const res = await t.staff('PATCH', `/api/waves/${waveId}`, { closesAt: past });
    expect(res.status).toBe(200);
    expect((await res.json()).qrCode).toBeNull();
    const late = await submit(t, slug, 'waves-after-0001');
    expect(late.status).toBe(404);
    expect((await late.json()).title).toBe('Survey not available');

    // Reopening by moving the time forward again is refused: closing is final.
    const reopen = await t.staff('PATCH', `/api/waves/${waveId}`, { closesAt: inDays(30).toISOString() });
    expect(reopen.status).toBe(409);
    expect((await reopen.json()).detail).toMatch(/closed/);
    // A new name cannot reopen it, so an ended wave may still be renamed.
    expect((await t.staff('PATCH', `/api/waves/${waveId}`, { name: 'renamed' })).status).toBe(200);
    expect(await (await t.staff('GET', `/api/waves/${waveId}`)).json()).toMatchObject({ name: 'renamed', closesAt: past });
    expect((await submit(t, slug, 'waves-after-0002')).status).toBe(404);
  });

  it('refuses changes to a wave closed with POST /close, even one that had not opened yet', async () => {
    const { waveId } = await openWave(t, ['ucla3-national'], { opensAt: inDays(3).toISOString() });
    expect((await t.staff('POST', `/api/waves/${waveId}/close`)).status).toBe(200);
    const res = await t.staff('PATCH', `/api/waves/${waveId}`, { closesAt: inDays(10).toISOString() });
    expect(res.status).toBe(409);
    expect(await (await t.staff('GET', `/api/waves/${waveId}`)).json()).toMatchObject({ status: 'closed', closesAt: null });
  });

  it('records closing and moving the closing time in the audit log, with what was before', async () => {
    const { waveId } = await openWave(t, ['ucla3-national']);
    const closesAt = inDays(20).toISOString();
    expect((await t.staff('PATCH', `/api/waves/${waveId}`, { closesAt })).status).toBe(200);
    expect((await t.staff('POST', `/api/waves/${waveId}/close`)).status).toBe(200);
    const { events } = await (await t.staff('GET', '/api/audit?limit=20')).json();
    const mine = events.filter((e: { target: string }) => e.target === waveId);
    expect(mine.map((e: { action: string }) => e.action)).toEqual(['wave.closed', 'wave.updated', 'wave.opened']);
    expect(mine[1].details).toMatchObject({ closesAt, previousClosesAt: null });
  });

  it('refuses, when opening a wave, a closing time already past or a time without its offset', async () => {
    const { questionnaireId } = await openWave(t, ['ucla3-national']);
    const past = await t.staff('POST', '/api/waves', { name: 'typo', questionnaireId, closesAt: new Date(Date.now() - 3_600_000).toISOString() });
    expect(past.status).toBe(422);
    expect((await past.json()).errors[0]).toMatchObject({ field: 'closesAt', message_ja: '受付終了の日時が過ぎています' });
    for (const closesAt of ['2099-03-31T17:00', 0]) {
      expect((await t.staff('POST', '/api/waves', { name: 'no offset', questionnaireId, closesAt })).status, String(closesAt)).toBe(400);
    }
  });

  it('refuses a closing time at or before the opening time, on PATCH and on POST', async () => {
    const opensAt = inDays(5);
    const { waveId, questionnaireId } = await openWave(t, ['ucla3-national'], { opensAt: opensAt.toISOString() });
    for (const closesAt of [inDays(4).toISOString(), opensAt.toISOString()]) {
      const res = await t.staff('PATCH', `/api/waves/${waveId}`, { closesAt });
      expect(res.status).toBe(422);
      expect((await res.json()).errors).toEqual([expect.objectContaining({ field: 'closesAt' })]);
    }
    expect(await (await t.staff('GET', `/api/waves/${waveId}`)).json()).toMatchObject({ closesAt: null });
    const created = await t.staff('POST', '/api/waves', { name: 'backwards', questionnaireId, opensAt: opensAt.toISOString(), closesAt: inDays(1).toISOString() });
    expect(created.status).toBe(422);
  });

  it('lets editors change waves, not evaluators; another organisation gets 404', async () => {
    const { waveId } = await openWave(t, ['ucla3-national']);
    const evaluatorToken = (await (await t.staff('POST', '/api/tokens', { label: 'evaluator', role: 'evaluator' })).json()).token;
    const editorToken = (await (await t.staff('POST', '/api/tokens', { label: 'editor', role: 'editor' })).json()).token;
    expect((await bearer(t.app, evaluatorToken)('PATCH', `/api/waves/${waveId}`, { name: 'by evaluator' })).status).toBe(403);
    const other = await makeOrganisation(t.database, 'Organisation B');
    const foreign = await bearer(t.app, other.token)('PATCH', `/api/waves/${waveId}`, { name: 'by B' });
    expect(foreign.status).toBe(404);
    expect((await bearer(t.app, editorToken)('PATCH', `/api/waves/${waveId}`, { name: 'by editor' })).status).toBe(200);
    expect(await (await t.staff('GET', `/api/waves/${waveId}`)).json()).toMatchObject({ name: 'by editor' });
  });

  it('answers bad input with a 400 problem and changes nothing', async () => {
    const { waveId } = await openWave(t, ['ucla3-national'], { closesAt: '2099-01-01T00:00:00Z' });
    const before = await (await t.staff('GET', `/api/waves/${waveId}`)).json();
    for (const body of [
      {},
      { name: '' },
      { name: '   ' },
      { name: 'x'.repeat(201) },
      { name: null },
      { closesAt: 'next Friday' },
      { closesAt: '2099-03-31' },
      { closesAt: '2099-03-31T17:00:00' },
      { closesAt: 1_900_000_000_000 },
      { closesAt: true },
      { name: 'ok', status: 'open' },
      { name: 'ok', slug: 'mine' },
      [],
    ]) {
      const res = await t.staff('PATCH', `/api/waves/${waveId}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect((await res.json()).detail.length).toBeGreaterThan(3);
    }
    expect((await t.staff('PATCH', `/api/waves/${waveId}`, '{"name":', { 'content-type': 'application/json' })).status).toBe(400);
    expect(await (await t.staff('GET', `/api/waves/${waveId}`)).json()).toEqual(before);
  });

  it('shows an evaluator the frame counts without the forms that write, and no paper-entry page', async () => {
    const { waveId } = await openWave(t, ['ucla3-national']);
    expect((await t.staff('POST', `/api/waves/${waveId}/frame`, { units: [{ unitId: 'e1' }, { unitId: 'e2' }] })).status).toBe(201);
    expect((await t.staff('POST', '/api/users', { email: `reader-${kind}@example.jp`, name: '評価 四郎', role: 'evaluator', password: PASSWORD })).status).toBe(201);
    const asEvaluator = session(t.app, await login(t.app, `reader-${kind}@example.jp`));
    const frame = await asEvaluator('GET', `/staff/waves/${waveId}/frame`);
    expect(frame.status).toBe(200);
    const html = await frame.text();
    expect(html).toContain('id="frame-total">2<');
    for (const writer of ['id="frame-form"', 'id="disposition-form"', `/staff/waves/${waveId}/entry`, 'frame.js']) expect(html).not.toContain(writer);
    expect((await asEvaluator('GET', `/staff/waves/${waveId}/entry`)).status).toBe(403);
  });
});
