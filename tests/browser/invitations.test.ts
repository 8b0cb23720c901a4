import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEvents, invitations, organisations, responses } from '../../src/db/schema.js';
import { axeViolations } from '../helpers/axe.js';
import { browserAvailable, useStaffBrowser } from '../helpers/browser.js';
import { readPdf } from '../helpers/pdfPages.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

// ISO sizes in points, whole: Chromium rounds millimetres to its pixels (210 mm → 594.96 pt).
const A4 = [595, 842];
const A5 = [420, 595];
const answers = { ucla3_companionship: 1, ucla3_left_out: 2, ucla3_isolated: 3 };

// Skipped only on machines without Chromium; CI sets REQUIRE_BROWSER=1 so it always runs there.
describe.skipIf(!browserAvailable)('printed invitations: letters, flyer and code cards [pglite]', () => {
  const t = useTestApp('pglite');
  const staff = useStaffBrowser(t, { email: 'print@example.jp', name: '印刷 花子', role: 'editor' });

  const sizeOf = (page: { widthPt: number; heightPt: number }) => [Math.round(page.widthPt), Math.round(page.heightPt)];

  async function printedPdf(path: string, read?: Parameters<typeof readPdf>[1]) {
    const context = await staff.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    const page = await context.newPage();
    // Logged in on a page that prints nothing, so each print view is audited once.
    await staff.logIn(page, '/staff/account');
    await page.goto(`${staff.server.url}${path}`);
    const warningOnScreen = await page.locator('#link-warning').isVisible();
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    await context.close();
    return { pages: readPdf(pdf, read), warningOnScreen };
  }

  it('lists the units, shows a unit’s code again, re-issues it after confirmation, corrects attributes and refuses a re-uploaded unit in Japanese', async () => {
    const { waveId } = await openWave(t, ['ucla3-national'], { openLink: false });
    const units = ['U-1', 'U-2', 'U-3', 'U-OLD'].map((unitId) => ({ unitId, attributes: { city: '気仙沼市' } }));
    expect((await t.staff('POST', `/api/waves/${waveId}/frame`, { units })).status).toBe(201);
    // A link made before links could be shown again: no issue number, no code.
    await t.database.db.update(invitations).set({ tokenIssue: null, accessCodeHash: null }).where(eq(invitations.unitId, 'U-OLD'));
    await t.staff('POST', `/api/waves/${waveId}/frame/dispositions`, { unitIds: ['U-3'], disposition: 'refused' });

    const context = await staff.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    const page = await context.newPage();
    await staff.logIn(page, `/staff/waves/${waveId}/results`);
    await page.getByRole('link', { name: '招待者一覧・印刷' }).first().click();
    await page.waitForURL(/\/invitations$/);
    await expect(page.locator('#link-warning').isVisible()).resolves.toBe(true);
    const rows = page.locator('#units tbody tr');
    expect(await rows.count()).toBe(4);
    await expect(page.locator('#units tr[data-unit-id="U-OLD"]').innerText()).resolves.toContain('再発行が必要');
    const shownCode = (await page.locator('#units tr[data-unit-id="U-1"] .access-code').innerText()).trim();

    await page.locator('select[name="disposition"]').selectOption('refused');
    await page.getByRole('button', { name: /絞り込む/ }).click();
    await page.waitForURL(/disposition=refused/);
    expect(await rows.count()).toBe(1);
    await expect(rows.first().innerText()).resolves.toContain('拒否');

    // One unit: its code again, then a re-issue the dialog confirms.
    await page.goto(`${staff.server.url}/staff/waves/${waveId}/invitations/U-1`);
    await expect(page.locator('.unit-link .access-code').innerText()).resolves.toBe(shownCode);
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: /再発行する/ }).click();
    await expect.poll(async () => (await page.locator('.unit-link .access-code').innerText()).trim()).not.toBe(shownCode);
    const [renewed] = await t.database.db.select().from(invitations).where(eq(invitations.unitId, 'U-1'));
    expect(renewed.tokenIssue).toBe(2);

    await page.locator('#attributes-text').fill('city: 大船渡市\n年代: 70代');
    await page.getByRole('button', { name: /訂正を保存/ }).click();
    await expect.poll(() => page.locator('#attributes-status').innerText()).toContain('訂正しました');
    const [corrected] = await t.database.db.select().from(invitations).where(eq(invitations.unitId, 'U-1'));
    expect(corrected.attributes).toEqual({ city: '大船渡市', 年代: '70代' });

    // Adding units later goes through the frame page; a unit already there is refused in Japanese, naming it.
    await page.goto(`${staff.server.url}/staff/waves/${waveId}/frame`);
    await expect(page.locator('#link-warning').isVisible()).resolves.toBe(true);
    await page.locator('#frame-csv').fill('unit_id,city\nU-2,気仙沼市\nU-9,気仙沼市\n');
    await page.getByRole('button', { name: /招待リンクを作成/ }).click();
    await expect.poll(() => page.locator('#frame-problems').innerText()).toContain('名簿に登録済みの対象者があります');
    await expect(page.locator('#frame-problems').innerText()).resolves.toContain('U-2');
    await context.close();
  });

  it('takes a code typed at /c on a phone to the questionnaire (a plain form, no script); a wrong one gets a message; no WCAG A/AA violations', async () => {
    const { waveId } = await openWave(t, ['ucla3-national'], { openLink: false });
    expect((await t.staff('POST', `/api/waves/${waveId}/frame`, { units: [{ unitId: 'C-1' }] })).status).toBe(201);
    const [unit]: { url: string; accessCode: string }[] = (await (await t.staff('GET', `/api/waves/${waveId}/invitations`)).json()).units;
    // JavaScript stays on for axe-core; the page itself has no script to need it.
    const context = await staff.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP', isMobile: true });
    const page = await context.newPage();
    await page.goto(`${staff.server.url}/c`);
    expect(await page.locator('script').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel(/コード/).fill('ZZZZ ZZZZ');
    await page.getByRole('button', { name: /次へ/ }).click();
    await expect(page.locator('#code-error').innerText()).resolves.toContain('このコードではアンケートを開けませんでした');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel(/コード/).fill(unit.accessCode.toLowerCase());
    await page.getByRole('button', { name: /次へ/ }).click();
    await page.waitForURL((url) => url.pathname === new URL(unit.url).pathname);
    await expect(page.locator('[data-q="ucla3_companionship"]').count()).resolves.toBe(1);
    await context.close();
  });

  it('prints one letter per unit of a 10-unit frame, each QR code leading to its own unit’s link', async () => {
    const { waveId } = await openWave(t, ['ucla3-national'], { openLink: false, closesAt: '2099-12-20T17:00:00+09:00' });
    await t.database.db.update(organisations).set({ contact: '支援センター 担当 山田 電話 0226-00-0000' });
    expect((await t.staff('PATCH', `/api/waves/${waveId}`, { purpose: '暮らしとつながりの様子をうかがうためです。' })).status).toBe(200);
    const units = Array.from({ length: 10 }, (_, i) => ({ unitId: `P-${String(i + 1).padStart(2, '0')}`, attributes: { city: '気仙沼市' } }));
    expect((await t.staff('POST', `/api/waves/${waveId}/frame`, { units })).status).toBe(201);
    const listed: { unitId: string; url: string; accessCode: string }[] = (await (await t.staff('GET', `/api/waves/${waveId}/invitations`)).json()).units;

    const { pages, warningOnScreen } = await printedPdf(`/staff/waves/${waveId}/print/letters`);
    expect(pages).toHaveLength(10);
    for (const [i, page] of pages.entries()) {
      const unitId = /整理番号\s*(P-\d\d)/.exec(page.text)?.[1];
      const unit = listed.find((u) => u.unitId === unitId)!;
      expect(unitId).toBe(units[i].unitId);
      expect(page.qr).toBe(unit.url);
      expect(page.text).toContain(unit.accessCode);
      expect(page.text).toContain('http://localhost/c');
      expect(page.text).toMatch(/2099年12月20日\(日\) 17:00まで/);
      expect(page.text).toContain('支援センター 担当 山田');
      expect(page.text).toContain('暮らしとつながりの様子');
      expect(sizeOf(page)).toEqual(A4);
      // The warning about links pointing at this computer is for the screen, never on paper.
      expect(page.text).not.toContain('PUBLIC_URL');
    }
    expect(warningOnScreen).toBe(true);

    // A reminder mailing: only units still pending.
    await t.staff('POST', `/api/waves/${waveId}/responses`, { idempotencyKey: 'paper-p01', mode: 'paper', unitId: 'P-01', answers });
    await t.staff('POST', `/api/waves/${waveId}/frame/dispositions`, { unitIds: ['P-02'], disposition: 'refused' });
    const reminders = await printedPdf(`/staff/waves/${waveId}/print/letters?disposition=pending`);
    expect(reminders.pages.map((p) => /整理番号\s*(P-\d\d)/.exec(p.text)?.[1])).toEqual(units.slice(2).map((u) => u.unitId));
    const printed = await t.database.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'print.letters'), eq(auditEvents.target, waveId)));
    expect(printed.map((p) => (p.details as { units: number }).units)).toEqual([10, 8]);
  });

  it('prints the open link’s flyer on one A4 or A5 page with a QR code of the open link', async () => {
    const { waveId, wave } = await openWave(t, ['ucla3-national']);
    for (const [size, dimensions] of [['A4', A4], ['A5', A5]] as const) {
      const { pages } = await printedPdf(`/staff/waves/${waveId}/print/flyer?size=${size}`);
      expect(pages).toHaveLength(1);
      expect(sizeOf(pages[0])).toEqual(dimensions);
      expect(pages[0].qr).toBe(wave.openLink);
      expect(pages[0].text.replace(/\s/g, '')).toContain(String(wave.openLink));
    }
  });

  it('prints ten participant code cards a sheet, whose codes the participant page takes and pairs before and after', async () => {
    const study = await (await t.staff('POST', '/api/studies', { name: '講座 2026' })).json();
    const pre = await openWave(t, ['ucla3-national'], { studyId: study.id, phase: 'pre', askParticipantCode: true });
    const post = await openWave(t, ['ucla3-national'], { studyId: study.id, phase: 'post', askParticipantCode: true });
    const { pages } = await printedPdf(`/staff/waves/${pre.waveId}/print/cards?count=12`);
    expect(pages).toHaveLength(2);
    const codes = pages.flatMap((p) => [...p.text.matchAll(/\b([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})\b/g)].map((m) => m[1]));
    expect(codes).toHaveLength(12);
    expect(new Set(codes).size).toBe(12);
    // The first card's QR code (18 mm, left of its text; read at 300 dpi as a phone's camera reads it close up).
    const [firstCard] = (await printedPdf(`/staff/waves/${pre.waveId}/print/cards?count=10`, { dpi: 300, region: { x: 10, y: 8, width: 100, height: 62 } })).pages;
    expect(firstCard.qr).toBe(pre.wave.openLink);
    // The post wave of the same study prints the same cards.
    const again = await printedPdf(`/staff/waves/${post.waveId}/print/cards?count=12`);
    expect(again.pages.flatMap((p) => [...p.text.matchAll(/\b([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})\b/g)].map((m) => m[1]))).toEqual(codes);

    // On the participant page's form (no JavaScript needed): the code as printed before, typed loosely after.
    const context = await staff.browser.newContext({ viewport: { width: 390, height: 800 }, locale: 'ja-JP', javaScriptEnabled: false });
    const page = await context.newPage();
    for (const [slug, typed] of [[pre.slug, codes[3]], [post.slug, ` ${codes[3].toLowerCase().replace('-', '')} `]]) {
      await page.goto(`${staff.server.url}/s/${slug}`);
      for (const q of Object.keys(answers)) await page.locator(`[data-q="${q}"] input[type="radio"]`).first().check();
      await page.locator('#f-code').fill(typed);
      await page.locator('button[type="submit"]').last().click();
      await expect(page.locator('body').innerText()).resolves.toMatch(/ありがとうございました/);
    }
    await context.close();
    const stored = await t.database.db.select().from(responses).where(eq(responses.waveId, post.waveId));
    const [before] = await t.database.db.select().from(responses).where(eq(responses.waveId, pre.waveId));
    expect(stored).toHaveLength(1);
    expect(stored[0].participantKeyHash).toBe(before.participantKeyHash);
    expect(before.participantKeyHash).not.toBeNull();
  });
});
