import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { questionnaires, questionnaireVersions, studies, waves } from '../../src/db/schema.js';
import { makeOrganisation, PASSWORD } from '../api/accountsHelpers.js';
import { browserAvailable, launchChromium, listen } from '../helpers/browser.js';
import { useTestApp } from '../helpers/testApp.js';

// Skipped only on machines without Chromium; CI sets REQUIRE_BROWSER=1 so it always runs there.
describe.skipIf(!browserAvailable)('staff authoring in the browser [pglite]', () => {
  const t = useTestApp('pglite');
  let browser: Browser;
  let server: Awaited<ReturnType<typeof listen>>;
  let email: string;
  let organisationId: string;

  beforeAll(async () => {
    browser = await launchChromium();
    server = await listen(t);
    ({ email, organisationId } = await makeOrganisation(t.database, 'NPO法人つながり'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function logIn(page: Page, path: string) {
    await page.goto(`${server.url}${path}`);
    // Not logged in: the guard sends us to the login page, which comes back afterwards.
    await page.getByLabel('メールアドレス').fill(email);
    await page.getByLabel('パスワード').fill(PASSWORD);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.waitForURL(`${server.url}${path}`);
  }

  function watchErrors(page: Page) {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    return errors;
  }

  it('goes from the template list to a published, composed questionnaire with an open link, without JSON', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'ja-JP' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors = watchErrors(page);
    page.on('dialog', (d) => d.accept());
    await logIn(page, '/staff/templates');

    // Filter to programme surveys, then use the post-activity survey.
    await page.getByRole('link', { name: /プログラム調査/ }).click();
    await page.waitForURL(/kind=programme/);
    const card = page.locator('.card[data-template-id="post-activity"]');
    await card.getByRole('link', { name: /これで作成/ }).click();
    await page.waitForURL(/\/staff\/compose\?templates=post-activity/);

    // Compose: add two more blocks, reorder, fill the basics, write an own question.
    await page.locator('#block-picker').selectOption('ucla3-national');
    await page.getByRole('button', { name: /^追加/ }).click();
    await page.locator('#block-picker').selectOption('profile');
    await page.getByRole('button', { name: /^追加/ }).click();
    await page.locator('#chosen-blocks li[data-template-id="ucla3-national"] button[data-move="up"]').click();
    // The participant-facing title is never pre-filled with a block's staff name (「孤独感（UCLA…）」).
    expect(await page.getByLabel(/^回答者に見えるタイトル/).inputValue()).toBe('');
    await page.getByLabel(/^回答者に見えるタイトル/).fill('12月交流会アンケート');
    await page.getByLabel(/^管理用の名前/).fill('2026年12月 交流会 事後調査（UCLA）');
    await page.getByLabel(/^はじめの説明/).fill('交流会に参加された方にお聞きします。');
    await page.getByRole('button', { name: /質問を追加/ }).click();
    const q1 = page.locator('.own-question').first();
    await q1.getByLabel(/^質問文/).fill('次回も参加したい内容は何ですか。');
    await q1.getByLabel(/^選択肢/).fill('料理\n体操\n手芸');
    await q1.getByLabel(/必須/).check();
    await page.getByRole('button', { name: /質問を追加/ }).click();
    const q2 = page.locator('.own-question').nth(1);
    await q2.getByLabel(/^種類/).selectOption('text');
    await expect(q2.getByLabel(/^選択肢/).isVisible()).resolves.toBe(false);
    await q2.getByLabel(/^質問文/).fill('ご意見をお聞かせください。');
    await page.getByRole('button', { name: /下書きとして作成/ }).click();
    await page.waitForURL(/\/staff\/questionnaires\/[0-9a-f-]{36}$/);
    const questionnaireId = page.url().split('/').pop()!;

    // The draft is shown in the phone frame; publish it.
    await expect(page.locator('#versions tr[data-version="1"]').getAttribute('data-status')).resolves.toBe('draft');
    const frame = page.frameLocator('#phone-preview');
    await frame.getByRole('heading', { name: '12月交流会アンケート' }).waitFor();
    // Staff see the internal name; participants never do.
    await page.getByRole('heading', { name: /2026年12月 交流会 事後調査（UCLA）/ }).waitFor();
    expect(await frame.getByText('事後調査（UCLA）').count()).toBe(0);
    await page.getByRole('button', { name: /第1版を公開する/ }).click();
    await page.locator('#versions tr[data-version="1"][data-status="published"]').waitFor();

    // Open a wave: an open link and its QR code.
    await page.getByLabel(/^調査回の名前/).fill('2026年12月');
    await page.getByLabel(/^時期/).selectOption('post');
    // Part of a new pre/post study, asking for the participant code that pairs people across waves.
    await page.getByLabel(/^調査（study）/).selectOption('__new');
    await page.getByLabel(/^新しい調査の名前/).fill('交流会 2026');
    await page.getByLabel(/参加者コードを尋ねる/).check();
    await page.getByRole('button', { name: /調査回を作る/ }).click();
    const link = page.locator('#open-link');
    await link.waitFor();
    expect(await link.textContent()).toMatch(/\/s\/[A-Za-z0-9_-]+$/);
    const qrSrc = await page.locator('#open-qr').getAttribute('src');
    const qr = await page.request.get(`${server.url}${qrSrc}`);
    expect(qr.status()).toBe(200);
    expect(qr.headers()['content-type']).toContain('image/svg+xml');
    await expect(page.locator('#open-qr').isVisible()).resolves.toBe(true);

    // Save it as an organisation template: it appears in the list under 団体のテンプレート.
    await page.getByLabel(/^テンプレート名/).fill('交流会の定番');
    await page.getByRole('button', { name: /^保存/ }).click();
    await page.getByText(/団体のテンプレート「交流会の定番」として保存しました/).waitFor();
    await page.goto(`${server.url}/staff/templates?kind=organisation`);
    await page.getByRole('heading', { name: /交流会の定番/ }).waitFor();
    expect(errors).toEqual([]);
    await context.close();

    // What was stored: one published version with the blocks in the chosen order and the own questions.
    const [q] = await t.database.db.select().from(questionnaires).where(eq(questionnaires.id, questionnaireId));
    expect(q.organisationId).toBe(organisationId);
    const versions = await t.database.db.select().from(questionnaireVersions).where(eq(questionnaireVersions.questionnaireId, questionnaireId));
    expect(versions).toHaveLength(1);
    expect(versions[0].status).toBe('published');
    const pages = (versions[0].definition.pages as { name: string; elements: { name: string; type: string; choices?: unknown[] }[] }[]);
    expect(pages.map((p) => p.name.split('__')[0])).toEqual(['ucla3-national', 'post-activity', 'profile', 'own_questions']);
    expect(pages.at(-1)!.elements.map((e) => [e.name, e.type])).toEqual([
      ['own_q1', 'radiogroup'],
      ['own_q2', 'comment'],
    ]);
    expect(pages.at(-1)!.elements[0].choices).toHaveLength(3);
    expect(versions[0].definition.description).toBe('交流会に参加された方にお聞きします。');
    expect((versions[0].scoring as { id: string }[]).map((s) => s.id)).toContain('ucla3_national');
    const waveRows = await t.database.db.select().from(waves).where(eq(waves.versionId, versions[0].id));
    expect(waveRows).toHaveLength(1);
    expect(waveRows[0].phase).toBe('post');
    expect(waveRows[0].askParticipantCode).toBe(true);
    const [study] = await t.database.db.select().from(studies).where(eq(studies.id, waveRows[0].studyId!));
    expect(study).toMatchObject({ name: '交流会 2026', organisationId });
  }, 90_000);

  it('previews a template in the 390×844 phone frame as a participant sees it', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'ja-JP' });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await logIn(page, '/staff/templates');
    await page.locator('.card[data-template-id="ucla3-national"]').getByRole('link', { name: /プレビュー/ }).click();
    const iframe = page.locator('#phone-preview');
    const box = (await iframe.boundingBox())!;
    expect(Math.round(box.width)).toBe(390);
    expect(Math.round(box.height)).toBe(844);
    const frame = page.frameLocator('#phone-preview');
    await frame.getByText('あなたは、自分には人とのつきあいがないと感じることがありますか。').waitFor();
    await frame.getByText(/プレビュー：回答は確認だけで、保存されません/).waitFor();
    await frame.locator('html[data-ready="true"]').waitFor();
    const handle = page.frame({ url: /\/staff\/preview\/templates\/ucla3-national/ })!;
    expect(await handle.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Sending an incomplete preview is checked like a real answer, and nothing is stored.
    await frame.getByRole('button', { name: '回答を送信する' }).click();
    await frame.locator('[data-q="ucla3_companionship"] .q-error').first().waitFor();
    expect(errors).toEqual([]);
    await page.screenshot({ path: '/tmp/authoring-preview.png' });
    await context.close();
  });
});
