import { expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp, type TestApp } from '../helpers/testApp.js';
import { bearer, makeOrganisation } from './accountsHelpers.js';

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
    expect((await t.staff('PATCH', `/api/waves/${waveId}`, { name: 'renamed' })).status).toBe(409);
    expect(await (await t.staff('GET', `/api/waves/${waveId}`)).json()).toMatchObject({ name: 'wave', closesAt: past });
    expect((await submit(t, slug, 'waves-after-0002')).status).toBe(404);
  });

  it('refuses changes to a wave closed with POST /close, even one that had not opened yet', async () => {
    const { waveId } = await openWave(t, ['ucla3-national'], { opensAt: inDays(3).toISOString() });
    expect((await t.staff('POST', `/api/waves/${waveId}/close`)).status).toBe(200);
    const res = await t.staff('PATCH', `/api/waves/${waveId}`, { closesAt: inDays(10).toISOString() });
    expect(res.status).toBe(409);
    expect(await (await t.staff('GET', `/api/waves/${waveId}`)).json()).toMatchObject({ status: 'closed', closesAt: null });
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
});
