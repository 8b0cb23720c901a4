import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { invitations } from '../../src/db/schema.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

describeEachDatabase('frame upload in Japanese', (kind) => {
  const t = useTestApp(kind);
  const stored = async (waveId: string) => t.database.db.select().from(invitations).where(eq(invitations.waveId, waveId));
  const csv = async (waveId: string, body: string) => t.staff('POST', `/api/waves/${waveId}/frame`, body, { 'content-type': 'text/csv' });
  const newWave = async () => (await openWave(t, ['ucla3-national'], { openLink: false })).waveId;

  it('refuses a CSV without unit ids, with a repeated id or a broken quote in Japanese, and adds nothing', async () => {
    const waveId = await newWave();
    const noId = await csv(waveId, 'city\n気仙沼市\n');
    expect(noId.status).toBe(400);
    expect(await noId.json()).toMatchObject({ title_ja: '名簿に誤りがあります', detail_ja: expect.stringContaining('2 行目') });

    const repeated = await csv(waveId, 'unit_id,city\nA1,気仙沼市\nA2,大船渡市\nA1,陸前高田市\n');
    expect(repeated.status).toBe(422);
    const repeatedBody = await repeated.json();
    expect(repeatedBody.title_ja).toBe('名簿に誤りがあります');
    expect(repeatedBody.detail_ja).toContain('A1');
    expect(repeatedBody.errors[0].message_ja).toContain('同じ対象者番号');

    const broken = await csv(waveId, 'unit_id,city\nA1,"気仙沼市\nA2,大船渡市\n');
    expect(broken.status).toBe(400);
    expect((await broken.json()).detail_ja).toMatch(/^CSV を読み取れません（\d+ 行目付近）/);
    expect(await stored(waveId)).toEqual([]);
  });

  it('refuses unit ids that cannot be part of an address (/ \\ ? # or control characters), naming them in Japanese', async () => {
    const waveId = await newWave();
    for (const id of ['a/b', 'a\\b', 'a?b', 'a#b', 'a\tb']) {
      const res = await t.staff('POST', `/api/waves/${waveId}/frame`, { units: [{ unitId: 'ok-1' }, { unitId: id }] });
      expect(res.status, id).toBe(422);
      expect((await res.json()).detail_ja).toContain('対象者番号に / \\ ? # や制御文字は使えません');
    }
    expect(await stored(waveId)).toEqual([]);
  });

  it('takes 対象者番号 as the id column, and an invitation list export goes back in as a new wave\'s frame', async () => {
    const first = await newWave();
    expect((await csv(first, '対象者番号,city,年代,email\nK1,気仙沼市,70代,k1@example.jp\nK2,大船渡市,,\n')).status).toBe(201);
    const rows = await stored(first);
    expect(rows.map((r) => [r.unitId, r.attributes, r.email]).sort()).toEqual([
      ['K1', { city: '気仙沼市', 年代: '70代' }, 'k1@example.jp'],
      ['K2', { city: '大船渡市', 年代: null }, null],
    ]);

    const exported = await (await t.staff('GET', `/api/waves/${first}/invitations/export?format=csv`)).text();
    const second = await newWave();
    const res = await csv(second, exported);
    expect(res.status).toBe(201);
    // The old wave's status, time, link and code are not attributes of the new wave.
    const again = await stored(second);
    expect(again.map((r) => [r.unitId, r.attributes]).sort()).toEqual([
      ['K1', { city: '気仙沼市', 年代: '70代' }],
      ['K2', { city: '大船渡市', 年代: null }],
    ]);
    expect(again.every((r) => r.tokenHash !== rows.find((o) => o.unitId === r.unitId)!.tokenHash)).toBe(true);
  });

  it('answers a NUL in the list search or a unit path with a Japanese 400, not a database error', async () => {
    const waveId = await newWave();
    expect((await t.staff('POST', `/api/waves/${waveId}/frame`, { units: [{ unitId: 'N1' }] })).status).toBe(201);
    const search = await t.staff('GET', `/api/waves/${waveId}/invitations?q=N%001`);
    expect(search.status).toBe(400);
    expect((await search.json()).title_ja).toBeTruthy();
    expect((await t.staff('GET', `/api/waves/${waveId}/invitations/export?format=csv&units=N%001`)).status).toBe(400);
    expect((await t.staff('POST', `/api/waves/${waveId}/invitations/N%001/reissue`)).status).toBe(400);
    expect((await t.staff('GET', `/api/waves/${waveId}/invitations/N%001/messages`)).status).toBe(400);
  });
});
