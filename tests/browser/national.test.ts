import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { browserAvailable, useStaffBrowser } from '../helpers/browser.js';
import { nationalWave, STRATA_CSV } from '../helpers/nationalWave.js';
import { useTestApp } from '../helpers/testApp.js';

/** Set SHOT_DIR to keep the screenshots for looking at. */
const SHOT_DIR = process.env.SHOT_DIR;

describe.skipIf(!browserAvailable)('national comparison page [pglite]', () => {
  const t = useTestApp('pglite');
  const staff = useStaffBrowser(t, { email: 'editor@example.jp', name: '編集 太郎', role: 'editor' });
  let waveId: string;

  for (const width of [390, 1280]) {
    it(`shows the wave beside the nation at ${width} px, with the caveats and why nothing is standardised`, async () => {
      waveId ??= await nationalWave(t);
      const context = await staff.browser.newContext({ viewport: { width, height: 900 }, locale: 'ja-JP' });
      const page = await context.newPage();
      await staff.logIn(page, `/staff/waves/${waveId}/results`);
      await page.getByRole('link', { name: /全国調査との比較/ }).click();
      await page.waitForURL(/\/national$/);

      const direct = page.locator('#national-loneliness-direct');
      // Small cells hidden as in the cross-tabs (k = 5): only 7 of 20 is shown, the rest are one hatched segment.
      await expect(direct.locator('tbody tr').first().innerText()).resolves.toMatch(/この調査\s+wave\s+20\s+x\s+x\s+x\s+35\.0%\s+x\s+x\s+x/);
      await expect(direct.locator('.band-row').first().locator('.band').getAttribute('aria-label')).resolves.toBe('ほとんどない 35.0%、人数が少なく隠した区分（x） 計 65.0%');
      await expect(direct.innerText()).resolves.toMatch(/全国\s+令和5年\s+11141\s+4\.8%/);
      await expect(direct.locator('.band-row').count()).resolves.toBe(4); // this wave, R3, R4, R5 (R6 is not published in full)
      const ucla = page.locator('#national-ucla3-national');
      await expect(ucla.locator('.band-label').nth(1).innerText()).resolves.toContain('（概数）');
      await expect(ucla.innerText()).resolves.toContain('✗ 概数（白書の図から再構成）');
      await expect(page.locator('.caveat').innerText()).resolves.toContain('無作為');
      await expect(direct.locator('.standardisation-reason').innerText()).resolves.toContain('e-Stat');
      // Tables scroll inside their box; the page itself never gets wider than the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      if (SHOT_DIR) {
        mkdirSync(SHOT_DIR, { recursive: true });
        await page.screenshot({ path: `${SHOT_DIR}/national-${width}.png`, fullPage: true });
      }
      await context.close();
    }, 120_000);
  }

  it('loads a sex × age table from CSV, refusing a bad one by row, and then shows the standardised comparison', async () => {
    const context = await staff.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    const page = await context.newPage();
    await staff.logIn(page, '/staff/national');
    const form = page.locator('form[data-instrument="loneliness-direct"]');
    await form.getByLabel(/出典/).fill('テスト用の表');
    const bad = `${STRATA_CSV.split('\n')[0]}\n不明,20〜29歳,10,6,16,20,38,19,1`;
    await form.locator('input[type=file]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await form.getByRole('button', { name: '読み込む' }).click();
    await form.locator('.problems').waitFor({ state: 'visible' });
    await expect(form.locator('.problems').innerText()).resolves.toContain('2行目: 性別「不明」は「男性」か「女性」で書いてください。');
    if (SHOT_DIR) await page.screenshot({ path: `${SHOT_DIR}/national-references-refused-1280.png`, fullPage: true });

    await form.locator('input[type=file]').setInputFiles({ name: 'estat.csv', mimeType: 'text/csv', buffer: Buffer.from(STRATA_CSV) });
    await Promise.all([page.waitForEvent('load'), form.getByRole('button', { name: '読み込む' }).click()]);
    await expect(page.locator('#reference-loneliness-direct .loaded').innerText()).resolves.toContain('テスト用の表（estat.csv、4 層');

    await page.goto(page.url().replace('/staff/national', `/staff/waves/${waveId}/national`));
    const direct = page.locator('#national-loneliness-direct');
    await expect(direct.innerText()).resolves.toMatch(/全国（この調査の性・年齢構成に標準化）\s+4\.5%/);
    await expect(direct.locator('.standardisation-reason').count()).resolves.toBe(0);
    if (SHOT_DIR) await page.screenshot({ path: `${SHOT_DIR}/national-standardised-1280.png`, fullPage: true });

    // The printable report holds the same comparison, the standardised figures included.
    await page.goto(page.url().replace(/national$/, 'report'));
    const section = page.locator('section#national');
    await expect(section.locator('> h2').innerText()).resolves.toMatch(/^3\. 全国調査との比較/);
    await expect(section.innerText()).resolves.toMatch(/全国（この調査の性・年齢構成に標準化）\s+4\.5%/);
    await expect(section.innerText()).resolves.toContain('✗ 概数（白書の図から再構成）');
    if (SHOT_DIR) writeFileSync(`${SHOT_DIR}/national-report.pdf`, await page.pdf({ format: 'A4', printBackground: true }));

    // The reference page on a phone: the CSV example scrolls in its box, the page does not.
    await page.setViewportSize({ width: 390, height: 900 });
    await page.goto(page.url().replace(/\/waves\/.*$/, '/national'));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    if (SHOT_DIR) await page.screenshot({ path: `${SHOT_DIR}/national-references-390.png`, fullPage: true });
    await context.close();
  }, 120_000);
});
