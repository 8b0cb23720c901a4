import { tmpdir } from 'node:os';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { attendances } from '../../src/db/schema.js';
import { browserAvailable, useStaffBrowser } from '../helpers/browser.js';
import { pdfPages } from '../helpers/pdf.js';
import { useTestApp } from '../helpers/testApp.js';

const SHOTS = process.env.SHOT_DIR;
const shot = (page: Page, name: string) => (SHOTS ? page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true }) : undefined);

// Skipped only on machines without Chromium; CI sets REQUIRE_BROWSER=1 so it always runs there.
describe.skipIf(!browserAvailable)('participation pages in the browser [pglite]', () => {
  const t = useTestApp('pglite');
  const b = useStaffBrowser(t, { email: 'salon@example.jp', name: 'サロン担当', role: 'editor' });

  async function activityWithRecords() {
    const activity = await (await t.staff('POST', '/api/activities', { name: 'ふれあいサロン' })).json();
    const rows = ['日付,会場,テーマ,参加者コード'];
    const plan: [string, string, string, string[]][] = [
      ['2025/06/04', '本町', '体操', ['A1', 'A2', 'A3']],
      ['2025/06/18', '浜町', '料理', ['A1', 'A4']],
      ['2025/07/02', '本町', '体操', ['A1', 'A2', 'A5', 'A6']],
    ];
    for (const [day, site, theme, codes] of plan) for (const code of codes) rows.push(`${day},${site},${theme},${code}`);
    expect((await t.staff('POST', `/api/activities/${activity.id}/attendance`, rows.join('\n'), { 'content-type': 'text/csv' })).status).toBe(201);
    return activity.id as string;
  }

  it('shows the indicators with their definitions, and sets a target whose 達成率 appears', async () => {
    const id = await activityWithRecords();
    const context = await b.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    const page = await context.newPage();
    page.on('dialog', (d) => d.accept());
    await b.logIn(page, `/staff/activities/${id}`);
    const indicatorRow = (name: string) => page.locator('table tr', { has: page.locator('th', { hasText: new RegExp(`^${name}$`) }) }).first();
    await expect(indicatorRow('開催回数').locator('td').first().textContent()).resolves.toBe('3');
    await expect(indicatorRow('延べ参加者数').locator('td').first().textContent()).resolves.toBe('9');
    await expect(indicatorRow('実人数').locator('td').first().textContent()).resolves.toBe('6');
    await expect(indicatorRow('実人数').locator('td').nth(1).textContent()).resolves.toContain('1回以上参加した人の数');
    await page.getByText('継続率', { exact: false }).first().waitFor();

    const targets = page.locator('form[data-form="targets"]');
    await targets.getByLabel('指標').first().selectOption('unique');
    await targets.getByLabel('目標').first().fill('8');
    await targets.getByRole('button', { name: /目標を保存/ }).click();
    await page.waitForLoadState('load');
    await page.getByRole('heading', { name: /目標と実績/ }).waitFor();
    const target = page.locator('table tr', { has: page.locator('th', { hasText: '実人数' }) }).last();
    await expect(target.textContent()).resolves.toContain('75.0%');
    await shot(page, 'activity-1280');

    // The printable report: the same tables on A4.
    await page.getByRole('link', { name: /報告書（印刷用）/ }).click();
    await page.getByRole('heading', { name: /1\. 事業の概要/ }).waitFor();
    const pdf = `${tmpdir()}/participation-report-${id}.pdf`;
    await page.pdf({ path: pdf, format: 'A4', printBackground: true });
    const text = pdfPages(pdf).join('');
    for (const expected of ['参加の記録:ふれあいサロン', '開催回数', '延べ参加者数', '実人数', '目標と実績', '75.0%', '1回以上参加した人の数']) expect(text).toContain(expected);
    expect(text).not.toContain('印刷・PDF保存');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'activity-390');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390 + 1);
    await context.close();
  });

  it('records attendance at the door on a phone while offline, and sends it once when back online', async () => {
    const activity = await (await t.staff('POST', '/api/activities', { name: '男性の料理教室' })).json();
    const session = await (await t.staff('POST', `/api/activities/${activity.id}/sessions`, { heldOn: '2025-09-10', site: '公民館', theme: '料理' })).json();
    const context = await b.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await b.logIn(page, `/staff/sessions/${session.id}/door`);
    const present = () => t.database.db.select().from(attendances).where(eq(attendances.sessionId, session.id));

    await page.getByLabel(/^参加者コード/).fill('m-01');
    await page.getByRole('button', { name: /^出席/ }).click();
    await expect.poll(() => page.locator('#door-status').textContent()).toBe('この端末で出席 1 人・この回の出席（全端末） 1 人（送信済み）');
    await context.setOffline(true);
    for (const code of ['M-02', 'ｍ－０３']) {
      await page.getByLabel(/^参加者コード/).fill(code);
      await page.getByRole('button', { name: /^出席/ }).click();
    }
    await page.getByRole('button', { name: 'M01' }).click(); // already present: nothing new
    await expect.poll(() => page.locator('#door-status').textContent()).toContain('送信待ち 2 件');
    await shot(page, 'door-offline-390');
    expect(await present()).toHaveLength(1);

    await context.setOffline(false);
    await expect.poll(() => page.locator('#door-status').textContent(), { timeout: 20_000 }).toBe('この端末で出席 3 人・この回の出席（全端末） 3 人（送信済み）');
    expect(await present()).toHaveLength(3);
    // Another device marked someone too: the count from the server says so.
    expect((await t.staff('POST', `/api/sessions/${session.id}/attendance`, { codes: ['M-09'] })).status).toBe(200);
    // Reopened: the device remembers which codes it has seen, and who is marked present.
    await page.reload();
    await expect(page.getByRole('button', { name: 'M03' }).getAttribute('aria-pressed')).resolves.toBe('true');
    await expect.poll(() => page.locator('#door-status').textContent()).toBe('この端末で出席 3 人・この回の出席（全端末） 4 人（送信済み）');
    expect(await present()).toHaveLength(4);
    // A mistaken tap is taken back.
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: 'M02' }).click();
    await expect.poll(() => page.locator('#door-status').textContent()).toBe('この端末で出席 2 人・この回の出席（全端末） 3 人（送信済み）');
    expect(await present()).toHaveLength(3);
    await context.close();
  });
});
