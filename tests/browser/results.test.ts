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
    const npo = await page.locator('section').filter({ hasText: 'クロス集計' }).locator('tr', { hasText: '特定非営利活動法人' }).innerText();
    expect(npo.replace(/\s+/g, ' ')).toContain('26 83.87%');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'XLSX ダウンロード' }).nth(1).click()]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await download.path())!);
    expect(book.worksheets.map((w) => w.name)).toContain('コードブック');
    await context.close();
  });
});
