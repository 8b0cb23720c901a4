import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { responses } from '../../src/db/schema.js';
import { MAX_REPORT_TABLES } from '../../src/results/routes.js';
import { sheetName } from '../../src/results/workbook.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { useTestApp } from '../helpers/testApp.js';

/** Inputs at the edges that used to give a participant or an evaluator a 500 (issue 11, points 4 and 8). */
describeEachDatabase('edges that used to give 500s', (kind) => {
  const t = useTestApp(kind);
  const names = ['a/b', 'c*d', 'e?[f]', 'g\\h', "'quoted'"];
  let waveId = '';
  let slug = '';

  it('a device clock far off (year 0, 1970, next year) still stores the answers, without the time', async () => {
    const definition = { elements: names.map((name) => ({ type: 'radiogroup', name, choices: [1, 2] })) };
    const q = await (await t.staff('POST', '/api/questionnaires', { title: '端の値', definition })).json();
    expect((await t.staff('POST', `/api/questionnaires/${q.id}/publish`)).status).toBe(200);
    const wave = await (await t.staff('POST', '/api/waves', { name: 'edges', questionnaireId: q.id })).json();
    waveId = wave.id;
    slug = String(wave.openLink).split('/s/')[1];
    const sent = ['0000-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '2099-01-01T00:00:00+09:00', '2026-11-01T10:00:00+09:00'];
    for (const [i, startedAt] of sent.entries()) {
      const res = await t.request(`/api/public/s/${slug}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ idempotencyKey: `clock-edge-${i}`, startedAt, answers: Object.fromEntries(names.map((n, k) => [n, (i + k) % 2 + 1])) }),
      });
      expect(res.status, startedAt).toBe(201);
    }
    const rows = await t.database.db.select({ key: responses.idempotencyKey, startedAt: responses.startedAt }).from(responses).where(eq(responses.waveId, waveId));
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r.startedAt?.toISOString() ?? null]));
    expect(byKey).toEqual({ 'clock-edge-0': null, 'clock-edge-1': null, 'clock-edge-2': null, 'clock-edge-3': '2026-11-01T01:00:00.000Z' });
  });

  it('a report of questions named with characters Excel forbids in sheet names downloads and opens', async () => {
    const res = await t.staff('GET', `/api/waves/${waveId}/report?format=xlsx&tables=${encodeURIComponent(names.join(','))}`);
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const sheets = book.worksheets.map((w) => w.name);
    expect(sheets).toEqual(expect.arrayContaining(['表1 a_b', '表2 c_d', '表3 e__f_', '表4 g_h', "表5 'quoted"]));
  });

  it(`a report asking for more than ${MAX_REPORT_TABLES} tables gets a clear 400`, async () => {
    const res = await t.staff('GET', `/api/waves/${waveId}/report?format=json&tables=${Array(MAX_REPORT_TABLES + 1).fill('a/b').join(',')}`);
    expect(res.status).toBe(400);
    expect((await res.json()).detail_ja).toMatch(/表は 50 まで/);
  });
});

it('sheet names are always ones Excel accepts, and distinct', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { maxLength: 12 }), (wanted) => {
      const used = new Set<string>();
      const got = wanted.map((w) => sheetName(w, used));
      for (const name of got) {
        expect(name.length).toBeGreaterThan(0);
        expect(name.length).toBeLessThanOrEqual(31);
        expect(name).not.toMatch(/[:\\/?*[\]]|^'|'$/);
      }
      expect(new Set(got.map((n) => n.toLowerCase())).size).toBe(got.length);
    }),
  );
});

describeEachDatabase('caching of staff data', (kind) => {
  const t = useTestApp(kind);
  it('staff API answers, downloads, errors and staff pages say Cache-Control: no-store', async () => {
    const q = await (await t.staff('POST', '/api/questionnaires', { title: 'キャッシュ', templateIds: ['ucla3-national'] })).json();
    await t.staff('POST', `/api/questionnaires/${q.id}/publish`);
    const wave = await (await t.staff('POST', '/api/waves', { name: 'w', questionnaireId: q.id })).json();
    for (const path of ['/api/questionnaires', `/api/waves/${wave.id}/responses?format=csv`, `/api/waves/${wave.id}/responses?format=xlsx`, '/api/questionnaires/not-a-uuid', '/staff/login']) {
      const res = await t.staff('GET', path);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
  });
});

describeEachDatabase('downloads of raw responses', (kind) => {
  const t = useTestApp(kind);
  it('stream as XLSX with formula cells neutralised, and at most two run at once per organisation', async () => {
    const q = await (await t.staff('POST', '/api/questionnaires', { title: '書き出し', definition: { elements: [{ type: 'text', name: 'note' }] } })).json();
    await t.staff('POST', `/api/questionnaires/${q.id}/publish`);
    const wave = await (await t.staff('POST', '/api/waves', { name: 'w', questionnaireId: q.id })).json();
    const slug = String(wave.openLink).split('/s/')[1];
    for (const [i, note] of ['=HYPERLINK("http://evil")', '普通の回答'].entries()) {
      await t.request(`/api/public/s/${slug}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idempotencyKey: `export-row-${i}`, answers: { note } }) });
    }
    const opened = await Promise.all([0, 1, 2].map(() => t.staff('GET', `/api/waves/${wave.id}/responses?format=xlsx`)));
    expect(opened.map((r) => r.status).sort()).toEqual([200, 200, 429]);
    const busy = opened.find((r) => r.status === 429)!;
    expect((await busy.json()).detail_ja).toMatch(/すでに 2 件実行中/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await opened.find((r) => r.status === 200)!.arrayBuffer()) as ArrayBuffer);
    for (const r of opened) if (r.status === 200 && !r.bodyUsed) await r.arrayBuffer();
    const sheet = book.getWorksheet('回答 responses')!;
    const notes = sheet.getColumn((sheet.getRow(2).values as string[]).indexOf('note')).values.slice(3);
    expect(notes.sort()).toEqual(["'=HYPERLINK(\"http://evil\")", '普通の回答'].sort());
    // both downloads finished: a new one may start
    expect((await t.staff('GET', `/api/waves/${wave.id}/responses?format=csv`)).status).toBe(200);
  });
});
