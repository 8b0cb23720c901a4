import { describe, expect, it } from 'vitest';
import { browserAvailable, useStaffBrowser } from '../helpers/browser.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

// Skipped only on machines without Chromium; CI sets REQUIRE_BROWSER=1 so it always runs there.
describe.skipIf(!browserAvailable)('frame upload on the 名簿 page (issue 14 review) [pglite]', () => {
  const t = useTestApp('pglite');
  const staff = useStaffBrowser(t, { email: 'frame@example.jp', name: '名簿 三郎', role: 'editor' });

  it('uploads another wave’s invitation list export (header 対象者番号) and shows a refused id in Japanese', async () => {
    const first = await openWave(t, ['ucla3-national'], { openLink: false });
    expect((await t.staff('POST', `/api/waves/${first.waveId}/frame`, { units: [{ unitId: 'E1', attributes: { city: '気仙沼市' } }, { unitId: 'E2', attributes: { city: '大船渡市' } }] })).status).toBe(201);
    const exported = await (await t.staff('GET', `/api/waves/${first.waveId}/invitations/export?format=csv`)).arrayBuffer();
    const second = await openWave(t, ['ucla3-national'], { openLink: false });

    const context = await staff.browser.newContext({ viewport: { width: 390, height: 900 }, locale: 'ja-JP' });
    const page = await context.newPage();
    await staff.logIn(page, `/staff/waves/${second.waveId}/frame`);
    await page.locator('#frame-file').setInputFiles({ name: 'invitations.csv', mimeType: 'text/csv', buffer: Buffer.from(exported) });
    await expect.poll(() => page.locator('#frame-csv').inputValue()).toContain('対象者番号,city');
    await page.locator('#frame-form button[type="submit"]').click();
    await expect.poll(() => page.locator('#frame-links tbody tr').count()).toBe(2);

    await page.fill('#frame-csv', '対象者番号,city\nE/3,陸前高田市\n');
    await page.locator('#frame-form button[type="submit"]').click();
    await expect.poll(() => page.locator('#frame-problems').innerText()).toContain('対象者番号に / \\ ? # や制御文字は使えません: E/3');
    await context.close();
    const listed = await (await t.staff('GET', `/api/waves/${second.waveId}/invitations`)).json();
    expect(listed.units.map((u: { unitId: string; attributes: object }) => [u.unitId, u.attributes])).toEqual([
      ['E1', { city: '気仙沼市' }],
      ['E2', { city: '大船渡市' }],
    ]);
  });
});
