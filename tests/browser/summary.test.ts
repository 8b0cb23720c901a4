import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { browserAvailable, useStaffBrowser } from '../helpers/browser.js';
import { kesennumaWave } from '../helpers/kesennuma.js';
import { useTestApp } from '../helpers/testApp.js';

/** Set SHOT_DIR to keep the screenshots for looking at. */
const SHOT_DIR = process.env.SHOT_DIR;

describe.skipIf(!browserAvailable)('wave summary page (単純集計) [pglite]', () => {
  const t = useTestApp('pglite');
  const staff = useStaffBrowser(t, { email: 'evaluator@example.jp', name: '評価 花子', role: 'evaluator' });

  for (const width of [390, 1280]) {
    it(`shows every question at once at ${width} px, with 帯グラフ whose labels fit`, async () => {
      const waveId = await kesennumaWave(t);
      const context = await staff.browser.newContext({ viewport: { width, height: 900 }, locale: 'ja-JP' });
      const page = await context.newPage();
      await staff.logIn(page, `/staff/waves/${waveId}/results`);

      await expect(page.locator('.summary-base').innerText()).resolves.toContain('n = 68');
      const questions = page.locator('section.question');
      expect(await questions.count()).toBeGreaterThanOrEqual(4);
      // The one organisation that skipped the anti-isolation question shows as 無回答 (1 of 68).
      const anti = page.locator('section#q-kesen_anti_isolation');
      await expect(anti.locator('tr.no-answer').innerText()).resolves.toMatch(/無回答\s+1\s+1\.5%/);
      // Multiple choice: % of respondents beside % of answers.
      await expect(page.locator('section#q-kesen_targets thead').innerText()).resolves.toContain('回答数に対する%');

      // Every label inside a bar segment fits its segment; nothing spills past the page.
      const clipped = await page.locator('.band .segment > span').evaluateAll((spans) =>
        spans.filter((s) => s.getBoundingClientRect().width > (s.parentElement as HTMLElement).getBoundingClientRect().width + 0.5).length,
      );
      expect(clipped).toBe(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

      // Broken down by city: one line per city in frame order, with n.
      await page.locator('select[name=by]').selectOption('frame.city');
      await page.getByRole('button', { name: '表示' }).click();
      await page.waitForURL(/by=frame.city/);
      const legal = page.locator('section#q-kesen_legal_type tbody tr');
      expect((await legal.allInnerTexts()).map((r) => r.split(/\s+/)[0])).toEqual(['全体', '大船渡市', '陸前高田市', '気仙沼市']);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      if (SHOT_DIR) {
        mkdirSync(SHOT_DIR, { recursive: true });
        await page.screenshot({ path: `${SHOT_DIR}/summary-by-city-${width}.png`, fullPage: true });
        await page.goto(page.url().replace(/\?.*$/, ''));
        await page.screenshot({ path: `${SHOT_DIR}/summary-${width}.png`, fullPage: true });
      }
      await context.close();
    }, 120_000);
  }
});
