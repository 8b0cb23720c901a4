import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { invitations, responses } from '../../src/db/schema.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

/** Issue 11, point 2: an idempotency key belongs to the link that first used it. */
describeEachDatabase('idempotency keys belong to their link', (kind) => {
  const t = useTestApp(kind);
  const complete = { ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 1 };
  const post = (path: string, body: unknown) =>
    t.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('an open-link or another invitee\'s submission with a key an invitation used gets 409 and changes nothing', async () => {
    const w = await openWave(t, ['ucla3-national']);
    const frame = await (await t.staff('POST', `/api/waves/${w.waveId}/frame`, { units: [{ unitId: 'u1' }, { unitId: 'u2' }] })).json();
    const [first, second] = frame.invitations.map((i: { url: string }) => String(i.url).split('/t/')[1]);

    const saved = await post(`/api/public/t/${first}/responses`, { idempotencyKey: 'shared-key-01', status: 'partial', answers: { ucla3_companionship: 1 } });
    expect(saved.status).toBe(201);
    const stolen = await post(`/api/public/s/${w.slug}/responses`, { idempotencyKey: 'shared-key-01', answers: complete });
    expect(stolen.status).toBe(409);
    expect((await stolen.json()).detail_ja).toMatch(/別のリンクで使われています/);
    const other = await post(`/api/public/t/${second}/responses`, { idempotencyKey: 'shared-key-01', answers: complete });
    expect(other.status).toBe(409);

    const rows = await t.database.db.select().from(responses).where(eq(responses.waveId, w.waveId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'partial', data: { ucla3_companionship: 1 } });
    const dispositions = await t.database.db.select({ unitId: invitations.unitId, disposition: invitations.disposition }).from(invitations).where(eq(invitations.waveId, w.waveId));
    expect(Object.fromEntries(dispositions.map((d) => [d.unitId, d.disposition]))).toMatchObject({ u1: 'partial' });
    expect(dispositions.find((d) => d.unitId === 'u2')?.disposition).not.toBe('complete');

    // the invitee finishes with the same key, then a second invitee reusing it after completion is still refused
    expect((await post(`/api/public/t/${first}/responses`, { idempotencyKey: 'shared-key-01', answers: complete })).status).toBe(201);
    const replayOther = await post(`/api/public/t/${second}/responses`, { idempotencyKey: 'shared-key-01', answers: complete });
    expect(replayOther.status).toBe(409);
    const replayOwn = await post(`/api/public/t/${first}/responses`, { idempotencyKey: 'shared-key-01', answers: complete });
    expect(replayOwn.status).toBe(201);
    expect((await replayOwn.json()).replayed).toBe(true);
  });

  it('an invitation cannot take over a key the open link used', async () => {
    const w = await openWave(t, ['ucla3-national']);
    const frame = await (await t.staff('POST', `/api/waves/${w.waveId}/frame`, { units: [{ unitId: 'v1' }] })).json();
    const token = String(frame.invitations[0].url).split('/t/')[1];
    expect((await post(`/api/public/s/${w.slug}/responses`, { idempotencyKey: 'open-key-0001', answers: complete })).status).toBe(201);
    const res = await post(`/api/public/t/${token}/responses`, { idempotencyKey: 'open-key-0001', answers: complete });
    expect(res.status).toBe(409);
    const [unit] = await t.database.db.select({ disposition: invitations.disposition }).from(invitations).where(eq(invitations.waveId, w.waveId));
    expect(unit.disposition).not.toBe('complete');
  });
});
