import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserAvailable, useStaffBrowser } from '../helpers/browser.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

/** Text of each page of a PDF (pdftotext from poppler-utils), spaces dropped: Japanese is laid out with gaps. */
function pdfPages(pdf: string): string[] {
  const count = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
  return Array.from({ length: count }, (_, i) =>
    execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ''),
  );
}

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
});
