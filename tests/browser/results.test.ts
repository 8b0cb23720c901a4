import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { browserAvailable, useStaffBrowser } from '../helpers/browser.js';
import { kesennumaWave } from '../helpers/kesennuma.js';
import { useTestApp } from '../helpers/testApp.js';

// Skipped only on machines without Chromium; CI sets REQUIRE_BROWSER=1 so it always runs there.
describe.skipIf(!browserAvailable)('evaluator results page [pglite]', () => {
  const t = useTestApp('pglite');
  const staff = useStaffBrowser(t, { email: 'evaluator@example.jp', name: '評価 花子', role: 'evaluator' });

  it('an evaluator logs in, sees rates by city with a chart, picks a cross-tab and downloads it as XLSX', async () => {
    const waveId = await kesennumaWave(t);
    const context = await staff.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', acceptDownloads: true });
    const page = await context.newPage();
    await staff.logIn(page, `/staff/waves/${waveId}/tables?by=city`);

    const rates = page.locator('section').filter({ hasText: '回収率' }).locator('table');
    await expect(rates.locator('tr', { hasText: '大船渡市' }).innerText()).resolves.toContain('30.61%');
    await expect(rates.locator('tr.total').innerText()).resolves.toContain('36.96%');
    const chartLoaded = await page.locator('img.chart').first().evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth));
    expect(chartLoaded).toBeGreaterThan(100);

    const picker = page.locator('section').filter({ hasText: 'クロス集計' });
    await picker.locator('select[name=row]').selectOption('kesen_legal_type');
    await picker.locator('select[name=col]').selectOption('kesen_anti_isolation');
    await picker.getByRole('button', { name: '集計' }).click();
    await page.waitForURL(/row=kesen_legal_type/);
    await expect(rates.locator('tr', { hasText: '陸前高田市' }).innerText()).resolves.toContain('41.03%');

    // The screen and the CSV with the same settings hold the same cells (suppressed at the organisation's k = 5).
    const section = page.locator('section').filter({ hasText: 'クロス集計' });
    await expect(section.locator('.hint').innerText()).resolves.toContain('5 件未満');
    const screen = await section.locator('#crosstab tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => (c as HTMLElement).innerText.trim().replace(/%$/, ''))));
    const href = await section.getByRole('link', { name: 'CSV ダウンロード' }).getAttribute('href');
    const csv = (await (await page.request.get(`${staff.server.url}${href}`)).text()).replace(/^\uFEFF/, '').split('\r\n');
    const file = csv.slice(1).filter((line) => line !== '').slice(0, screen.length).map((line) => line.split(','));
    expect(file).toEqual(screen);
    expect(screen.flat()).toContain('x');

    // Unsuppressed (k = 0), row % in the Japanese layout: the NPO row as printed.
    expect((await t.staff('PATCH', '/api/organisation', { suppressionK: 0 })).status).toBe(200);
    await section.locator('input[name=suppress]').fill('0');
    await section.getByRole('button', { name: '集計' }).click();
    await page.waitForURL(/suppress=0/);
    const npo = await section.locator('#crosstab tr', { hasText: '特定非営利活動法人' }).allInnerTexts();
    expect(npo[0].replace(/\s+/g, ' ')).toContain('特定非営利活動法人 26');
    expect(npo[1].replace(/\s+/g, ' ')).toContain('83.87%');
    // Chart labels stay inside the chart: every text box of the SVG lies within its width.
    const chart = await section.locator('img.chart').getAttribute('src');
    const svg = await context.newPage();
    await svg.goto(`${staff.server.url}${chart}`);
    const outside = await svg.evaluate(() => {
      const root = document.querySelector('svg')!.getBoundingClientRect();
      return [...document.querySelectorAll('text')].map((t) => t.getBoundingClientRect()).filter((b) => b.width > 0 && (b.left < root.left - 0.5 || b.right > root.right + 0.5)).length;
    });
    expect(outside).toBe(0);
    await svg.close();
    if (process.env.SHOT_DIR) {
      await page.screenshot({ path: `${process.env.SHOT_DIR}/tables-1280.png`, fullPage: true });
      await page.setViewportSize({ width: 390, height: 900 });
      await page.screenshot({ path: `${process.env.SHOT_DIR}/tables-390.png`, fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });
    }

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'XLSX ダウンロード' }).nth(1).click()]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await download.path())!);
    expect(book.worksheets.map((w) => w.name)).toContain('コードブック');
    await context.close();
  }, 120_000);
});
