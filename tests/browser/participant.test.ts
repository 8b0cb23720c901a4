import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitations, responses } from '../../src/db/schema.js';
import { browserAvailable, launchChromium, listen } from '../helpers/browser.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

const phone = { viewport: { width: 390, height: 844 }, locale: 'ja-JP', isMobile: true, hasTouch: true };

/** A questionnaire of one matrix (and, optionally, a condition that needs SurveyJS). */
const matrixQuestions = (withCondition: boolean) => [
  {
    type: 'matrix',
    name: 'mx_feelings',
    title: { default: '次のことをどのくらい感じますか。', en: 'How often do you feel the following?' },
    isRequired: true,
    isAllRowRequired: true,
    columns: [
      { value: 1, text: { default: 'ほとんどない', en: 'Hardly ever' } },
      { value: 2, text: { default: '時々ある', en: 'Some of the time' } },
      { value: 3, text: { default: 'よくある', en: 'Often' } },
      { value: 4, text: { default: '常にある（いつも感じている）', en: 'Always (all of the time)' } },
    ],
    rows: [
      { value: 'companionship', text: { default: '人とのつきあいがないと感じる', en: 'Lack companionship' } },
      { value: 'left_out', text: { default: '自分は取り残されていると感じる', en: 'Feel left out' } },
      { value: 'isolated', text: { default: '自分は他の人たちから孤立していると感じる', en: 'Feel isolated' } },
    ],
  },
  { type: 'radiogroup', name: 'mx_help', title: { default: '困ったときに相談できる人はいますか。', en: 'Is there someone you can ask for help?' }, choices: ['yes|いる', 'no|いない'] },
  ...(withCondition
    ? [{ type: 'comment', name: 'mx_why', title: { default: 'よろしければ理由を教えてください。', en: 'Why, if you like?' }, visibleIf: "{mx_help} = 'no'" }]
    : []),
];

async function openMatrixWave(t: ReturnType<typeof useTestApp>, withCondition: boolean) {
  const q = await (await t.staff('POST', '/api/questionnaires', { title: 'マトリクス', templateIds: ['ucla3-national'], ownQuestions: matrixQuestions(withCondition) })).json();
  expect((await t.staff('POST', `/api/questionnaires/${q.id}/publish`)).status).toBe(200);
  const wave = await (await t.staff('POST', '/api/waves', { name: 'matrix', questionnaireId: q.id })).json();
  return { waveId: wave.id as string, slug: String(wave.openLink).split('/s/')[1] };
}

const choice = (page: Page, question: string, label: string) =>
  page.locator(`[data-q="${question}"] label.choice`, { hasText: label }).filter({ has: page.locator('input') }).getByText(label, { exact: true });

async function answerUcla(page: Page) {
  await choice(page, 'ucla3_companionship', 'ほとんどない').click();
  await choice(page, 'ucla3_left_out', '時々ある').click();
  await choice(page, 'ucla3_isolated', '常にある').click();
}

// Skipped only on machines without Chromium; CI sets REQUIRE_BROWSER=1 so it always runs there.
describe.skipIf(!browserAvailable)('participant answers on a phone [pglite]', () => {
  const t = useTestApp('pglite');
  let browser: Browser;
  let server: Awaited<ReturnType<typeof listen>>;
  const stored = (waveId: string) => t.database.db.select().from(responses).where(eq(responses.waveId, waveId));
  const contexts: BrowserContext[] = [];
  const newPhone = async (extra: Record<string, unknown> = {}) => {
    const context = await browser.newContext({ ...phone, ...extra });
    contexts.push(context);
    return context;
  };

  beforeAll(async () => {
    browser = await launchChromium();
    server = await listen(t);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  it('answers the UCLA 3-item questionnaire in Japanese at 390×844 and the row is stored', async () => {
    const { slug, waveId } = await openWave(t, ['ucla3-national']);
    const page = await (await newPhone()).newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
    await page.goto(`${server.url}/s/${slug}`);
    await page.getByText('あなたは、自分には人とのつきあいがないと感じることがありますか。').waitFor();
    await page.locator('html[data-ready="true"]').waitFor();
    await answerUcla(page);
    await page.getByRole('button', { name: '回答を送信する' }).click();
    await page.locator('html[data-submitted="true"]').waitFor();
    await expect(page.getByRole('heading', { name: 'ご回答ありがとうございました' }).isVisible()).resolves.toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(pageErrors).toEqual([]);

    const rows = await stored(waveId);
    expect(rows).toHaveLength(1);
    expect(rows[0].data).toEqual({ ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 4 });
    expect(rows[0].status).toBe('complete');
    expect(rows[0].mode).toBe('web');
    expect(rows[0].idempotencyKey).toMatch(/^dev-[0-9a-f]{32}$/);
  });

  it('answers a composed questionnaire end to end: first screen, pages, progress, thank-you', async () => {
    const { slug, waveId } = await openWave(t, ['post-activity', 'ucla3-national', 'profile']);
    const page = await (await newPhone()).newPage();
    await page.goto(`${server.url}/s/${slug}`);
    // First screen: who, what for, how long, who sees answers, voluntary.
    for (const text of ['実施', '目的', '所要時間', '回答を見る人', '任意です']) await page.getByText(text, { exact: true }).waitFor();
    await expect(page.getByText(/約\d+分/).isVisible()).resolves.toBe(true);
    await page.locator('html[data-ready="true"]').waitFor();
    await expect(page.locator('#progress-text').textContent()).resolves.toMatch(/^1 \/ 3 ページ/);

    await choice(page, 'post_glad', 'そう思う').click();
    await choice(page, 'post_satisfaction', '満足').click();
    await page.locator('[data-q="post_heard_from"] label.choice').first().click();
    await page.locator('[data-q="post_heard_from"] label.choice').nth(1).click();
    await page.getByRole('button', { name: '次へ' }).click();
    // Page 2: the required UCLA questions are checked before moving on.
    await expect(page.locator('#progress-text').textContent()).resolves.toMatch(/^2 \/ 3 ページ/);
    await page.getByRole('button', { name: '次へ' }).click();
    await page.locator('[data-q="ucla3_companionship"] .q-error').waitFor();
    await answerUcla(page);
    await page.getByRole('button', { name: '次へ' }).click();
    await choice(page, 'profile_age_band', '70〜74歳').click();
    await choice(page, 'profile_living_alone', 'ひとり暮らし').click();
    await page.getByLabel('お住まいの地域（市区町村など）を教えてください。').fill('気仙沼市');
    await page.getByRole('button', { name: '回答を送信する' }).click();
    await page.locator('html[data-submitted="true"]').waitFor();
    await page.getByText('回答を受け付けました').waitFor();

    const rows = await stored(waveId);
    expect(rows).toHaveLength(1);
    expect(rows[0].data).toMatchObject({
      post_glad: 4,
      post_satisfaction: 3,
      ucla3_companionship: 2,
      ucla3_left_out: 3,
      ucla3_isolated: 4,
      profile_age_band: '70_74',
      profile_living_alone: 'alone',
      profile_area: '気仙沼市',
    });
    expect((rows[0].data as Record<string, unknown>).post_heard_from).toHaveLength(2);
  });

  /** A phone answers the UCLA questions and presses send while offline; the page keeps the answers. */
  async function answerOffline() {
    const { slug, waveId } = await openWave(t, ['ucla3-national']);
    const context = await newPhone();
    const page = await context.newPage();
    await page.goto(`${server.url}/s/${slug}`);
    await page.locator('html[data-ready="true"]').waitFor();
    await answerUcla(page);
    await context.setOffline(true);
    await page.getByRole('button', { name: '回答を送信する' }).click();
    await page.getByText('回答はこの端末に保存されています').waitFor();
    return { slug, waveId, context, page };
  }

  it('keeps the answers when offline at submission and stores exactly one response when back online', async () => {
    const { slug, waveId, context, page } = await answerOffline();
    expect(await stored(waveId)).toHaveLength(0);
    // Still offline: a reload comes from nowhere, so reopen the page once the connection is back.
    await context.setOffline(false);
    await page.locator('html[data-submitted="true"]').waitFor({ timeout: 20_000 });
    // A second visit does not send it again.
    await page.reload();
    await page.locator('html[data-ready="true"]').waitFor();
    await page.waitForTimeout(300);
    const rows = await stored(waveId);
    expect(rows).toHaveLength(1);
    expect(rows[0].data).toEqual({ ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 4 });
  });

  it('resends answers left unsent on the next visit', async () => {
    const { slug, waveId, context, page } = await answerOffline();
    await page.close();
    await context.setOffline(false);
    const again = await context.newPage();
    await again.goto(`${server.url}/s/${slug}`);
    await again.locator('html[data-submitted="true"]').waitFor();
    expect(await stored(waveId)).toHaveLength(1);
  });

  it('resumes where the participant left off after a reload', async () => {
    const { slug, waveId } = await openWave(t, ['post-activity', 'ucla3-national', 'profile']);
    const page = await (await newPhone()).newPage();
    await page.goto(`${server.url}/s/${slug}`);
    await page.locator('html[data-ready="true"]').waitFor();
    await choice(page, 'post_glad', 'ややそう思う').click();
    await page.getByLabel('ご感想・ご意見をご自由にお書きください。').fill('楽しかった');
    await page.getByRole('button', { name: '次へ' }).click();
    await choice(page, 'ucla3_companionship', 'ほとんどない').click();
    await page.reload();
    await page.locator('html[data-ready="true"]').waitFor();
    await expect(page.locator('#progress-text').textContent()).resolves.toMatch(/^2 \/ 3 ページ/);
    await expect(page.locator('[data-q="ucla3_companionship"] input[value="2"]').isChecked()).resolves.toBe(true);
    await page.getByRole('button', { name: '戻る' }).click();
    await expect(page.locator('[data-q="post_glad"] input[value="3"]').isChecked()).resolves.toBe(true);
    await expect(page.locator('[data-q] textarea').first().inputValue()).resolves.toBe('楽しかった');
    expect(await stored(waveId)).toHaveLength(0);
  });

  it('shows the closed message for a closed wave', async () => {
    const { slug, waveId } = await openWave(t, ['ucla3-national']);
    expect((await t.staff('POST', `/api/waves/${waveId}/close`)).status).toBe(200);
    const page = await (await newPhone()).newPage();
    const res = await page.goto(`${server.url}/s/${slug}`);
    expect(res?.status()).toBe(404);
    await page.getByRole('heading', { name: 'このアンケートには回答できません' }).waitFor();
    await page.getByText('受付は終了したか').waitFor();
    await page.getByText('it has closed, or the link is not complete').waitFor();
  });

  it('an invitation link submits once; a second submission is refused', async () => {
    const { waveId } = await openWave(t, ['ucla3-national']);
    const frame = await (await t.staff('POST', `/api/waves/${waveId}/frame`, { units: [{ unitId: 'npo-001', attributes: { city: '気仙沼市' } }] })).json();
    const url = String(frame.invitations[0].url).replace('http://localhost', server.url);
    const context = await newPhone();
    const first = await context.newPage();
    const second = await context.newPage();
    await first.goto(url);
    await second.goto(url); // opened twice, before the first is sent
    for (const page of [first, second]) await page.locator('html[data-ready="true"]').waitFor();
    await answerUcla(first);
    await first.getByRole('button', { name: '回答を送信する' }).click();
    await first.locator('html[data-submitted="true"]').waitFor();

    await second.evaluate(() => localStorage.clear()); // as if a different device
    await second.reload();
    await second.getByRole('heading', { name: '回答済みです' }).waitFor();

    const token = url.split('/t/')[1];
    const again = await fetch(`${server.url}/api/public/t/${token}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idempotencyKey: 'another-device-key', answers: { ucla3_companionship: 1, ucla3_left_out: 1, ucla3_isolated: 1 } }),
    });
    expect(again.status).toBe(409);
    expect(await stored(waveId)).toHaveLength(1);
    const [inv] = await t.database.db.select().from(invitations).where(eq(invitations.waveId, waveId));
    expect(inv.disposition).toBe('complete');
  });

  it('can be completed with the keyboard only', async () => {
    const { slug, waveId } = await openWave(t, ['ucla3-national']);
    const page = await (await newPhone({ isMobile: false, hasTouch: false })).newPage();
    await page.goto(`${server.url}/s/${slug}`);
    await page.locator('html[data-ready="true"]').waitFor();
    const focused = () => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? document.activeElement?.tagName);
    // Tab past the language link into the first question; arrow keys choose within a question.
    for (let i = 0; i < 10 && (await focused()) !== 'ucla3_companionship'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('ucla3_companionship');
    await page.keyboard.press('Space'); // first choice
    await page.keyboard.press('ArrowDown'); // second: 時々ある (2)
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('ucla3_left_out');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown'); // よくある (3)
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab'); // the send button
    await page.keyboard.press('Enter');
    await page.locator('html[data-submitted="true"]').waitFor();
    const rows = await stored(waveId);
    expect(rows).toHaveLength(1);
    expect(rows[0].data).toEqual({ ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 1 });
  });

  for (const withCondition of [false, true]) {
    it(`shows matrix questions one row per question without sideways scrolling at 360 px (${withCondition ? 'SurveyJS' : 'server-rendered'})`, async () => {
      const { slug, waveId } = await openMatrixWave(t, withCondition);
      const page = await (await newPhone({ viewport: { width: 360, height: 740 } })).newPage();
      await page.goto(`${server.url}/s/${slug}`);
      await page.locator('html[data-ready="true"]').waitFor();
      const wide = () => page.evaluate(() => document.documentElement.scrollWidth);
      expect(await wide()).toBeLessThanOrEqual(360);
      if (!withCondition) {
        await answerUcla(page);
        await page.getByRole('button', { name: '次へ' }).click();
        await page.getByText('人とのつきあいがないと感じる', { exact: true }).waitFor();
        for (const row of ['companionship', 'left_out', 'isolated']) {
          await page.locator(`[data-q="mx_feelings"] [data-row="${row}"] label.choice`).nth(1).click();
        }
        expect(await wide()).toBeLessThanOrEqual(360);
        await page.getByRole('button', { name: '回答を送信する' }).click();
        await page.locator('html[data-submitted="true"]').waitFor();
        const [row] = await stored(waveId);
        expect(row.data).toMatchObject({ mx_feelings: { companionship: 2, left_out: 2, isolated: 2 } });
        return;
      }
      // SurveyJS takes over (the questionnaire has a condition); answers given before are kept.
      await page.locator('html[data-renderer="surveyjs"]').waitFor({ timeout: 20_000 });
      for (const [title, label] of [['人とのつきあいがない', 'ほとんどない'], ['取り残されている', '時々ある'], ['孤立している', '常にある']]) {
        await page.locator('.sd-question', { hasText: title }).getByText(label, { exact: true }).click();
      }
      await expect(page.locator('.sd-question').first().isVisible()).resolves.toBe(true);
      expect(await page.evaluate(() => (window as unknown as { Survey: unknown }).Survey !== undefined)).toBe(true);
      const next = page.locator('.sd-navigation__next-btn:visible');
      await next.click();
      await page.locator('#survey').getByText('人とのつきあいがないと感じる', { exact: true }).waitFor();
      expect(await wide()).toBeLessThanOrEqual(360);
    }, 60_000);
  }

  it('SurveyJS takes over a questionnaire with conditions and keeps the answers already given', async () => {
    const { slug, waveId } = await openMatrixWave(t, true);
    const context = await newPhone();
    const page = await context.newPage();
    // Hold the bundle back so the participant answers the server-rendered form first.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route(/survey-js-ui\..*\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${server.url}/s/${slug}`, { waitUntil: 'commit' });
    await page.locator('html[data-ready="true"]').waitFor();
    await answerUcla(page);
    release();
    await page.locator('html[data-renderer="surveyjs"]').waitFor({ timeout: 20_000 });
    const data = await page.evaluate(() => JSON.parse(localStorage.getItem(Object.keys(localStorage)[0])!).data);
    expect(data).toEqual({ ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 4 });
    await page.locator('.sd-navigation__next-btn:visible').click();
    for (const row of ['人とのつきあいがないと感じる', '自分は取り残されていると感じる', '自分は他の人たちから孤立していると感じる']) {
      await page.locator('tr.sd-table__row', { hasText: row }).locator('label.sd-item').first().click();
    }
    await page.locator('.sd-question', { hasText: '困ったときに相談できる人はいますか。' }).getByText('いない', { exact: true }).click();
    await page.locator('.sd-question', { hasText: 'よろしければ理由を教えてください。' }).locator('textarea').fill('近くに知り合いがいない');
    await page.locator('.sd-navigation__complete-btn:visible').click();
    await page.locator('html[data-submitted="true"]').waitFor();
    const [row] = await stored(waveId);
    expect(row.data).toMatchObject({ ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 4, mx_help: 'no', mx_why: '近くに知り合いがいない' });
    expect(Object.keys((row.data as Record<string, Record<string, unknown>>).mx_feelings)).toHaveLength(3);
  }, 60_000);

  it('submits without JavaScript: errors in Japanese, then stored once', async () => {
    const { slug, waveId } = await openWave(t, ['ucla3-national']);
    const page = await (await newPhone({ javaScriptEnabled: false })).newPage();
    await page.goto(`${server.url}/s/${slug}`);
    await choice(page, 'ucla3_companionship', 'ほとんどない').click();
    await page.getByRole('button', { name: '回答を送信する' }).click();
    await page.getByText('回答を確認してください').first().waitFor();
    await expect(page.locator('[data-q="ucla3_companionship"] input[value="2"]').isChecked()).resolves.toBe(true);
    await expect(page.locator('[data-q="ucla3_left_out"] .q-error').isVisible()).resolves.toBe(true);
    expect(await stored(waveId)).toHaveLength(0);
    await choice(page, 'ucla3_left_out', '時々ある').click();
    await choice(page, 'ucla3_isolated', 'ほとんどない').click();
    await page.getByRole('button', { name: '回答を送信する' }).click();
    await page.getByRole('heading', { name: 'ご回答ありがとうございました' }).waitFor();
    await page.reload(); // the browser posts again with the same key
    await page.getByRole('heading', { name: 'ご回答ありがとうございました' }).waitFor();
    const rows = await stored(waveId);
    expect(rows).toHaveLength(1);
    expect(rows[0].data).toEqual({ ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 2 });
  });

  it('switches to English and asks for the participant code first when the wave does', async () => {
    const { slug, waveId } = await openWave(t, ['ucla3-national'], { askParticipantCode: true });
    const page = await (await newPhone()).newPage();
    await page.goto(`${server.url}/s/${slug}`);
    await page.locator('html[data-ready="true"]').waitFor();
    await page.getByLabel(/参加者コード/).fill('ab-12');
    await page.getByRole('link', { name: 'English' }).click();
    await page.getByText('Participant code', { exact: true }).first().waitFor();
    await page.locator('html[data-ready="true"]').waitFor();
    await expect(page.getByLabel(/Participant code/).inputValue()).resolves.toBe('ab-12');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.locator('[data-q="ucla3_companionship"] label.choice').nth(1).click();
    await page.locator('[data-q="ucla3_left_out"] label.choice').nth(2).click();
    await page.locator('[data-q="ucla3_isolated"] label.choice').nth(0).click();
    await page.getByRole('button', { name: 'Send answers' }).click();
    await page.getByRole('heading', { name: 'Thank you' }).waitFor();
    const [row] = await stored(waveId);
    expect(row.participantKeyHash).toMatch(/^[0-9a-f]{16,}$/);
    expect(JSON.stringify(row)).not.toContain('AB12');
  });
});
