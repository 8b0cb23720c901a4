import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, makeOrganisation, PASSWORD } from '../api/accountsHelpers.js';
import { browserAvailable, launchChromium, listen } from '../helpers/browser.js';
import { useTestApp } from '../helpers/testApp.js';

const SHOTS = '/tmp/editor-shots';
type Element = { name: string; type: string; title: unknown; inputType?: string; visibleIf?: string; showOtherItem?: boolean; min?: number; max?: number; rows?: unknown[]; columns?: unknown[]; choices?: unknown[]; rateMin?: number; rateMax?: number; minRateDescription?: unknown; maxRateDescription?: unknown };
type Definition = { title: unknown; pages: { name: string; title?: unknown; elements: Element[] }[] };

// The form editor of a draft (/staff/questionnaires/:id/edit): no JSON anywhere on the way.
describe.skipIf(!browserAvailable)('the questionnaire form editor in the browser [pglite]', () => {
  const t = useTestApp('pglite');
  let browser: Browser;
  let server: Awaited<ReturnType<typeof listen>>;
  let email: string;
  let api: ReturnType<typeof bearer>;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let questionnaireId: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    server = await listen(t);
    const org = await makeOrganisation(t.database, 'NPO法人つながり');
    email = org.email;
    api = bearer(t.app, org.token);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('dialog', (d) => d.accept());
    await page.goto(`${server.url}/staff/compose`);
    await page.getByLabel('メールアドレス').fill(email);
    await page.getByLabel('パスワード').fill(PASSWORD);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.waitForURL(`${server.url}/staff/compose`);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  const version = async (id: string, n: number) => {
    const res = await api('GET', `/api/questionnaires/${id}/versions/${n}`);
    expect(res.status).toBe(200);
    return (await res.json()) as { status: string; definition: Definition; scoring: { id: string }[] };
  };
  const elements = (d: Definition) => d.pages.flatMap((p) => p.elements);
  const card = (name: string) => page.locator(`li.question[data-q="${name}"]`);
  const lastCard = () => page.locator('li.question').last();

  async function addQuestion(type: string, title: string): Promise<Locator> {
    const block = page.locator('section.block[data-page="own_questions"]');
    await block.getByLabel(/^追加する質問の種類/).selectOption(type);
    await block.getByRole('button', { name: /このブロックに質問を追加/ }).click();
    const added = lastCard();
    // The new question's text box has the focus: type straight into it.
    await expect(added.getByLabel(/^質問文/).evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await page.keyboard.type(title);
    return added;
  }

  async function save() {
    await page.getByRole('button', { name: /下書きを保存/ }).click();
    await expect.poll(() => page.locator('#save-status').textContent()).toMatch(/保存しました/);
  }

  async function publish(n: number) {
    await page.goto(`${server.url}/staff/questionnaires/${questionnaireId}`);
    await page.getByRole('button', { name: new RegExp(`第${n}版を公開する`) }).click();
    await page.locator(`#versions tr[data-version="${n}"][data-status="published"]`).waitFor();
  }

  it('builds a questionnaire with every question type and a 表示条件, then publishes it, without JSON', async () => {
    // Compose: one own single-choice question to start from.
    await page.getByLabel(/^回答者に見えるタイトル/).fill('地域のつながり調査');
    await page.getByRole('button', { name: /質問を追加/ }).click();
    const own = page.locator('.own-question').first();
    await own.getByLabel(/^質問文/).fill('この集まりを何で知りましたか。');
    await own.getByLabel(/^選択肢/).fill('チラシ\n知人\nその他の方法');
    await page.getByRole('button', { name: /下書きとして作成/ }).click();
    await page.waitForURL(/\/staff\/questionnaires\/[0-9a-f-]{36}$/);
    questionnaireId = page.url().split('/').pop()!;
    await page.getByRole('link', { name: /質問を編集する/ }).click();
    await page.waitForURL(/\/edit$/);
    await card('own_q1').waitFor();

    // English for the first question's title, in place.
    await card('own_q1').getByLabel(/English/).first().fill('How did you hear about this gathering?');
    await card('own_q1').getByLabel(/^説明/).fill('あてはまるものを1つ選んでください。');

    const multiple = await addQuestion('checkbox', '参加した活動をすべて選んでください。');
    await multiple.getByLabel('選択肢 1', { exact: true }).fill('料理');
    await multiple.getByLabel('選択肢 2', { exact: true }).fill('体操');
    await multiple.getByRole('button', { name: /選択肢を追加/ }).click();
    await multiple.getByLabel('選択肢 3', { exact: true }).fill('手芸');
    await multiple.getByLabel(/その他（自由記入）/).check();

    const dropdown = await addQuestion('dropdown', 'お住まいの地区');
    await dropdown.getByLabel('選択肢 1', { exact: true }).fill('北地区');
    await dropdown.getByLabel('選択肢 2', { exact: true }).fill('南地区');

    const rating = await addQuestion('rating', '今日の集まりの満足度');
    await rating.getByLabel(/^最大/).fill('7');
    await rating.getByLabel(/^左端のラベル/).fill('まったく満足していない');
    await rating.getByLabel(/^右端のラベル/).fill('とても満足している');

    const matrix = await addQuestion('matrix', '次のことはどのくらいあてはまりますか。');
    await matrix.getByLabel('行 1', { exact: true }).fill('話し相手がいる');
    await matrix.getByRole('button', { name: /行を追加/ }).click();
    await matrix.getByLabel('行 2', { exact: true }).fill('頼れる人がいる');

    await addQuestion('text', 'ニックネーム');
    const comment = await addQuestion('comment', '「その他の方法」の内容を教えてください。');
    // Shown only when own_q1 is answered 3 (その他の方法).
    await comment.getByLabel('表示条件：前の質問').selectOption('own_q1');
    await comment.getByLabel('表示条件：答え').selectOption('3');
    const number = await addQuestion('number', '参加した回数');
    await number.getByLabel(/^最小値/).fill('0');
    await number.getByLabel(/^最大値/).fill('100');
    const date = await addQuestion('date', '最初に参加した日');
    // A condition on a multiple choice: shown when 料理 (1) is among the answers.
    await date.getByLabel('表示条件：前の質問').selectOption({ label: '「参加した活動をすべて選んでください。」の答えが…' });
    const yesNo = await addQuestion('boolean', 'また参加したいですか。');
    await yesNo.getByLabel(/必須/).check();
    // The phone preview follows the unsaved edits (live), before anything is saved.
    await page.frameLocator('#phone-preview').getByText('また参加したいですか。').first().waitFor({ state: 'attached' });
    await expect(page.locator('#save-status').textContent()).resolves.toMatch(/保存していない変更があります/);

    await save();
    // The phone preview shows the saved draft.
    await page.frameLocator('#phone-preview').getByText('また参加したいですか。').first().waitFor({ state: 'attached' });
    await page.screenshot({ path: `${SHOTS}/editor-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.screenshot({ path: `${SHOTS}/editor-tablet.png`, fullPage: true });
    await page.screenshot({ path: `${SHOTS}/editor-tablet-top.png` });
    await page.setViewportSize({ width: 1280, height: 900 });

    await publish(1);
    // Offered in English, with English for one question only: publishing warns, naming the others.
    await expect.poll(() => page.locator('#publish-warnings').textContent()).toMatch(/英語の文言がない箇所が \d+ か所あります（[^）]*q2、q3、/);
    const published = await version(questionnaireId, 1);
    expect(published.status).toBe('published');
    const found = elements(published.definition);
    expect(found.map((e) => [e.type, e.inputType ?? null])).toEqual([
      ['radiogroup', null],
      ['checkbox', null],
      ['dropdown', null],
      ['rating', null],
      ['matrix', null],
      ['text', null],
      ['comment', null],
      ['text', 'number'],
      ['text', 'date'],
      ['boolean', null],
    ]);
    const [single, checkbox, , scale, grid, , other, count, when] = found;
    expect(single.title).toEqual({ default: 'この集まりを何で知りましたか。', en: 'How did you hear about this gathering?' });
    expect(checkbox.showOtherItem).toBe(true);
    expect(checkbox.choices).toHaveLength(3);
    expect(scale).toMatchObject({ rateMin: 1, rateMax: 7, minRateDescription: 'まったく満足していない', maxRateDescription: 'とても満足している' });
    expect(grid.rows).toEqual([{ value: 'r1', text: '話し相手がいる' }, { value: 'r2', text: '頼れる人がいる' }]);
    expect(grid.columns).toHaveLength(4);
    expect(other.visibleIf).toBe('{own_q1} = 3');
    expect(when.visibleIf).toBe(`{${checkbox.name}} contains 1`);
    expect(count).toMatchObject({ min: 0, max: 100 });
    expect(errors).toEqual([]);
  }, 120_000);

  it('edits a published questionnaire into a new version: wording, and an order changed with the keyboard', async () => {
    await page.goto(`${server.url}/staff/questionnaires/${questionnaireId}`);
    await page.getByRole('button', { name: /新しい版を作って編集する/ }).click();
    await page.waitForURL(/\/edit$/);
    const title = card('own_q1').getByLabel(/^質問文/);
    await title.fill('この集まりを、何で知りましたか。');
    // Keyboard only: focus question 1's 「上へ」 (disabled, first), Tab to 「下へ」 and press Enter.
    const second = await page.locator('li.question').nth(1).getAttribute('data-q');
    await card('own_q1').getByRole('button', { name: '質問 1を削除' }).focus();
    await page.keyboard.press('Shift+Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-move'))).toBe('down');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('li.question').nth(1).getAttribute('data-q')).toBe('own_q1');
    // The focus stays on the moved question's button, so Enter again moves it further.
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('li.question')?.getAttribute('data-q'))).toBe('own_q1');
    await save();
    await publish(2);

    const v2 = await version(questionnaireId, 2);
    const names = elements(v2.definition).map((e) => e.name);
    expect(names.slice(0, 2)).toEqual([second, 'own_q1']);
    expect(elements(v2.definition)[1].title).toMatchObject({ default: 'この集まりを、何で知りましたか。' });
    // The published first version is unchanged.
    expect(elements((await version(questionnaireId, 1)).definition)[0].title).toMatchObject({ default: 'この集まりを何で知りましたか。' });
    expect(errors).toEqual([]);
  }, 60_000);

  it("keeps a scored scale's items as they are, with the reason, while its heading can change", async () => {
    await page.goto(`${server.url}/staff/compose?templates=ucla3-national`);
    await page.getByLabel(/^回答者に見えるタイトル/).fill('つながりについての調査');
    await page.getByRole('button', { name: /下書きとして作成/ }).click();
    await page.waitForURL(/\/staff\/questionnaires\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    await page.goto(`${server.url}/staff/questionnaires/${id}/edit`);
    const item = card('ucla3_companionship');
    await item.waitFor();
    expect(await item.locator('.lock-reason').textContent()).toContain('検証済みの尺度のため、項目の文言・選択肢・順序は変更できません（変えると得点が比較できなくなります）');
    expect(await item.locator('input, textarea, select').count()).toBe(0);
    expect(await item.getByRole('button').count()).toBe(0);
    // The block's heading stays editable.
    const block = page.locator('section.block').nth(1);
    await block.getByLabel(/^見出し/).fill('最近の気持ちについて');
    await save();
    const draft = await version(id, 1);
    expect(draft.definition.pages[0].title).toMatchObject({ default: '最近の気持ちについて' });
    expect(draft.scoring.map((s) => s.id)).toContain('ucla3_national');
    await page.screenshot({ path: `${SHOTS}/editor-locked-1280.png`, fullPage: true });
    expect(errors).toEqual([]);
  }, 60_000);

  it('refuses to publish a licensed scale still holding placeholders, naming each item, until the licensed wording is entered in the editor', async () => {
    await page.goto(`${server.url}/staff/compose?templates=ucla-ls3`);
    await page.getByLabel(/^回答者に見えるタイトル/).fill('くらしについての調査');
    await page.getByRole('button', { name: /下書きとして作成/ }).click();
    await page.waitForURL(/\/staff\/questionnaires\/[0-9a-f-]{36}$/);
    questionnaireId = page.url().split('/').pop()!;
    const items = elements((await version(questionnaireId, 1)).definition).map((e) => e.name);
    expect(items).toHaveLength(20);

    await page.getByRole('button', { name: /第1版を公開する/ }).click();
    const refusal = page.getByRole('alert').filter({ hasText: '項目の文言がまだ入力されていません' });
    await refusal.waitFor();
    const text = (await refusal.textContent()) ?? '';
    // Each item by its 問 number (and variable name), with what to do.
    for (const [i, name] of items.entries()) expect(text).toContain(`問${i + 1}（${name}）: 使用許諾を得た文言を入力してください`);
    expect(text).toContain('入力のしかた：「質問を編集する」を開くと、これらの項目ごとに「使用許諾を得た質問文」の欄があります');
    await expect(page.locator('#versions tr[data-version="1"]').getAttribute('data-status')).resolves.toBe('draft');
    await page.screenshot({ path: `${SHOTS}/placeholder-refusal-1280.png`, fullPage: true });
    // The browser logs the refused request (422) as a console error: that one is expected.
    expect(errors.splice(0)).toEqual([expect.stringContaining('422')]);

    // The editor offers a field per item for the licensed wording; the rest of the item stays locked.
    await page.goto(`${server.url}/staff/questionnaires/${questionnaireId}/edit`);
    for (const [i, name] of items.entries()) {
      const item = card(name);
      await item.getByLabel(/^使用許諾を得た質問文/).fill(`許諾を得た文言 ${i + 1}`);
      expect(await item.getByRole('button').count()).toBe(0);
    }
    await card(items[0]).screenshot({ path: `${SHOTS}/licensed-wording-field.png` });
    await save();
    await publish(1);
    const published = await version(questionnaireId, 1);
    expect(elements(published.definition).map((e) => e.title)).toEqual(items.map((_, i) => `許諾を得た文言 ${i + 1}`));
    expect(errors).toEqual([]);
  }, 90_000);
});
