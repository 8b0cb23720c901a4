import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { auditEvents, invitations } from '../../src/db/schema.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp, type TestApp } from '../helpers/testApp.js';

type Listed = { unitId: string; url: string; accessCode: string; disposition_ja: string; attributes: Record<string, string | null>; tokenIssue: number };

/** Types a code at /c as a participant would and says where the page sent them (or its status). */
async function typeCode(t: Pick<TestApp, 'request'> | { request: (p: string, i?: RequestInit) => Response | Promise<Response> }, code: string, headers: Record<string, string> = {}) {
  return t.request('/c', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams({ code }).toString() });
}

const pathOf = (url: string) => new URL(url).pathname;

describeEachDatabase('invitation list', (kind) => {
  const t = useTestApp(kind);

  async function frameOf(units: { unitId: string; attributes?: Record<string, string> }[]) {
    const { waveId } = await openWave(t, ['ucla3-national'], { openLink: false });
    expect((await t.staff('POST', `/api/waves/${waveId}/frame`, { units })).status).toBe(201);
    return waveId;
  }
  const listOf = async (waveId: string, query = '') => (await t.staff('GET', `/api/waves/${waveId}/invitations${query}`)).json();

  it('lists units a page at a time in frame order, filtered by disposition or unit id, with link and access code', async () => {
    const waveId = await frameOf(Array.from({ length: 25 }, (_, i) => ({ unitId: `L${String(i + 1).padStart(3, '0')}`, attributes: { city: i % 2 ? '気仙沼市' : '大船渡市' } })));
    expect((await t.staff('POST', `/api/waves/${waveId}/frame/dispositions`, { unitIds: ['L003', 'L020'], disposition: 'refused' })).status).toBe(200);

    const second = await listOf(waveId, '?perPage=10&page=2');
    expect(second.total).toBe(25);
    expect(second.units.map((u: Listed) => u.unitId)).toEqual(Array.from({ length: 10 }, (_, i) => `L${String(i + 11).padStart(3, '0')}`));
    const first: Listed = (await listOf(waveId, '?perPage=1')).units[0];
    expect(first).toMatchObject({ unitId: 'L001', attributes: { city: '大船渡市' }, disposition_ja: '未回答', tokenIssue: 1 });
    expect(first.accessCode).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect((await t.request(pathOf(first.url))).status).toBe(200);

    const refused = await listOf(waveId, '?disposition=refused');
    expect(refused.units.map((u: Listed) => [u.unitId, u.disposition_ja])).toEqual([['L003', '拒否'], ['L020', '拒否']]);
    expect((await listOf(waveId, '?q=L02')).units.map((u: Listed) => u.unitId)).toEqual(['L020', 'L021', 'L022', 'L023', 'L024', 'L025']);
    expect((await listOf(waveId, '?q=L%25')).total).toBe(0); // a % is a character, not a wildcard

    const bad = await t.staff('GET', `/api/waves/${waveId}/invitations?disposition=gone`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).title_ja).toBe('送信内容に誤りがあります');
  });

  it('re-issues a link: the old link and code answer like unknown ones, the new ones work, and it is audited', async () => {
    const waveId = await frameOf([{ unitId: 'R1' }, { unitId: 'R2' }]);
    const [old] = (await listOf(waveId, '?q=R1')).units as Listed[];
    expect((await typeCode(t, old.accessCode)).headers.get('location')).toBe(pathOf(old.url));

    const res = await t.staff('POST', `/api/waves/${waveId}/invitations/R1/reissue`);
    expect(res.status).toBe(200);
    const renewed: Listed = await res.json();
    expect(renewed.tokenIssue).toBe(2);
    expect(renewed.url).not.toBe(old.url);
    expect(renewed.accessCode).not.toBe(old.accessCode);

    const unknownLink = await t.request('/t/never-issued-token-0123456789');
    const oldLink = await t.request(pathOf(old.url));
    expect(oldLink.status).toBe(unknownLink.status);
    expect(await oldLink.text()).toBe(await unknownLink.text());
    expect((await typeCode(t, old.accessCode)).status).toBe(404);
    expect((await t.request(pathOf(renewed.url))).status).toBe(200);
    expect((await typeCode(t, renewed.accessCode)).headers.get('location')).toBe(pathOf(renewed.url));
    // The other unit is untouched.
    const [r2] = (await listOf(waveId, '?q=R2')).units as Listed[];
    expect(r2.tokenIssue).toBe(1);

    const [entry] = await t.database.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'invitation.reissued'), eq(auditEvents.target, waveId)));
    expect(entry.details).toEqual({ unitId: 'R1', previousIssue: 1, issue: 2 });
    expect((await t.staff('POST', `/api/waves/${waveId}/invitations/nobody/reissue`)).status).toBe(404);
  });

  it('says a link made before links could be shown again needs re-issuing, and re-issues it with a code', async () => {
    const waveId = await frameOf([{ unitId: 'O1' }]);
    await t.database.db.update(invitations).set({ tokenIssue: null, accessCodeHash: null }).where(eq(invitations.waveId, waveId));
    expect((await listOf(waveId)).units[0]).toMatchObject({ unitId: 'O1', tokenIssue: null, url: null, accessCode: null });
    const csv = await (await t.staff('GET', `/api/waves/${waveId}/invitations/export?format=csv`)).text();
    expect(csv).toContain('再発行が必要');
    const renewed: Listed = await (await t.staff('POST', `/api/waves/${waveId}/invitations/O1/reissue`)).json();
    expect(renewed.tokenIssue).toBe(1);
    expect((await typeCode(t, renewed.accessCode)).headers.get('location')).toBe(pathOf(renewed.url));
  });

  it('corrects attributes with the before and after audited; an e-mail column is refused and changes nothing', async () => {
    const waveId = await frameOf([{ unitId: 'A1', attributes: { city: '気仙沼市', age: '70代' } }]);
    const res = await t.staff('PATCH', `/api/waves/${waveId}/invitations/A1`, { attributes: { city: '大船渡市', age: '70代' } });
    expect(res.status).toBe(200);
    expect((await res.json()).attributes).toEqual({ city: '大船渡市', age: '70代' });
    const [entry] = await t.database.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'invitation.attributes_corrected'), eq(auditEvents.target, waveId)));
    expect(entry.details).toEqual({ unitId: 'A1', before: { city: '気仙沼市', age: '70代' }, after: { city: '大船渡市', age: '70代' } });

    const refused = await t.staff('PATCH', `/api/waves/${waveId}/invitations/A1`, { attributes: { city: '陸前高田市', メール: 'a@example.jp' } });
    expect(refused.status).toBe(422);
    expect((await refused.json()).detail_ja).toContain('メールアドレス');
    expect((await t.staff('PATCH', `/api/waves/${waveId}/invitations/A1`, { attributes: 'city' })).status).toBe(400);
    expect((await listOf(waveId)).units[0].attributes).toEqual({ city: '大船渡市', age: '70代' });
  });

  it('exports the list as CSV and XLSX with attributes, disposition, link and code, formulas neutralised, audited', async () => {
    const waveId = await frameOf([
      { unitId: 'X1', attributes: { city: '=HYPERLINK("http://evil.example","x")' } },
      { unitId: '@X2', attributes: { city: '気仙沼市', note: '+1' } },
    ]);
    const units = (await listOf(waveId)).units as Listed[];
    const csvRes = await t.staff('GET', `/api/waves/${waveId}/invitations/export?format=csv`);
    expect(csvRes.status).toBe(200);
    const bytes = new Uint8Array(await csvRes.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trim().split('\r\n');
    expect(lines[0]).toBe('対象者番号,city,note,回答状況,最終更新（日本時間）,招待リンク,アクセスコード');
    expect(lines[1]).toMatch(new RegExp(`^X1,"'=HYPERLINK\\(""http://evil.example"",""x""\\)",,未回答,\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d,${units[0].url},${units[0].accessCode}$`));
    expect(lines[2]).toContain(`'@X2,気仙沼市,'+1,未回答,`);

    const xlsxRes = await t.staff('GET', `/api/waves/${waveId}/invitations/export?format=xlsx&disposition=pending`);
    expect(xlsxRes.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsxRes.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('招待者一覧')!;
    const row = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(row(2)).toEqual(['対象者番号', 'city', 'note', '回答状況', '最終更新（日本時間）', '招待リンク', 'アクセスコード']);
    expect(row(3)[1]).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(row(3).slice(5)).toEqual([units[0].url, units[0].accessCode]);
    expect(row(4).slice(0, 4)).toEqual(["'@X2", '気仙沼市', "'+1", '未回答']);

    const downloads = await t.database.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'download.invitations'), eq(auditEvents.target, waveId)));
    expect(downloads.map((d) => (d.details as { format: string }).format).sort()).toEqual(['csv', 'xlsx']);
  });

  it('opens the questionnaire at /c from a code typed in lower case, full width or with hyphens and spaces; an unknown code gets one Japanese message', async () => {
    const waveId = await frameOf([{ unitId: 'C1' }]);
    const [unit] = (await listOf(waveId)).units as Listed[];
    const plain = unit.accessCode.replace('-', '');
    const fullWidth = [...plain.toLowerCase()].map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).join('');
    for (const typed of [unit.accessCode, plain.toLowerCase(), fullWidth, ` ${plain.slice(0, 2)} ${plain.slice(2, 5)}-${plain.slice(5)} `, `${plain.slice(0, 4)}ー${plain.slice(4)}`]) {
      const res = await typeCode(t, typed);
      expect(res.status, typed).toBe(303);
      expect(res.headers.get('location')).toBe(pathOf(unit.url));
    }
    const page = await t.request('/c');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('8文字のアクセスコード');

    const neverIssued = await typeCode(t, 'ZZZZ-ZZZZ');
    const mistyped = await typeCode(t, 'O0I1-xx');
    for (const res of [neverIssued, mistyped]) {
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('このコードではアンケートを開けませんでした');
    }
  });

  it('keeps the purpose printed on letters and flyers with the wave, audited; too long a purpose changes nothing', async () => {
    const { waveId } = await openWave(t, ['ucla3-national'], { openLink: false });
    const set = (purpose: unknown) => t.staff('PATCH', `/api/waves/${waveId}`, { purpose });
    expect((await (await set('見守りに役立てるためです。')).json()).purpose).toBe('見守りに役立てるためです。');
    expect((await set('x'.repeat(1001))).status).toBe(400);
    expect((await (await t.staff('GET', `/api/waves/${waveId}`)).json()).purpose).toBe('見守りに役立てるためです。');
    expect((await (await set('')).json()).purpose).toBeNull();
    const changes = await t.database.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'wave.updated'), eq(auditEvents.target, waveId)));
    expect(changes.map((c) => c.details)).toEqual([
      { purpose: '見守りに役立てるためです。', previousPurpose: null },
      { purpose: null, previousPurpose: '見守りに役立てるためです。' },
    ]);
  });

  it('rate limits /c per client address like the other participant pages', async () => {
    const limited = createApp({
      database: t.database,
      config: { maxBodyBytes: 256 * 1024, publicUrl: 'http://localhost', rateLimits: { ipPerMinute: 20, wavePerSecond: 0, loginPerMinute: 0, trustProxy: true } },
      hashKey: t.hashKey,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await typeCode(limited, 'ABCD-EFGH', { 'x-forwarded-for': '10.0.0.7' })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404));
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect((await typeCode(limited, 'ABCD-EFGH', { 'x-forwarded-for': '10.0.0.8' })).status).toBe(404);
  });
});
