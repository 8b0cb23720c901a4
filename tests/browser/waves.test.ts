import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { waves } from '../../src/db/schema.js';
import { browserAvailable, STAFF_PASSWORD, useStaffBrowser } from '../helpers/browser.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

const waveNamed = async (t: ReturnType<typeof useTestApp>, name: string) => (await t.database.db.select().from(waves).where(eq(waves.name, name)))[0];

// Skipped only on machines without Chromium; CI sets REQUIRE_BROWSER=1 so it always runs there.
describe.skipIf(!browserAvailable)('waves on the questionnaire page: period, invitation-only, closing [pglite]', () => {
  const t = useTestApp('pglite');
  const staff = useStaffBrowser(t, { email: 'wave-editor@example.jp', name: '調査 花子', role: 'editor' });

  async function questionnairePage(path: string, email?: string) {
    // A browser far from Japan: the entered times must still be read as Japan time.
    const context = await staff.browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'ja-JP', timezoneId: 'America/New_York' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await staff.logIn(page, path, email);
    return { page, errors, close: () => context.close() };
  }

  const form = (page: Page) => page.locator('#open-wave');
  const item = (page: Page, waveId: string) => page.locator(`#wave-list li[data-wave-id="${waveId}"]`);

  it('opens a wave with an answering period entered in Japan time, and an invitation-only wave', async () => {
    const { questionnaireId } = await openWave(t, ['ucla3-national']);
    const { page, errors, close } = await questionnairePage(`/staff/questionnaires/${questionnaireId}`);

    await form(page).getByLabel(/^調査回の名前/).fill('期間つき');
    await form(page).getByLabel(/^受付開始/).fill('2026-01-05T09:00');
    await form(page).getByLabel(/^受付終了/).fill('2099-12-01T18:30');
    await page.getByRole('button', { name: /調査回を作る/ }).click();
    await page.locator('#open-qr').waitFor();
    const timed = await waveNamed(t, '期間つき');
    expect(timed.opensAt!.toISOString()).toBe('2026-01-05T00:00:00.000Z');
    expect(timed.closesAt!.toISOString()).toBe('2099-12-01T09:30:00.000Z');

    await form(page).getByLabel(/^調査回の名前/).fill('郵送調査');
    await form(page).getByLabel(/誰でも回答できるリンクを作る/).uncheck();
    await page.getByRole('button', { name: /調査回を作る/ }).click();
    const frameLink = page.locator('#frame-link');
    await frameLink.waitFor();
    const mailed = await waveNamed(t, '郵送調査');
    expect(mailed.slug).toBeNull();
    expect(await frameLink.getAttribute('href')).toBe(`/staff/waves/${mailed.id}/frame`);
    expect(await page.locator('#new-wave img, #open-link').count()).toBe(0);

    // The list after a reload: state, the closing date in Japan time, and the wave's pages.
    await page.reload();
    await expect(item(page, timed.id).locator('.wave-state').innerText()).resolves.toBe('受付中');
    await expect(item(page, timed.id).innerText()).resolves.toContain('受付終了 2099/12/01 18:30');
    await expect(item(page, timed.id).locator('input[name="closesAt"]').inputValue()).resolves.toBe('2099-12-01T18:30');
    await expect(item(page, mailed.id).innerText()).resolves.toContain('招待のみ');
    for (const [name, href] of [['名簿と招待リンク', 'frame'], ['紙の回答を入力', 'entry'], ['結果', 'results']]) {
      await expect(item(page, mailed.id).getByRole('link', { name, exact: true }).getAttribute('href')).resolves.toBe(`/staff/waves/${mailed.id}/${href}`);
    }
    await item(page, mailed.id).getByRole('link', { name: '名簿と招待リンク', exact: true }).click();
    await page.waitForURL(`**/staff/waves/${mailed.id}/frame`);
    expect(errors).toEqual([]);
    await close();
  }, 60_000);

  it('moves the closing date, then closes a wave with the button: 終了, and its open link answers 404', async () => {
    const { questionnaireId, waveId, slug } = await openWave(t, ['ucla3-national'], { opensAt: '2026-01-01T00:00:00Z' });
    const { page, errors, close } = await questionnairePage(`/staff/questionnaires/${questionnaireId}`);
    expect((await page.request.get(`${staff.server.url}/s/${slug}`)).status()).toBe(200);

    await item(page, waveId).locator('input[name="closesAt"]').fill('2099-03-31T17:00');
    await item(page, waveId).getByRole('button', { name: /変更/ }).click();
    await item(page, waveId).getByText('受付終了 2099/03/31 17:00').waitFor();
    const [moved] = await t.database.db.select().from(waves).where(eq(waves.id, waveId));
    expect(moved.closesAt!.toISOString()).toBe('2099-03-31T08:00:00.000Z');

    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    await item(page, waveId).getByRole('button', { name: /受付を終了/ }).click();
    await page.locator(`#wave-list li[data-wave-id="${waveId}"][data-state="ended"]`).waitFor();
    expect(dialogs).toHaveLength(1);
    expect(dialogs[0]).toContain('元に戻せません');
    expect(dialogs[0]).toContain('cannot be undone');
    await expect(item(page, waveId).locator('.wave-state').innerText()).resolves.toBe('終了');
    expect(await item(page, waveId).getByRole('button', { name: /受付を終了/ }).count()).toBe(0);
    expect((await page.request.get(`${staff.server.url}/s/${slug}`)).status()).toBe(404);
    const late = await page.request.post(`${staff.server.url}/api/public/s/${slug}/responses`, {
      data: { idempotencyKey: 'after-close-0001', answers: { ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 1 } },
    });
    expect(late.status()).toBe(404);
    expect(errors).toEqual([]);
    await close();
  }, 60_000);

  it('shows evaluators the waves without the controls that write', async () => {
    const { questionnaireId, waveId } = await openWave(t, ['ucla3-national']);
    const created = await t.staff('POST', '/api/users', { email: 'wave-evaluator@example.jp', name: '評価 一郎', role: 'evaluator', password: STAFF_PASSWORD });
    expect(created.status).toBe(201);
    const { page, close } = await questionnairePage(`/staff/questionnaires/${questionnaireId}`, 'wave-evaluator@example.jp');
    await expect(item(page, waveId).locator('.wave-state').innerText()).resolves.toBe('受付中');
    expect(await page.locator('#open-wave').count()).toBe(0);
    expect(await page.locator('[data-action="close-wave"], form.wave-closes').count()).toBe(0);
    await close();
  });
});
