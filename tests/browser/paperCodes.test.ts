import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { responses } from '../../src/db/schema.js';
import { browserAvailable, useStaffBrowser } from '../helpers/browser.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

// Skipped only on machines without Chromium; CI sets REQUIRE_BROWSER=1 so it always runs there.
describe.skipIf(!browserAvailable)('paper returns with participant codes (issue 14 review) [pglite]', () => {
  const t = useTestApp('pglite');
  const staff = useStaffBrowser(t, { email: 'codes@example.jp', name: '紙 次郎', role: 'editor' });

  it('keys the 参加者コード written on a paper, pairing it with the web answer, and warns when a paper has none', async () => {
    const study = await (await t.staff('POST', '/api/studies', { name: '事前事後' })).json();
    const pre = await openWave(t, ['ucla3-national'], { studyId: study.id, askParticipantCode: true });
    const web = await t.request(`/api/public/s/${pre.slug}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idempotencyKey: 'web-pair-0001', answers: { ucla3_companionship: 1, ucla3_left_out: 2, ucla3_isolated: 3 }, participantCode: 'KM7P-2QRS' }),
    });
    expect(web.status).toBe(201);
    const context = await staff.browser.newContext({ viewport: { width: 390, height: 900 }, locale: 'ja-JP' });
    const page = await context.newPage();
    await staff.logIn(page, `/staff/waves/${pre.waveId}/paper`);
    await expect(page.locator('.paper-copy .code-box').innerText()).resolves.toContain('参加者コード');

    await page.goto(`${staff.server.url}/staff/waves/${pre.waveId}/entry`);
    const status = page.locator('#entry-status-line');
    await page.fill('#entry-code', 'km7p 2qrs');
    await page.locator('#entry-questions input[type=radio]').first().check();
    await page.click('#entry button[type=submit]');
    await expect(status.filter({ hasText: '保存しました' }).waitFor()).resolves.toBeUndefined();
    expect(await status.innerText()).not.toContain('参加者コードなし');
    await expect(page.locator('#entry-code').inputValue()).resolves.toBe('');

    await page.locator('#entry-questions input[type=radio]').first().check();
    await page.click('#entry button[type=submit]');
    await expect(status.filter({ hasText: '参加者コードなしで保存しました' }).waitFor()).resolves.toBeUndefined();

    const stored = async () => t.database.db.select().from(responses).where(eq(responses.waveId, pre.waveId));
    const hashes = (await stored()).map((r) => r.participantKeyHash);
    expect(hashes.filter((h) => h !== null)).toHaveLength(2);
    expect(new Set(hashes.filter((h) => h !== null)).size).toBe(1);
    const unpaired = (await stored()).find((r) => r.participantKeyHash === null)!;

    // The code read later from the paper is added by correcting the return.
    await page.goto(`${staff.server.url}/staff/waves/${pre.waveId}/entry?response=${unpaired.id}`);
    await page.fill('#entry-code', 'KM7P-2QRS');
    await page.click('#entry button[type=submit]');
    await page.waitForURL(`${staff.server.url}/staff/waves/${pre.waveId}/entry`);
    await context.close();
    const paired = (await stored()).map((r) => r.participantKeyHash);
    expect(new Set(paired).size).toBe(1);
    expect(paired[0]).not.toBeNull();
  });
});
