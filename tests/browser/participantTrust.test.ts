import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe.js';
import { browserAvailable, launchChromium, listen } from '../helpers/browser.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

const phone = { viewport: { width: 390, height: 844 }, locale: 'ja-JP', isMobile: true, hasTouch: true };

const choice = (page: Page, question: string, label: string) =>
  page.locator(`[data-q="${question}"] label.choice`, { hasText: label }).filter({ has: page.locator('input') }).getByText(label, { exact: true });

/** Whether the element's box lies inside the viewport and is not covered by another element at its top-left. */
async function uncovered(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel)!;
    const r = el.getBoundingClientRect();
    const inside = r.top >= 0 && r.bottom <= window.innerHeight;
    const x = Math.min(r.left + 4, window.innerWidth - 1);
    const hit = document.elementFromPoint(x, r.top + Math.min(4, r.height / 2));
    return inside && !!hit && (el === hit || el.contains(hit));
  }, selector);
}

// Skipped only on machines without Chromium; CI sets REQUIRE_BROWSER=1 so it always runs there.
describe.skipIf(!browserAvailable)('a participant page that earns trust [pglite]', () => {
  const t = useTestApp('pglite');
  let browser: Browser;
  let server: Awaited<ReturnType<typeof listen>>;
  const contexts: BrowserContext[] = [];
  const newPhone = async (extra: Record<string, unknown> = {}) => {
    const context = await browser.newContext({ ...phone, ...extra });
    contexts.push(context);
    return context;
  };
  const shot = (page: Page, name: string) => (process.env.SHOT_DIR ? page.screenshot({ path: `${process.env.SHOT_DIR}/${name}.png`, fullPage: true }) : undefined);

  beforeAll(async () => {
    browser = await launchChromium();
    server = await listen(t);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  it('shows the contact and deadline first, and support contacts with the thanks; a reload says this device answered', async () => {
    const closesAt = new Date(Date.now() + 20 * 86_400_000);
    const { slug } = await openWave(t, ['ucla3-national'], { closesAt: closesAt.toISOString() });
    // Before the organisation sets anything: the national portal is the support contact.
    const page = await (await newPhone()).newPage();
    await page.goto(`${server.url}/s/${slug}`);
    await page.locator('html[data-ready="true"]').waitFor();
    await page.getByText('回答期限', { exact: true }).waitFor();
    const deadline = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric' }).format(closesAt);
    await expect(page.locator('.intro').textContent()).resolves.toMatch(new RegExp(`${deadline}（[日月火水木金土]）`));
    expect(await page.getByText('問い合わせ先', { exact: true }).count()).toBe(0); // none set yet: no empty row

    expect((await t.staff('PATCH', '/api/organisation', { contact: '気仙沼まちづくり支援センター 担当 山田\n電話 0226-00-0000', supportContacts: [{ name: '気仙沼市 保健福祉部', detail: '電話 0226-11-1111', url: 'https://example.jp/soudan' }] })).status).toBe(200);
    await page.reload();
    await page.locator('html[data-ready="true"]').waitFor();
    await page.getByText('問い合わせ先', { exact: true }).waitFor();
    await page.getByText(/担当 山田/).waitFor();
    await shot(page, 'first-screen-390');

    await choice(page, 'ucla3_companionship', 'ほとんどない').click();
    await choice(page, 'ucla3_left_out', '時々ある').click();
    await choice(page, 'ucla3_isolated', '常にある').click();
    await page.getByRole('button', { name: '回答を送信する' }).click();
    await page.locator('html[data-submitted="true"]').waitFor();
    await page.getByRole('heading', { name: '相談したいときは' }).waitFor();
    await expect(page.getByRole('link', { name: '気仙沼市 保健福祉部' }).getAttribute('href')).resolves.toBe('https://example.jp/soudan');
    expect(await page.getByText('あなたはひとりじゃない').count()).toBe(0);

    // Reload after thanks: not a blank new form, but "already answered", with a way for someone else to start.
    await page.reload();
    await page.locator('html[data-answered-before="true"]').waitFor();
    await page.getByText('この端末からの回答はすでに受け付けています').waitFor();
    expect(await page.locator('#survey-form').isVisible()).toBe(false);
    await shot(page, 'answered-before-390');
    await page.getByRole('button', { name: '別の方がこの端末で回答する' }).click();
    await page.locator('html[data-ready="true"]').waitFor();
    await expect(page.locator('#survey-form').isVisible()).resolves.toBe(true);
    expect(await page.locator('[data-q] input:checked').count()).toBe(0);
  });

  it('the thanks without JavaScript names the national portal by default', async () => {
    const { slug } = await openWave(t, ['ucla3-national']);
    expect((await t.staff('PATCH', '/api/organisation', { supportContacts: null })).status).toBe(200);
    const context = await newPhone({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/s/${slug}`);
    for (const [q, v] of [['ucla3_companionship', '1'], ['ucla3_left_out', '2'], ['ucla3_isolated', '3']]) await page.locator(`input[name="${q}"][value="${v}"]`).check();
    await page.getByRole('button', { name: '回答を送信する' }).click();
    await page.getByRole('heading', { name: 'ご回答ありがとうございました' }).waitFor();
    await expect(page.getByRole('link', { name: /あなたはひとりじゃない/ }).getAttribute('href')).resolves.toBe('https://notalone-cao.go.jp/');
  });

  it("respects the reader's text size: at 200% text on a 390 px phone the intro stays readable and a jumped-to error is not covered", async () => {
    const { slug } = await openWave(t, ['post-activity', 'ucla3-national']);
    const context = await newPhone();
    const page = await context.newPage();
    // The reader's own setting: default text 32 px instead of 16 px (Chrome's font-size setting, as 200% text zoom).
    const cdp = await context.newCDPSession(page);
    await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32 } });
    await page.goto(`${server.url}/s/${slug}`);
    await page.locator('html[data-ready="true"]').waitFor();
    const rootPx = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    expect(rootPx).toBe(40); // 125% of the reader's 32 px, not a fixed 20 px
    // Intro labels sit above their text: each value has (nearly) the full width, not a 5.5em column's leftovers.
    const ddWidth = await page.evaluate(() => document.querySelector('.intro dd')!.getBoundingClientRect().width);
    expect(ddWidth).toBeGreaterThan(300);
    await page.getByRole('button', { name: '次へ' }).click(); // page 1 has optional questions only
    await page.getByRole('button', { name: '回答を送信する' }).click(); // page 2: the required UCLA items are missing
    await page.locator('[data-q="ucla3_companionship"] .q-error').waitFor();
    await page.waitForTimeout(200);
    expect(await uncovered(page, '[data-q="ucla3_companionship"] .q-title')).toBe(true);
    expect(await uncovered(page, '[data-q="ucla3_companionship"] .q-error')).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    if (process.env.SHOT_DIR) await page.screenshot({ path: `${process.env.SHOT_DIR}/zoom200-error-390.png` });
  });

  it("the phone's back button goes to the previous page of the questionnaire", async () => {
    const { slug } = await openWave(t, ['post-activity', 'ucla3-national', 'profile']);
    const page = await (await newPhone()).newPage();
    await page.goto(`${server.url}/s/${slug}`);
    await page.locator('html[data-ready="true"]').waitFor();
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.locator('#progress-text').textContent()).resolves.toMatch(/^2 \/ 3 ページ/);
    await page.goBack();
    await expect(page.locator('#progress-text').textContent()).resolves.toMatch(/^1 \/ 3 ページ/);
    expect(new URL(page.url()).pathname).toBe(`/s/${slug}`);
    await page.goForward();
    await expect(page.locator('#progress-text').textContent()).resolves.toMatch(/^2 \/ 3 ページ/);
    // The on-page 戻る button and the phone's back button agree.
    await page.getByRole('button', { name: '戻る' }).click();
    await expect(page.locator('#progress-text').textContent()).resolves.toMatch(/^1 \/ 3 ページ/);
  });

  it('reads a question aloud with the browser’s own Japanese voice when switched on', async () => {
    const { slug } = await openWave(t, ['ucla3-national']);
    const page = await (await newPhone()).newPage();
    await page.addInitScript(() => {
      const spoken: { text: string; lang: string }[] = [];
      (window as unknown as { spoken: typeof spoken }).spoken = spoken;
      window.speechSynthesis.speak = (u: SpeechSynthesisUtterance) => void spoken.push({ text: u.text, lang: u.lang });
    });
    await page.goto(`${server.url}/s/${slug}`);
    await page.locator('html[data-ready="true"]').waitFor();
    expect(await page.locator('[data-q] .read-aloud').first().isVisible()).toBe(false);
    await page.getByRole('button', { name: '読み上げ', exact: true }).click();
    await page.locator('[data-q="ucla3_companionship"]').getByRole('button', { name: /この質問を読み上げる/ }).click();
    const spoken = await page.evaluate(() => (window as unknown as { spoken: { text: string; lang: string }[] }).spoken);
    expect(spoken).toHaveLength(1);
    expect(spoken[0].lang).toBe('ja-JP');
    expect(spoken[0].text).toContain('ほとんどない');
    // Remembered on the device.
    await page.reload();
    await page.locator('html[data-ready="true"]').waitFor();
    expect(await page.locator('[data-q="ucla3_companionship"] .read-aloud').isVisible()).toBe(true);
  });

  it('axe-core finds no WCAG A/AA violations on the participant pages', async () => {
    const { slug, waveId } = await openWave(t, ['post-activity', 'ucla3-national', 'profile']);
    const page = await (await newPhone()).newPage();
    await page.goto(`${server.url}/s/${slug}`);
    await page.locator('html[data-ready="true"]').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '次へ' }).click();
    await page.getByRole('button', { name: '次へ' }).click();
    await page.locator('.q-error').first().waitFor();
    expect(await axeViolations(page)).toEqual([]); // with errors shown
    await page.goto(`${server.url}/s/${slug}?lang=en`);
    await page.locator('html[data-ready="true"]').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    // The thanks with its support contacts, and the reload that says this device has answered.
    const answered = await openWave(t, ['ucla3-national']);
    await page.goto(`${server.url}/s/${answered.slug}`);
    await page.locator('html[data-ready="true"]').waitFor();
    for (const q of ['ucla3_companionship', 'ucla3_left_out', 'ucla3_isolated']) await page.locator(`[data-q="${q}"] label.choice`).first().click();
    await page.getByRole('button', { name: '回答を送信する' }).click();
    await page.locator('html[data-submitted="true"]').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.reload();
    await page.locator('html[data-answered-before="true"]').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    expect((await t.staff('POST', `/api/waves/${waveId}/close`)).status).toBe(200);
    await page.goto(`${server.url}/s/${slug}`);
    expect(await axeViolations(page)).toEqual([]); // the closed-link message
  });
});
