import { readFile } from 'node:fs/promises';
import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { invitations, responses } from '../../src/db/schema.js';
import { browserAvailable, useStaffBrowser } from '../helpers/browser.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

const choice = (page: Page, question: string, label: string) =>
  page.locator(`#entry [data-q="${question}"] label.choice`, { hasText: label }).getByText(label, { exact: true });

// Skipped only on machines without Chromium; CI sets REQUIRE_BROWSER=1 so it always runs there.
describe.skipIf(!browserAvailable)('collection pages: frame upload and paper entry [pglite]', () => {
  const t = useTestApp('pglite');
  const staff = useStaffBrowser(t, { email: 'editor@example.jp', name: '入力 太郎', role: 'editor' });

  it('an editor uploads a frame CSV, gets the links once, and enters a paper return for one unit', async () => {
    const { waveId } = await openWave(t, ['ucla3-national']);
    const context = await staff.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', acceptDownloads: true });
    const page = await context.newPage();
    await staff.logIn(page, `/staff/waves/${waveId}/results`);

    // ---- frame: the results page links to it; a CSV file fills the textarea and is sent as text/csv
    await page.getByRole('link', { name: '名簿と招待リンク' }).first().click();
    await page.waitForURL(/\/frame$/);
    await expect(page.locator('#frame-total').innerText()).resolves.toBe('0');
    const csv = 'unit_id,city\nK-001,気仙沼市\nK-002,大船渡市\nK-003,陸前高田市\n=1+2,気仙沼市\n';
    await page.locator('#frame-file').setInputFiles({ name: 'frame.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await expect.poll(() => page.locator('#frame-csv').inputValue()).toContain('K-003,陸前高田市');
    await page.getByRole('button', { name: /招待リンクを作成/ }).click();
    const links = page.locator('#frame-links tbody tr');
    await links.nth(3).waitFor();
    expect(await links.count()).toBe(4);
    expect(await links.nth(0).innerText()).toMatch(/K-001\s+http:\/\/localhost\/t\/\S+/);
    await expect.poll(() => page.locator('#frame-total').innerText()).toBe('4');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /CSVでダウンロード/ }).click()]);
    const saved = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(saved[0]).toBe('unit_id,url');
    expect(saved).toHaveLength(5);
    expect(saved[3]).toMatch(/^K-003,http:\/\/localhost\/t\//);
    // a unit id that reads as a formula is neutralised, as in the server's CSV
    expect(saved[4]).toMatch(/^'=1\+2,http:\/\/localhost\/t\//);

    const stored = await t.database.db.select().from(invitations).where(eq(invitations.waveId, waveId));
    expect(stored.map((i) => i.attributes.city).sort()).toEqual(['大船渡市', '気仙沼市', '気仙沼市', '陸前高田市'].sort());

    // The counts by disposition come from the database on the next visit.
    await page.reload();
    await expect(page.locator('#frame-counts tr[data-disposition="pending"]').innerText()).resolves.toContain('4');

    // ---- entry: a paper return for K-002
    await page.getByRole('link', { name: /紙の回答を入力/ }).click();
    await page.waitForURL(/\/entry$/);
    await page.locator('#entry-mode').selectOption('paper');
    await page.locator('#entry-unit').fill('K-002');
    await choice(page, 'ucla3_companionship', 'ほとんどない').click();
    await choice(page, 'ucla3_left_out', '時々ある').click();
    await choice(page, 'ucla3_isolated', '常にある').click();
    await page.getByRole('button', { name: /保存/ }).click();
    await page.getByText('保存しました').waitFor();
    // The form is cleared for the next return; the mode stays.
    expect(await page.locator('#entry input[type=radio]:checked').count()).toBe(0);
    expect(await page.locator('#entry-unit').inputValue()).toBe('');
    expect(await page.locator('#entry-mode').inputValue()).toBe('paper');

    // An unknown unit shows the API's problem.
    await page.locator('#entry-unit').fill('K-999');
    await choice(page, 'ucla3_companionship', '決してない').click();
    await page.getByRole('button', { name: /保存/ }).click();
    await page.locator('#entry-problems', { hasText: '対象者番号 K-999 は名簿にありません' }).waitFor();
    expect(await page.locator('#entry-problems').innerText()).not.toMatch(/unitId|not in frame/);

    const rows = await t.database.db.select().from(responses).where(eq(responses.waveId, waveId));
    expect(rows).toHaveLength(1);
    expect(rows[0].mode).toBe('paper');
    expect(rows[0].data).toEqual({ ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 4 });
    const [unit] = await t.database.db.select().from(invitations).where(and(eq(invitations.waveId, waveId), eq(invitations.unitId, 'K-002')));
    expect(unit.disposition).toBe('complete');
    expect(rows[0].invitationId).toBe(unit.id);

    // ---- the entered return is listed; 訂正 reopens it in the form, and saving replaces it
    await page.reload();
    const entered = page.locator('#entries tbody tr');
    expect(await entered.count()).toBe(1);
    expect(await entered.first().innerText()).toMatch(/K-002[\s\S]*紙[\s\S]*完了/);
    await entered.first().getByRole('link', { name: /訂正/ }).click();
    await page.waitForURL(/\?response=/);
    expect(await page.locator('#entry-unit').isDisabled()).toBe(true);
    expect(await choice(page, 'ucla3_isolated', '常にある').isChecked()).toBe(true);
    await choice(page, 'ucla3_isolated', '時々ある').click();
    await page.getByRole('button', { name: /保存/ }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/entry') && !url.search);
    const [correctedRow] = await t.database.db.select().from(responses).where(eq(responses.waveId, waveId));
    expect(correctedRow.data).toEqual({ ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 3 });

    // ---- 削除 removes it and gives the unit back its pending state
    page.once('dialog', (dialog) => dialog.accept());
    await page.locator('#entries tbody tr').first().getByRole('button', { name: /削除/ }).click();
    await expect.poll(() => page.locator('#entries tbody tr').count()).toBe(0);
    expect(await t.database.db.select().from(responses).where(eq(responses.waveId, waveId))).toHaveLength(0);
    const [back] = await t.database.db.select().from(invitations).where(and(eq(invitations.waveId, waveId), eq(invitations.unitId, 'K-002')));
    expect(back.disposition).toBe('pending');
    await context.close();
  });

  it('an editor records a list of units as ineligible and sees what was recorded, skipped and not found', async () => {
    const { waveId } = await openWave(t, ['ucla3-national']);
    const context = await staff.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    const page = await context.newPage();
    await staff.logIn(page, `/staff/waves/${waveId}/frame`);
    await expect(page.locator('#frame-counts').isVisible()).resolves.toBe(false);
    await page.locator('#frame-csv').fill('unit_id\nD-001\nD-002\nD-003\nD-004\nD 005');
    await page.getByRole('button', { name: /招待リンクを作成/ }).click();
    await page.locator('#frame-links tbody tr').nth(4).waitFor();
    const count = (disposition: string) => page.locator(`#frame-counts tr[data-disposition="${disposition}"] .count`);
    await expect.poll(() => count('pending').innerText()).toBe('5');

    // D-002 answered on paper meanwhile (entered elsewhere), so it keeps its disposition.
    const answers = { ucla3_companionship: 1, ucla3_left_out: 1, ucla3_isolated: 1 };
    expect((await t.staff('POST', `/api/waves/${waveId}/responses`, { idempotencyKey: 'browser-paper-d2', mode: 'paper', unitId: 'D-002', answers })).status).toBe(201);

    // A column pasted from a spreadsheet, with its header, ids separated by commas on one line, and an id with a space.
    await page.locator('#disposition-units').fill('unit_id\nD-001\n"D-003", D-002、D-404\n D 005 \n');
    await page.locator('#disposition-value').selectOption({ label: '対象外 Ineligible' });
    await page.getByRole('button', { name: /^記録/ }).click();
    await page.locator('#disposition-status', { hasText: '3 件を「対象外' }).waitFor();
    await expect(page.locator('#disposition-answered').innerText()).resolves.toMatch(/回答済み.*\(1\): D-002$/);
    await expect(page.locator('#disposition-unknown').innerText()).resolves.toMatch(/名簿にない.*\(1\): D-404$/);
    await expect(page.locator('#disposition-problems').isVisible()).resolves.toBe(false);
    await expect(count('ineligible').innerText()).resolves.toBe('3');
    await expect(count('pending').innerText()).resolves.toBe('1');
    await expect(count('complete').innerText()).resolves.toBe('1');
    await expect(page.locator('#frame-counts tr[data-disposition="refused"]').isVisible()).resolves.toBe(false);
    await expect(page.locator('#frame-total').innerText()).resolves.toBe('5');

    const stored = await t.database.db.select().from(invitations).where(eq(invitations.waveId, waveId));
    expect(Object.fromEntries(stored.map((i) => [i.unitId, i.disposition]))).toEqual({ 'D-001': 'ineligible', 'D-002': 'complete', 'D-003': 'ineligible', 'D-004': 'pending', 'D 005': 'ineligible' });
    await page.reload();
    await expect(count('ineligible').innerText()).resolves.toBe('3');

    // Nothing entered: said so on the page, nothing sent.
    await page.locator('#disposition-units').fill(' \n unit_id ');
    await page.getByRole('button', { name: /^記録/ }).click();
    await page.locator('#disposition-problems', { hasText: '対象者番号を入力してください' }).waitFor();
    await context.close();
  });
});

