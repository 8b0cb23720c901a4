import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { organisations, responses, users, waves } from '../../src/db/schema.js';
import { ADMIN_PAGES } from '../../src/web/staff/session.js';
import { login, session } from '../api/accountsHelpers.js';
import { browserAvailable, STAFF_PASSWORD, useStaffBrowser } from '../helpers/browser.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

const ADMIN_NAV = ['ユーザー', '操作記録', 'データの開示・削除'];
const navLinks = (page: Page) => page.getByRole('navigation', { name: 'メニュー' }).getByRole('link').allInnerTexts();

// Skipped only on machines without Chromium; CI sets REQUIRE_BROWSER=1 so it always runs there.
describe.skipIf(!browserAvailable)('account pages: users, tokens, audit log, organisation, data rights [pglite]', () => {
  const t = useTestApp('pglite');
  const admin = useStaffBrowser(t, { email: 'admin@example.jp', name: '管理 花子', role: 'admin' });

  it('an admin adds an evaluator and a token (shown once), finds both in the audit log and changes k; the evaluator sees no admin pages', async () => {
    expect((await t.staff('POST', '/api/studies', { name: '居場所事業の評価' })).status).toBe(201);
    const context = await admin.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    const page = await context.newPage();
    await admin.logIn(page, '/staff/users');
    for (const item of ADMIN_NAV) expect((await navLinks(page)).join('|')).toContain(item);

    // ---- a study-scoped evaluator with an initial password
    const create = page.locator('#user-create');
    await create.getByLabel(/^名前/).fill('評価 次郎');
    await create.getByLabel(/メールアドレス/).fill('Evaluator@Example.jp');
    await create.getByLabel(/^役割/).selectOption('evaluator');
    await create.getByLabel('居場所事業の評価').check();
    await create.getByLabel(/初期パスワード/).fill(STAFF_PASSWORD);
    await create.getByRole('button', { name: /追加/ }).click();
    const row = page.locator('#users tr[data-email="evaluator@example.jp"]');
    await row.waitFor();
    expect(await row.innerText()).toMatch(/評価 次郎[\s\S]*評価者[\s\S]*居場所事業の評価/);
    const [stored] = await t.database.db.select().from(users).where(eq(users.email, 'evaluator@example.jp'));
    expect(stored).toMatchObject({ role: 'evaluator', studyScoped: true });

    // A second user with the same email shows the API's problem beside the form.
    await create.getByLabel(/^名前/).fill('重複');
    await create.getByLabel(/メールアドレス/).fill('evaluator@example.jp');
    await create.getByRole('button', { name: /追加/ }).click();
    await create.locator('[data-problems]', { hasText: 'すでに登録されています' }).waitFor();

    // ---- an API token: the secret is shown once and works as a Bearer token
    await page.getByRole('link', { name: /APIトークン/ }).click();
    await page.waitForURL(/\/staff\/tokens$/);
    await page.getByLabel(/名前（用途）/).fill('夜間の集計スクリプト');
    await page.getByLabel(/^役割/).selectOption('editor');
    await page.getByRole('button', { name: /作成/ }).click();
    await page.locator('#token-created').waitFor();
    const secret = await page.locator('#token-secret').inputValue();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(await page.locator('#tokens tbody tr').first().innerText()).toContain('夜間の集計スクリプト');
    const me = await t.request('/api/auth/me', { headers: { authorization: `Bearer ${secret}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ role: 'editor', authenticatedBy: 'token', user: { email: 'admin@example.jp' } });
    await page.reload();
    expect(await page.content()).not.toContain(secret);
    expect(await page.locator('#token-created').isHidden()).toBe(true);
    expect(await page.locator('#tokens tbody').innerText()).toContain('有効');

    // ---- the audit log shows both actions, newest first, and filters by action
    await page.getByRole('link', { name: /操作記録/ }).click();
    await page.waitForURL(/\/staff\/audit$/);
    const actions = await page.locator('#audit tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    expect(actions.indexOf('token.created')).toBeGreaterThanOrEqual(0);
    expect(actions.indexOf('token.created')).toBeLessThan(actions.indexOf('user.created'));
    expect(await page.locator('#audit tr[data-action="token.created"]').innerText()).toMatch(/admin@example\.jp[\s\S]*APIトークン作成[\s\S]*夜間の集計スクリプト/);
    expect(await page.locator('#audit tr[data-action="user.created"]').first().innerText()).toMatch(/admin@example\.jp[\s\S]*"role":"evaluator"/);
    await page.getByLabel(/^操作/).selectOption('token.created');
    await page.getByRole('button', { name: /絞り込む/ }).click();
    await page.waitForURL(/action=token\.created/);
    expect(await page.locator('#audit tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))).toEqual(['token.created']);

    // ---- small-cell suppression k
    await page.getByRole('link', { name: /団体設定/ }).click();
    await page.waitForURL(/\/staff\/organisation$/);
    await page.getByLabel(/秘匿 k/).fill('10');
    await page.getByRole('button', { name: /保存/ }).click();
    await page.getByText('保存しました').waitFor();
    const [org] = await t.database.db.select().from(organisations).where(eq(organisations.id, stored.organisationId));
    expect(org.suppressionK).toBe(10);
    await page.reload();
    expect(await page.getByLabel(/秘匿 k/).inputValue()).toBe('10');
    await context.close();

    // ---- the evaluator: no admin navigation, 403 on the admin pages, read-only settings
    const evaluatorContext = await admin.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    const evaluatorPage = await evaluatorContext.newPage();
    await admin.logIn(evaluatorPage, '/staff/organisation', 'evaluator@example.jp');
    const links = (await navLinks(evaluatorPage)).join('|');
    for (const item of ADMIN_NAV) expect(links).not.toContain(item);
    expect(links).toContain('APIトークン');
    expect(await evaluatorPage.getByLabel(/秘匿 k/).isDisabled()).toBe(true);
    expect(await evaluatorPage.getByRole('button', { name: /保存/ }).count()).toBe(0);
    for (const path of ADMIN_PAGES) {
      const res = await evaluatorPage.goto(`${admin.server.url}${path}`);
      expect(res?.status(), path).toBe(403);
      expect(await evaluatorPage.locator('h1').innerText()).toContain('管理者用');
      expect(await evaluatorPage.content()).not.toContain('evaluator@example.jp</td>');
    }
    await evaluatorPage.goto(`${admin.server.url}/staff/tokens`);
    expect(await evaluatorPage.getByLabel(/^役割/).locator('option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value))).toEqual(['evaluator']);
    await evaluatorContext.close();
  });

  it('an admin exports and then deletes one participant’s answers by invitation link, and sets a wave’s retention', async () => {
    const { waveId } = await openWave(t, ['ucla3-national'], { name: '2026年春' });
    const frame = await (await t.staff('POST', `/api/waves/${waveId}/frame`, { units: [{ unitId: 'P-001' }, { unitId: 'P-002' }] })).json();
    const links: string[] = frame.invitations.map((i: { url: string }) => i.url);
    for (const [n, link] of links.entries()) {
      const res = await t.request(`/api/public/t/${link.split('/t/')[1]}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ idempotencyKey: `rights-000${n}`, answers: { ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 1 } }),
      });
      expect(res.status).toBe(201);
    }
    const context = await admin.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', acceptDownloads: true });
    const page = await context.newPage();
    await admin.logIn(page, '/staff/data-rights');

    await page.getByLabel(/招待リンクまたはトークン/).fill(links[0]);
    await page.getByRole('button', { name: /開示/ }).click();
    await page.getByText('1 件の回答が見つかりました').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /JSONをダウンロード/ }).click()]);
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(exported).toMatchObject({ by: 'invitation', n: 1, responses: [{ answers: { ucla3_isolated: 1 } }] });

    // Dismissing the confirmation deletes nothing; accepting it deletes this participant's answers only.
    page.once('dialog', (dialog) => dialog.dismiss());
    await page.getByRole('button', { name: /削除/ }).click();
    expect(await t.database.db.select().from(responses).where(eq(responses.waveId, waveId))).toHaveLength(2);
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: /削除/ }).click();
    await page.getByText('1 件の回答を削除しました').waitFor();
    expect(await t.database.db.select().from(responses).where(eq(responses.waveId, waveId))).toHaveLength(1);

    const retention = page.locator(`#retention tr[data-wave-id="${waveId}"]`);
    await retention.getByRole('spinbutton').fill('365');
    await retention.getByRole('button', { name: /保存/ }).click();
    await retention.getByText('保存しました').waitFor();
    const [wave] = await t.database.db.select().from(waves).where(eq(waves.id, waveId));
    expect(wave.retentionDays).toBe(365);
    await context.close();
  });

  it('tokens default to evaluator; an admin revokes a colleague’s token and resets their password; demoting yourself asks first', async () => {
    const colleague = { email: 'colleague@example.jp', name: '同僚 三郎', role: 'editor', password: STAFF_PASSWORD };
    expect((await t.staff('POST', '/api/users', colleague)).status).toBe(201);
    const colleagueSession = session(t.app, await login(t.app, colleague.email));
    const created = await (await colleagueSession('POST', '/api/tokens', { label: '同僚のスクリプト', role: 'editor' })).json();
    const asColleague = (token: string) => t.request('/api/auth/me', { headers: { authorization: `Bearer ${token}` } });
    expect((await asColleague(created.token)).status).toBe(200);

    const context = await admin.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    const page = await context.newPage();
    await admin.logIn(page, '/staff/tokens');
    expect(await page.locator('#token-create').getByLabel(/^役割/).inputValue()).toBe('evaluator');

    // ---- the organisation's tokens, with their owners: revoking one makes it answer 401
    const row = page.locator(`#organisation-tokens tr[data-token-id="${created.id}"]`);
    expect(await row.innerText()).toMatch(/colleague@example\.jp[\s\S]*同僚のスクリプト[\s\S]*編集者[\s\S]*有効/);
    page.once('dialog', (dialog) => dialog.accept());
    await row.getByRole('button', { name: /失効させる/ }).click();
    await row.getByText('失効 revoked').waitFor();
    expect((await asColleague(created.token)).status).toBe(401);
    await page.reload();
    expect(await row.innerText()).toContain('失効');
    expect(await row.getByRole('button').count()).toBe(0);

    // ---- a temporary password, shown once: the new one works, the old one and the old session do not
    await page.goto(`${admin.server.url}/staff/users`);
    const user = page.locator('#users tr[data-email="colleague@example.jp"]');
    await user.getByText(/変更・削除/).click();
    page.once('dialog', (dialog) => dialog.accept());
    await user.getByRole('button', { name: /パスワード再設定/ }).click();
    await page.locator('#user-password-reset').waitFor();
    expect(await page.locator('#user-password-reset-who').innerText()).toBe('colleague@example.jp');
    const temporary = await page.locator('#user-reset-password').inputValue();
    expect(temporary).toHaveLength(16);
    expect((await colleagueSession('GET', '/api/auth/me')).status).toBe(401);
    await expect(login(t.app, colleague.email, STAFF_PASSWORD)).rejects.toThrow(/401/);
    expect((await login(t.app, colleague.email, temporary)).body.user).toMatchObject({ email: colleague.email, role: 'editor' });
    await page.reload();
    expect(await page.content()).not.toContain(temporary);

    // ---- changing your own role away from admin asks first; dismissing changes nothing
    const self = page.locator('#users tr[data-email="admin@example.jp"]');
    await self.getByText(/変更・削除/).click();
    await self.getByLabel(/^役割/).selectOption('editor');
    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      return dialog.dismiss();
    });
    await self.getByRole('button', { name: /保存/ }).click();
    expect(asked).toMatch(/ログアウト[\s\S]*logged out/);
    const [me] = await t.database.db.select().from(users).where(eq(users.email, 'admin@example.jp'));
    expect(me.role).toBe('admin');
    await context.close();
  });
});
