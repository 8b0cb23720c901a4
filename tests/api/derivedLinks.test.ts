import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { freeIssues } from '../../src/collection/linkIssues.js';
import { accessCode, accessCodeHash, formatAccessCode, invitationToken, tokenHash } from '../../src/collection/invitationLinks.js';
import { invitations } from '../../src/db/schema.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

describeEachDatabase('invitation links derived at import', (kind) => {
  const t = useTestApp(kind);
  const stored = async (waveId: string) => t.database.db.select().from(invitations).where(eq(invitations.waveId, waveId));

  it('stores issue 1 and the hashes of the derived token and access code; the returned link opens the questionnaire', async () => {
    const { waveId } = await openWave(t, ['ucla3-national'], { openLink: false });
    const res = await t.staff('POST', `/api/waves/${waveId}/frame`, { units: [{ unitId: 'd1', attributes: { city: '気仙沼市' } }, { unitId: 'd2' }] });
    expect(res.status).toBe(201);
    const body = await res.json();
    const rows = await stored(waveId);
    for (const row of rows) {
      expect(row.tokenIssue).toBe(1);
      const token = invitationToken(t.hashKey, row.id, 1);
      expect(row.tokenHash).toBe(tokenHash(t.hashKey, token));
      expect(row.accessCodeHash).toBe(accessCodeHash(t.hashKey, accessCode(t.hashKey, row.id, 1)));
      const returned = body.invitations.find((i: { unitId: string }) => i.unitId === row.unitId);
      expect(returned).toEqual({ unitId: row.unitId, url: `http://localhost/t/${token}`, accessCode: formatAccessCode(accessCode(t.hashKey, row.id, 1)) });
      expect((await t.request(`/t/${token}`)).status).toBe(200);
    }
  });

  it('keeps an e-mail column (CSV or JSON, any of its names) out of the attributes', async () => {
    const { waveId } = await openWave(t, ['ucla3-national'], { openLink: false });
    const csv = 'unit_id,city,メールアドレス\ne1,気仙沼市,hanako@example.jp\ne2,大船渡市,\n';
    expect((await t.staff('POST', `/api/waves/${waveId}/frame`, csv, { 'content-type': 'text/csv' })).status).toBe(201);
    expect((await t.staff('POST', `/api/waves/${waveId}/frame`, { units: [{ unitId: 'e3', attributes: { 'E-mail': 'taro@example.jp', city: '陸前高田市' } }] })).status).toBe(201);
    const rows = Object.fromEntries((await stored(waveId)).map((r) => [r.unitId, { email: r.email, attributes: r.attributes }]));
    expect(rows).toEqual({
      e1: { email: 'hanako@example.jp', attributes: { city: '気仙沼市' } },
      e2: { email: null, attributes: { city: '大船渡市' } },
      e3: { email: 'taro@example.jp', attributes: { city: '陸前高田市' } },
    });
  });

  it('refuses an e-mail value that cannot be an address, naming the unit in Japanese, and adds nothing', async () => {
    const { waveId } = await openWave(t, ['ucla3-national'], { openLink: false });
    const res = await t.staff('POST', `/api/waves/${waveId}/frame`, 'unit_id,email\nf1,ok@example.jp\nf2,気仙沼市役所\n', { 'content-type': 'text/csv' });
    expect(res.status).toBe(422);
    expect((await res.json()).detail_ja).toContain('f2');
    expect(await stored(waveId)).toEqual([]);
  });

  it('takes the next issue when an access code is already held', async () => {
    const { waveId } = await openWave(t, ['ucla3-national'], { openLink: false });
    expect((await t.staff('POST', `/api/waves/${waveId}/frame`, { units: [{ unitId: 'c1' }] })).status).toBe(201);
    const [holder] = await stored(waveId);
    // A new invitation whose issue-1 code is made to collide: its id is the holder's, as far as codes go.
    const issues = await freeIssues(t.database.db, t.hashKey, [{ id: holder.id, from: 1 }, { id: 'fresh-id', from: 1 }]);
    expect(issues.get(holder.id)!.tokenIssue).toBe(2);
    expect(issues.get('fresh-id')!.tokenIssue).toBe(1);
  });
});
