import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { invitations, responses } from '../../src/db/schema.js';
import { STAFF_PASSWORD, browserAvailable, useStaffBrowser } from '../helpers/browser.js';
import { pdfPages } from '../helpers/pdf.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

const choice = (page: Page, question: string, label: string) =>
  page.locator(`#entry [data-q="${question}"] label.choice`, { hasText: label }).getByText(label, { exact: true });
const spoil = (page: Page, question: string) => page.locator(`#entry input[name="__spoiled"][value="${question}"]`);

// Skipped only on machines without Chromium; CI sets REQUIRE_BROWSER=1 so it always runs there.
describe.skipIf(!browserAvailable)('paper questionnaire (issue 14) [pglite]', () => {
  const t = useTestApp('pglite');
  const staff = useStaffBrowser(t, { email: 'paper@example.jp', name: '紙 花子', role: 'editor' });

  it('prints the published questionnaire on A4 with 問 numbers of the entry page, boxes, skip instructions and each unit id', async () => {
    const { waveId } = await openWave(t, ['kesennuma-org-survey']);
    const units = ['KS-001', 'KS-002'].map((unitId) => ({ unitId, attributes: { city: '気仙沼市' } }));
    expect((await t.staff('POST', `/api/waves/${waveId}/frame`, { units })).status).toBe(201);
    const context = await staff.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    const page = await context.newPage();
    await staff.logIn(page, `/staff/waves/${waveId}/paper`);

    // The entry page numbers the same questions the same way.
    await page.goto(`${staff.server.url}/staff/waves/${waveId}/entry`);
    const entryNumbers = await page.locator('#entry-questions .q-no').allInnerTexts();
    await page.goto(`${staff.server.url}/staff/waves/${waveId}/paper?copies=all`);
    const paperNumbers = await page.locator('.paper-copy').first().locator('.pq-no').allInnerTexts();
    expect(paperNumbers).toEqual(entryNumbers);
    expect(paperNumbers[2]).toBe('問3');

    const dir = mkdtempSync(join(tmpdir(), 'paper-'));
    const pdf = join(dir, 'paper.pdf');
    writeFileSync(pdf, await page.pdf({ format: 'A4', printBackground: true }));
    const pages = pdfPages(pdf);
    expect(pages.length).toBeGreaterThan(0);
    const text = pages.join('\n');
    expect(text).toContain('問1');
    expect(text).toContain('問3で「その他」と答えた方のみお答えください。');
    expect(text).toContain('→問5へ進んでください。');
    expect(text).toContain('（いくつでも）');
    expect(text).toContain('（1つだけ）');
    expect(text).toContain('□');
    // One copy per unit, each starting on a new sheet with its unit id in the 対象者番号 box.
    const firstPages = pages.map((p, i) => [p, i] as const).filter(([p]) => p.includes('対象者番号'));
    expect(firstPages.map(([p]) => /KS-00\d/.exec(p)?.[0])).toEqual(['KS-001', 'KS-002']);
    // The picker is not printed.
    expect(text).not.toContain('印刷する部数');
    await context.close();
  });

  it('enters a paper return with a blank required item as complete, one with an unreadable answer, and settles a double entry', async () => {
    const { waveId } = await openWave(t, ['ucla3-national']);
    expect((await t.staff('POST', `/api/waves/${waveId}/frame`, { units: [{ unitId: 'E-1' }, { unitId: 'E-2' }] })).status).toBe(201);
    const context = await staff.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    const page = await context.newPage();
    await staff.logIn(page, `/staff/waves/${waveId}/entry`);
    expect(await page.locator('#entry .q-no').allInnerTexts()).toEqual(['問1', '問2', '問3']);

    // E-1: 問2 left blank on the paper, saved as complete.
    await page.locator('#entry-unit').fill('E-1');
    await expect(page.locator('#entry-status').inputValue()).resolves.toBe('complete');
    await choice(page, 'ucla3_companionship', 'ほとんどない').click();
    await choice(page, 'ucla3_isolated', '常にある').click();
    await page.getByRole('button', { name: /^保存/ }).click();
    await page.getByText('保存しました（E-1）').waitFor();
    const [unit] = await t.database.db.select().from(invitations).where(and(eq(invitations.waveId, waveId), eq(invitations.unitId, 'E-1')));
    expect(unit.disposition).toBe('complete');
    const [blank] = await t.database.db.select().from(responses).where(eq(responses.invitationId, unit.id));
    expect(blank).toMatchObject({ status: 'complete', data: { ucla3_companionship: 2, ucla3_isolated: 4 }, spoiled: [] });

    // E-2: two options circled in 問3, marked 判読不能 (the question's own choices are cleared and disabled).
    await page.locator('#entry-unit').fill('E-2');
    await choice(page, 'ucla3_companionship', '決してない').click();
    await choice(page, 'ucla3_left_out', '時々ある').click();
    await choice(page, 'ucla3_isolated', '時々ある').click();
    await spoil(page, 'ucla3_isolated').check();
    expect(await page.locator('#entry [data-q="ucla3_isolated"] input:checked').count()).toBe(0);
    await page.getByRole('button', { name: /^保存/ }).click();
    await page.getByText('保存しました（E-2）').waitFor();
    const stored = await t.database.db.select().from(responses).where(eq(responses.waveId, waveId));
    expect(stored.find((r) => r.spoiled.length)).toMatchObject({ data: { ucla3_companionship: 1, ucla3_left_out: 3 }, spoiled: ['ucla3_isolated'] });

    // The list reads each return back by 問 number.
    await page.reload();
    const row = page.locator('#entries tbody tr', { hasText: 'E-2' });
    await row.locator('summary').click();
    expect(await row.locator('.answers').innerText()).toMatch(/問1\s+決してない\s+問2\s+時々ある\s+問3\s+判読不能・無効/);
    const blankRow = page.locator('#entries tbody tr', { hasText: 'E-1' });
    await blankRow.locator('summary').click();
    expect(await blankRow.locator('.answers').innerText()).toMatch(/問2\s+—（無回答）/);

    // Double entry: a colleague keys E-2 again and reads 問2 differently; the editor chooses the paper's reading.
    expect((await t.staff('POST', '/api/users', { email: 'second@example.jp', name: '照合 次郎', role: 'editor', password: STAFF_PASSWORD })).status).toBe(201);
    const other = await staff.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    const second = await other.newPage();
    await staff.logIn(second, `/staff/waves/${waveId}/entry`, 'second@example.jp');
    await second.locator('#entries tbody tr', { hasText: 'E-2' }).getByRole('link', { name: /2回目の入力/ }).click();
    await second.waitForURL(/\?keying=/);
    await choice(second, 'ucla3_companionship', '決してない').click();
    await choice(second, 'ucla3_left_out', '常にある').click();
    await spoil(second, 'ucla3_isolated').check();
    await second.getByRole('button', { name: /照合のために保存/ }).click();
    await second.waitForURL(/\?resolve=/);
    // The wave's results page flags the return until it is settled.
    await page.goto(`${staff.server.url}/staff/waves/${waveId}/results`);
    await expect(page.locator('a.badge.mismatch').innerText()).resolves.toBe('照合の不一致 1 件');
    const mismatch = second.locator('#mismatch-table tbody tr');
    expect(await mismatch.count()).toBe(1);
    expect(await mismatch.first().innerText()).toMatch(/問2[\s\S]*時々ある[\s\S]*常にある/);
    await mismatch.first().getByLabel('時々ある').check();
    await second.getByRole('button', { name: /選んだ内容で確定/ }).click();
    await second.waitForURL((url) => url.pathname.endsWith('/entry') && !url.search);
    expect(await second.locator('#entries tbody tr', { hasText: 'E-2' }).innerText()).toContain('照合済み');
    await page.reload();
    expect(await page.locator('a.badge.mismatch').count()).toBe(0);
    await other.close();
    await context.close();
  });
});
