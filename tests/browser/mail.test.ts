import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin } from '../../src/auth/bootstrap.js';
import { newToken } from '../../src/auth/secrets.js';
import { startMail, type MailService } from '../../src/mail/mailer.js';
import { browserAvailable, useStaffBrowser } from '../helpers/browser.js';
import { freshDatabase } from '../helpers/databases.js';
import { appOn, smtpServer, until } from '../helpers/mail.js';
import { ADMIN_TOKEN, openWave, type TestApp } from '../helpers/testApp.js';

// Skipped only on machines without Chromium; CI sets REQUIRE_BROWSER=1 so it always runs there.
describe.skipIf(!browserAvailable)('e-mail page: preview, send, history [pglite]', () => {
  const t = {} as TestApp;
  let mail: MailService;
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await freshDatabase('pglite');
    dispose = fresh.dispose;
    await bootstrapAdmin(fresh.database, ADMIN_TOKEN);
    smtp = await smtpServer();
    const hashKey = newToken(32);
    mail = await startMail({ database: fresh.database, hashKey, publicUrl: (path) => `http://localhost${path}`, smtpUrl: smtp.url, from: 'センター <survey@example.jp>', perSecond: 20, work: true, pollingSeconds: 0.5 });
    Object.assign(t, appOn(fresh.database, hashKey, mail));
  });
  const staff = useStaffBrowser(t, { email: 'mailer@example.jp', name: '送信 花子', role: 'editor' });
  afterAll(async () => {
    await mail?.stop();
    await smtp?.close();
    await dispose?.();
  });

  it('an editor previews the message as one unit gets it, sends the invitations and reads a unit\'s history', async () => {
    const { waveId } = await openWave(t, ['ucla3-national'], { openLink: false });
    const csv = 'unit_id,city,email\nK-001,気仙沼市,k1@example.jp\nK-002,大船渡市,k2@example.jp\nK-003,気仙沼市,\nK-004,気仙沼市,k4@example.jp';
    expect((await t.app.request(`/api/waves/${waveId}/frame`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' }, body: csv })).status).toBe(201);
    expect((await t.staff('POST', `/api/waves/${waveId}/frame/dispositions`, { unitIds: ['K-004'], disposition: 'refused' })).status).toBe(200);
    const context = await staff.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    const page = await context.newPage();
    await staff.logIn(page, `/staff/waves/${waveId}/mail`);
    await expect(page.locator('#count-invitable').innerText()).resolves.toBe('2');
    // The test app's links point at localhost: the page says mails would carry links nobody can open.
    await expect(page.locator('#link-warning').isVisible()).resolves.toBe(true);

    // The reminder draft replaces the untouched invitation draft, and back.
    await page.getByLabel(/リマインダー（未回答の人への再送）/).check();
    await expect(page.locator('#mail-subject').inputValue()).resolves.toContain('再送');
    await expect(page.locator('#mail-schedule').isVisible()).resolves.toBe(true);
    await page.getByLabel(/招待メール（はじめてのご案内）/).check();
    await page.locator('#mail-subject').fill('【{団体名}】{調査名}のご案内');

    const preview = page.locator('#mail-preview');
    await page.locator('#mail-unit').selectOption('K-004');
    await page.getByRole('button', { name: /プレビュー/ }).click();
    await expect.poll(() => preview.innerText()).toContain('この人には今は送りません: 辞退');
    await page.locator('#mail-unit').selectOption('K-002');
    await page.getByRole('button', { name: /プレビュー/ }).click();
    await expect.poll(() => preview.innerText()).toContain('k2@example.jp');
    await preview.locator('pre').waitFor();
    expect(await preview.innerText()).toContain('k2@example.jp');
    expect(await preview.innerText()).toContain('【Default organisation】テストのご案内');

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: /招待メールを送信/ }).click();
    await expect.poll(() => page.locator('#mail-status').innerText()).toContain('送信を始めました（2 件）');
    const arrived = await until('two invitations', () => [...smtp.received], (r) => r.length === 2);
    const toK2 = arrived.find((m) => m.text?.includes('/optout/') && JSON.stringify(m.to).includes('k2@example.jp'))!;
    expect(toK2.text).toBe(await preview.locator('pre').innerText());

    await page.reload();
    await expect(page.locator('#mail-units tbody tr', { hasText: 'K-002' }).innerText()).resolves.toContain('招待・送信済み');
    await expect(page.locator('#mail-send').isDisabled()).resolves.toBe(true);
    await page.getByRole('link', { name: 'K-002' }).click();
    await page.waitForURL(/\/invitations\/K-002\/messages$/);
    await expect(page.locator('#unit-messages li').first().getAttribute('data-status')).resolves.toBe('sent');
    await context.close();
  });
});
