import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responses } from '../../src/db/schema.js';
import { browserAvailable, launchChromium, listen } from '../helpers/browser.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

// Skipped only on machines without Chromium; CI sets REQUIRE_BROWSER=1 so it always runs there.
describe.skipIf(!browserAvailable)('participant answers on a phone [pglite]', () => {
  const t = useTestApp('pglite');
  let browser: Browser;
  let server: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    browser = await launchChromium();
    server = await listen(t);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('answers the UCLA 3-item questionnaire in Japanese at 390×844 and the row is stored', async () => {
    const { slug, waveId } = await openWave(t, ['ucla3-national']);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/s/${slug}`);
    await page.getByText('あなたは、自分には人とのつきあいがないと感じることがありますか。').waitFor();
    const questions = page.locator('.sd-question');
    await questions.nth(0).getByText('ほとんどない', { exact: true }).click();
    await questions.nth(1).getByText('時々ある', { exact: true }).click();
    await questions.nth(2).getByText('常にある', { exact: true }).click();
    await page.locator('input.sd-navigation__complete-btn, button.sd-navigation__complete-btn').first().click();
    await page.locator('html[data-submitted="true"]').waitFor();
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(390);
    await context.close();

    const rows = await t.database.db.select().from(responses).where(eq(responses.waveId, waveId));
    expect(rows).toHaveLength(1);
    expect(rows[0].data).toEqual({ ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 4 });
    expect(rows[0].status).toBe('complete');
    expect(rows[0].mode).toBe('web');
  });
});
