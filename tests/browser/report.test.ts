import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAvailable, useStaffBrowser } from '../helpers/browser.js';
import { kesennumaWave } from '../helpers/kesennuma.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

/** Set SHOT_DIR to keep the PDFs and screenshots for looking at. */
const SHOT_DIR = process.env.SHOT_DIR;
const dir = SHOT_DIR ?? mkdtempSync(join(tmpdir(), 'report-'));

/** The printable width of A4 portrait with the report's 12 mm side margins, in CSS px (96 per inch). */
const A4_CONTENT_PX = Math.floor(((210 - 24) / 25.4) * 96);

/** Non-empty text lines of each page of a PDF (pdftotext from poppler-utils). */
function pagesOf(pdf: string): string[][] {
  const count = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
  return Array.from({ length: count }, (_, i) =>
    execFileSync('pdftotext', ['-layout', '-f', String(i + 1), '-l', String(i + 1), pdf, '-'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  );
}

/** Elements whose text is cut off or that reach past the page, in the print-emulated page. */
async function overflows(page: Page, width: number) {
  return page.evaluate((width) => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('main th, main td, main h1, main h2, main h3, main h4, main p, main li')) {
      const style = getComputedStyle(el);
      if (style.display === 'none') continue;
      const rect = el.getBoundingClientRect();
      if (el.scrollWidth > el.clientWidth + 1 && style.overflowX !== 'visible') out.push(`clipped: ${el.tagName} ${el.innerText.slice(0, 40)}`);
      if (el.scrollWidth > el.clientWidth + 1 && (el.tagName === 'TH' || el.tagName === 'TD')) out.push(`overflowing cell: ${el.innerText.slice(0, 40)}`);
      if (rect.right > width + 1) out.push(`past the page (${Math.round(rect.right)} > ${width}): ${el.tagName} ${el.innerText.slice(0, 40)}`);
    }
    if (document.documentElement.scrollWidth > width) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth}`);
    return out;
  }, width);
}

describe.skipIf(!browserAvailable)('printable reports [pglite]', () => {
  const t = useTestApp('pglite');
  const staff = useStaffBrowser(t, { email: 'evaluator@example.jp', name: '評価 花子', role: 'evaluator' });

  it('prints the Kesennuma wave report on A4: sane page count, no near-empty page or orphan heading, nothing clipped', async () => {
    const waveId = await kesennumaWave(t);
    const context = await staff.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    const page = await context.newPage();
    const path = `/staff/waves/${waveId}/report`;
    await staff.logIn(page, `${path}?tables=kesen_legal_type:kesen_anti_isolation`);

    // Reached from the results pages.
    await page.goto(`${staff.server.url}/staff/waves/${waveId}/results`);
    await expect(page.getByRole('link', { name: /報告書（印刷用）/ }).getAttribute('href')).resolves.toBe(path);
    await page.goto(`${staff.server.url}${path}?tables=kesen_legal_type:kesen_anti_isolation`);

    const overview = await page.locator('#overview').innerText();
    expect(overview).toContain('郵送 68件');
    expect(overview).toContain('名簿の対象数\t184件');
    expect(overview).toContain('回答完了 68件、途中まで 0件');
    await expect(page.locator('#rates tbody tr').allInnerTexts()).resolves.toEqual(expect.arrayContaining([expect.stringMatching(/^大船渡市\s+49\s+15/)]));
    await expect(page.locator('#summary section.question').count()).resolves.toBeGreaterThanOrEqual(4);
    await expect(page.locator('#tables h3').innerText()).resolves.toContain('×');
    const methods = await page.locator('#methods').innerText();
    expect(methods).toMatch(/k = 5/);
    expect(methods).toContain('四捨五入');
    expect(methods).toContain('自由記述');
    await expect(page.getByRole('button', { name: /印刷・PDF保存/ }).isVisible()).resolves.toBe(true);

    if (SHOT_DIR) {
      mkdirSync(SHOT_DIR, { recursive: true });
      await page.screenshot({ path: `${SHOT_DIR}/wave-report-1280.png`, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: `${SHOT_DIR}/wave-report-390.png`, fullPage: true });
    }

    // As printed: A4's printable width, print styles.
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: A4_CONTENT_PX, height: 1000 });
    expect(await overflows(page, A4_CONTENT_PX)).toEqual([]);
    await expect(page.getByRole('button', { name: /印刷・PDF保存/ }).isVisible()).resolves.toBe(false);

    const headings = (await page.locator('main h2, main h3').allInnerTexts()).map((h) => h.trim().split('\n')[0]);
    const pdf = join(dir, 'wave-report.pdf');
    writeFileSync(pdf, await page.pdf({ format: 'A4', printBackground: true }));
    const pages = pagesOf(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(4);
    expect(pages.length).toBeLessThanOrEqual(12);
    pages.forEach((lines, i) => {
      const last = i === pages.length - 1;
      expect(lines.length, `page ${i + 1}: ${lines.join(' / ')}`).toBeGreaterThanOrEqual(last ? 3 : 8);
      // No heading left alone at the foot of a page.
      const foot = lines[lines.length - 1];
      expect(headings.some((h) => h && foot.startsWith(h.slice(0, 12))), `page ${i + 1} ends with a heading: ${foot}`).toBe(false);
    });
    // Free-text answers are never printed.
    expect(pages.flat().join('\n')).not.toContain('自由記述を表示');
    await context.close();
  }, 180_000);

  it('prints the study report with a plain reading of the pre/post change, and shows it on the pre/post page', async () => {
    const study = await (await t.staff('POST', '/api/studies', { name: '見守り訪問の事前・事後' })).json();
    const pre = await openWave(t, ['ucla3-national'], { studyId: study.id, phase: 'pre', askParticipantCode: true });
    const post = await openWave(t, ['ucla3-national'], { studyId: study.id, phase: 'post', askParticipantCode: true });
    const send = (slug: string, key: string, code: string, v: [number, number, number]) =>
      t.request(`/api/public/s/${slug}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ idempotencyKey: key, participantCode: code, answers: { ucla3_companionship: v[0], ucla3_left_out: v[1], ucla3_isolated: v[2] } }),
      });
    // 12 participants: most a point or two less lonely afterwards, a few unchanged or worse.
    const before: [number, number, number][] = [[3, 3, 2], [4, 3, 3], [2, 2, 2], [3, 4, 3], [4, 4, 4], [2, 3, 2], [3, 3, 3], [4, 3, 4], [3, 2, 2], [2, 2, 3], [3, 3, 4], [4, 4, 3]];
    const change = [-1, -2, 0, -1, -2, 1, -1, 0, -1, -1, -2, 0];
    for (const [i, v] of before.entries()) {
      const code = `P${String(i + 1).padStart(2, '0')}`;
      const sent = await send(pre.slug, `pre-response-${code}`, code, v);
      expect(sent.status, await sent.clone().text()).toBe(201);
      const after = [...v] as [number, number, number];
      after[i % 3] = Math.min(4, Math.max(1, after[i % 3] + change[i]));
      expect((await send(post.slug, `post-response-${code}`, code, after)).status).toBe(201);
    }

    const context = await staff.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    const page = await context.newPage();
    await staff.logIn(page, `/staff/studies/${study.id}/results`);
    const reading = await page.locator('#reading').innerText();
    expect(reading).toContain('点数が高いほど孤独感が強い（悪い）');
    expect(reading).toMatch(/平均 \d+\.\d → \d+\.\d 点（12組）。差 −\d+\.\d+ 点（95%信頼区間 −\d+\.\d+〜−?\d+\.\d+、p [=<] 0\.\d{3}、効果量 dz = −\d\.\d\d（.+）/);
    expect(reading).toContain('統計的に有意な改善が見られました（ただし、対照群のない前後比較');
    // The chart's axis names the scale and its direction.
    await expect(page.locator('figure.chart svg').innerHTML()).resolves.toContain('高いほど悪い');

    if (SHOT_DIR) await page.screenshot({ path: `${SHOT_DIR}/prepost-1280.png`, fullPage: true });
    await page.getByRole('link', { name: /報告書（印刷用）/ }).click();
    await page.waitForURL(/\/report/);
    await expect(page.locator('#reading').innerText()).resolves.toBe(reading);
    await expect(page.locator('#overview').innerText()).resolves.toContain('点数が高いほど孤独感が強い（悪い）');
    if (SHOT_DIR) await page.screenshot({ path: `${SHOT_DIR}/study-report-1280.png`, fullPage: true });
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: A4_CONTENT_PX, height: 1000 });
    expect(await overflows(page, A4_CONTENT_PX)).toEqual([]);
    const pdf = join(dir, 'study-report.pdf');
    writeFileSync(pdf, await page.pdf({ format: 'A4', printBackground: true }));
    const pages = pagesOf(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.length).toBeLessThanOrEqual(4);
    expect(pages.flat().join('')).toContain('統計的に有意な改善が見られました');

    // The score block of the 単純集計 says which way is better.
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${staff.server.url}/staff/waves/${pre.waveId}/results`);
    await expect(page.locator('section.score .direction').innerText()).resolves.toContain('点数が高いほど孤独感が強い（悪い）');
    await context.close();
  }, 120_000);
});
