import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp } from '../helpers/testApp.js';
import { goldens, sky } from '../unit/fixtures.js';
import { CITIES, CONNECTED, LEGAL, connectedByLegal, kesennumaWave } from '../helpers/kesennuma.js';

/** Sheet rows as arrays from column A (exceljs rows and cells are 1-based and sparse). */
function rowsOf(sheet: ExcelJS.Worksheet): unknown[][] {
  return sheet.getSheetValues().filter(Array.isArray).map((r) => r.slice(1));
}

async function json(res: Response) {
  const body = await res.json();
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body)}`);
  return body;
}

describeEachDatabase('reproducing the Kesennuma evaluation from raw rows', (kind) => {
  const t = useTestApp(kind);
  let waveId: string;

  it('response rates by city: 30.61 / 41.03 / 38.54 %, overall 36.96 %', async () => {
    waveId = await kesennumaWave(t);
    const rates = await json(await t.staff('GET', `/api/waves/${waveId}/rates?by=city`));
    const byCity = Object.fromEntries(rates.groups.map((g: { group: { city: string }; rates: { simple: number } }) => [g.group.city, g.rates.simple]));
    expect(byCity).toEqual({ 大船渡市: 30.61, 陸前高田市: 41.03, 気仙沼市: 38.54 });
    expect(rates.overall.rates.simple).toBe(36.96);
    expect(rates.overall.counts).toMatchObject({ frame: 184, complete: 68 });
    expect(rates.rounding).toMatch(/half up/i);
  });

  it('draws the rates as an SVG bar chart that carries the figures', async () => {
    const res = await t.staff('GET', `/api/waves/${waveId}/rates?by=city&format=svg`);
    expect(res.headers.get('content-type')).toContain('image/svg+xml');
    const svg = await res.text();
    for (const text of ['大船渡市', '30.61', '41.03', '38.54', '36.96']) expect(svg).toContain(text);
  });

  it('exports raw responses as XLSX: one row per response, codes with labels, and a codebook', async () => {
    const res = await t.staff('GET', `/api/waves/${waveId}/responses?format=xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const rows = rowsOf(book.getWorksheet('回答 responses')!);
    const header = rows[1] as string[];
    expect(rows).toHaveLength(2 + 68);
    const first = Object.fromEntries(header.map((h, i) => [h, rows[2][i]]));
    expect(first.kesen_city_label).toMatch(/市$/);
    expect(String(first.kesen_targets).split(';').length).toBeGreaterThan(0);
    const codebook = rowsOf(book.getWorksheet('コードブック')!);
    expect(codebook).toContainEqual(['kesen_legal_type', expect.any(String), 'radiogroup', 'npo', '特定非営利活動法人']);
  });

  it('activity targets × city: a multi-response table with its respondent base', async () => {
    const table = (await json(await t.staff('GET', `/api/waves/${waveId}/crosstab?row=kesen_targets&col=kesen_city`))).table;
    expect(table.bases).toEqual([15, 16, 37]);
    expect(table.n).toBe(68);
    for (const [j, city] of CITIES.entries()) expect(table.rows.map((r: { counts: number[] }) => r.counts[j])).toEqual(city.targets);
    expect(table.rows[0].label).toBe('高齢者(65歳以上)');
    expect(table.rows[0].percentOfRespondents[0]).toBe(46.67); // 7 of 15 大船渡 respondents
  });

  it('「つながっている」 × legal type: counts with the skipped answer as its own column', async () => {
    const { table } = await json(await t.staff('GET', `/api/waves/${waveId}/crosstab?row=kesen_legal_type&col=kesen_anti_isolation`));
    expect(table.rows.map((r: { code: string }) => r.code)).toEqual(LEGAL);
    expect(table.cols.map((c: { code: string | null }) => c.code)).toEqual([...CONNECTED, null]);
    expect(table.counts.map((r: number[]) => r.slice(0, 3))).toEqual(connectedByLegal);
    expect(table.colTotals).toEqual([52, 4, 11, 1]);
    expect(table.grandTotal).toBe(68);
  });

  it('「つながっている」 × legal type as printed (n = 67): row % and the chi-square golden', async () => {
    const { table } = await json(await t.staff('GET', `/api/waves/${waveId}/crosstab?row=kesen_legal_type&col=kesen_anti_isolation&missing=exclude`));
    expect(table.n).toBe(67);
    expect(table.colTotals).toEqual([52, 4, 11]);
    expect(table.rowPercent[0]).toEqual([86.67, 3.33, 10]);
    expect(table.rowPercent[4]).toEqual([61.54, 23.08, 15.38]);
    expect(table.warnings.join(' ')).toMatch(/1 response/);
    const chi = table.association.chiSquare;
    const golden = goldens.kesennumaConnected.chi2_contingency; // scipy chi2_contingency(obs without the zero row, correction=False)
    expect(chi.chi2).toBeCloseTo(golden.chi2, 8);
    expect(chi.df).toBe(golden.dof);
    expect(chi.p).toBeCloseTo(golden.p, 8);
    expect(chi.warnings.join(' ')).toMatch(/expected/i);
  });

  it('downloads the tables as XLSX with Japanese intact, a codebook and notes', async () => {
    // Shared downloads never go below the organisation's k: set it to 0 to get the full table.
    expect((await t.staff('PATCH', '/api/organisation', { suppressionK: 0 })).status).toBe(200);
    const res = await t.staff('GET', `/api/waves/${waveId}/crosstab?row=kesen_legal_type&col=kesen_anti_isolation&format=xlsx`);
    await t.staff('PATCH', '/api/organisation', { suppressionK: 5 });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''crosstab-kesen_legal_type-kesen_anti_isolation.xlsx");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    expect(book.worksheets.map((w) => w.name)).toEqual(['クロス集計', 'コードブック', '注記']);
    const values = rowsOf(book.getWorksheet('クロス集計')!);
    expect(values.find((r) => r[0] === '特定非営利活動法人')).toEqual(['特定非営利活動法人', 26, 1, 3, 1, 31]);
    const notes = book.getWorksheet('注記')!.getColumn(1).values.join('\n');
    expect(notes).toContain('n = 68');
    expect(notes).toContain('χ²検定（ピアソン）');
  });

  it('a multi-response download hides small counts and the totals that would reveal them', async () => {
    const bytes = Buffer.from(await (await t.staff('GET', `/api/waves/${waveId}/crosstab?row=kesen_targets&col=frame.city&format=csv&suppress=0`)).arrayBuffer());
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(bytes.indexOf(bom)).toBe(0);
    expect(bytes.lastIndexOf(bom)).toBe(0); // one byte-order mark for the whole file, not one per table
    const csv = bytes.toString('utf8');
    const homeless = csv.split('\r\n').find((l) => l.startsWith('ホームレス'))!.split(',');
    expect(homeless.slice(1, 5)).toEqual(['x', '0', '0', 'x']);
    const elderly = csv.split('\r\n').find((l) => l.startsWith('高齢者'))!.split(',');
    expect(elderly.slice(1, 5)).toEqual(['7', '10', '14', '31']); // columns in frame order: 大船渡市, 陸前高田市, 気仙沼市
  });

  it('downloads the Kesennuma report as one XLSX: rates by city and both tables, one sheet each', async () => {
    const res = await t.staff('GET', `/api/waves/${waveId}/report?by=city&tables=kesen_targets:kesen_city,kesen_legal_type:kesen_anti_isolation&missing=exclude`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''report-wave.xlsx");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    expect(book.worksheets.map((w) => w.name)).toEqual(['回収率', '表1 kesen_targets', '表2 kesen_legal_type', 'コードブック', '注記']);
    const sheet = book.getWorksheet('回収率')!;
    const rates = rowsOf(sheet);
    expect(rates.find((r) => r[0] === '大船渡市')!.slice(0, 5)).toEqual(['大船渡市', 49, 15, 0, 0]);
    // Rates are % cells: the value a formula sees, shown with the rounding's two decimals.
    const simple = rates[1].indexOf('回収率 (simple)');
    expect(rates.find((r) => r[0] === '大船渡市')![simple]).toBeCloseTo(0.3061, 10);
    expect(rates.find((r) => r[0] === '全体')![simple]).toBeCloseTo(0.3696, 10);
    expect(sheet.getRow(rates.findIndex((r) => r[0] === '全体') + 1).getCell(simple + 1).numFmt).toBe('0.00%');
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, fitToWidth: 1, printTitlesRow: '1:2' });
    const targets = rowsOf(book.getWorksheet('表1 kesen_targets')!);
    expect(targets.find((r) => r[0] === '回答者数 (base: respondents)')!.slice(1, 4)).toEqual([15, 16, 37]);
  });

  it('suppresses small cells by default in shared downloads (k = 5)', async () => {
    const csv = await (await t.staff('GET', `/api/waves/${waveId}/crosstab?row=kesen_legal_type&col=kesen_anti_isolation&format=csv`)).text();
    const npo = csv.split('\r\n').find((l) => l.startsWith('特定非営利活動法人'))!;
    // The 1s, 3 and the row's no-answer 1 cannot be protected with "<5" markers, so the audit hides the row (issue 12).
    expect(npo.split(',').slice(0, 3)).toEqual(['特定非営利活動法人', 'x', 'x']);
    expect(csv).not.toContain('Chi-square');
  });
});

describeEachDatabase('Kesennuma with the return that skipped the legal type (issue 14)', (kind) => {
  const t = useTestApp(kind);
  const cityRates = async (waveId: string) => {
    const rates = await json(await t.staff('GET', `/api/waves/${waveId}/rates?by=city`));
    return Object.fromEntries(rates.groups.map((g: { group: { city: string }; rates: { simple: number } }) => [g.group.city, g.rates.simple]));
  };

  it('keyed as complete with the blank left missing: 気仙沼市 38.54 %, and its answers count in the tables', async () => {
    const waveId = await kesennumaWave(t, { blankLegalType: 'complete' });
    expect((await cityRates(waveId)).気仙沼市).toBe(38.54);
    const legal = (await json(await t.staff('GET', `/api/waves/${waveId}/crosstab?row=kesen_legal_type&col=kesen_city`))).table;
    expect(legal.n).toBe(68);
    expect(legal.rows.at(-1)).toMatchObject({ code: null });
    expect(legal.counts.at(-1)).toEqual([0, 0, 1]); // 無回答 in 気仙沼市
    const summary = await json(await t.staff('GET', `/api/waves/${waveId}/summary`));
    const targets = summary.questions.find((q: { name: string }) => q.name === 'kesen_targets');
    expect(targets.groups[0].n).toBe(68);
  });

  it('keyed as partial, as paper entry forced before: 気仙沼市 reads 37.50 %', async () => {
    const waveId = await kesennumaWave(t, { blankLegalType: 'partial' });
    expect((await cityRates(waveId)).気仙沼市).toBe(37.5);
  });
});

/** Item answers of the UCLA LS v3 whose keyed total is `total`: raise keyed item scores in order. */
function uclaItems(total: number): Record<string, number> {
  const reverse = new Set([1, 5, 6, 9, 10, 15, 16, 19, 20]);
  const keyed = Array(20).fill(1);
  let left = total - 20;
  for (let i = 0; left > 0; i = (i + 1) % 20) if (keyed[i] < 4) { keyed[i] += 1; left -= 1; }
  return Object.fromEntries(keyed.map((k, i) => [`uclals3_${String(i + 1).padStart(2, '0')}`, reverse.has(i + 1) ? 5 - k : k]));
}

describeEachDatabase('reproducing the SKY pre/post evaluation from item answers', (kind) => {
  const t = useTestApp(kind);

  it('pairs by participant code and reports the full paired comparison against the R/scipy goldens', async () => {
    const study = await json(await t.staff('POST', '/api/studies', { name: '男のセカンドキャリア塾' }));
    const pre = await openWave(t, ['ucla-ls3'], { studyId: study.id, phase: 'pre', askParticipantCode: true });
    const post = await openWave(t, ['ucla-ls3'], { studyId: study.id, phase: 'post', askParticipantCode: true });
    for (const [wave, totals] of [[pre, sky.pre], [post, sky.post]] as const) {
      for (const [code, total] of Object.entries(totals)) {
        await json(await t.request(`/api/public/s/${wave.slug}/responses`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ idempotencyKey: `sky-${wave.slug}-${code}`, participantCode: code.toLowerCase(), answers: uclaItems(total) }),
        }));
      }
    }
    const report = await json(await t.staff('GET', `/api/studies/${study.id}/prepost?score=ucla_ls3`));
    const G = goldens.sky;
    expect(report.paired.n).toBe(20);
    expect(report.paired.preOnly).toBe(2);
    expect(report.paired.postOnly).toBe(0);
    expect(report.paired.pre.mean).toBeCloseTo(G.means.value[0], 10);
    expect(report.paired.post.mean).toBeCloseTo(G.means.value[1], 10);
    expect(report.paired.meanDiff).toBeCloseTo(G.means.value[2], 10);
    expect(report.paired.sdDiff).toBeCloseTo(G.sd.value[2], 10);
    const [tStat, df, p, lo, hi] = G['t.test'].value; // R t.test(post, pre, paired = TRUE)
    expect(report.paired.tTest.t).toBeCloseTo(tStat, 8);
    expect(report.paired.tTest.df).toBe(df);
    expect(report.paired.tTest.p).toBeCloseTo(p, 8);
    expect(report.paired.tTest.ci[0]).toBeCloseTo(lo, 8);
    expect(report.paired.tTest.ci[1]).toBeCloseTo(hi, 8);
    expect(report.paired.wilcoxon.v).toBe(G['wilcox.test'].value[0]);
    expect(report.paired.wilcoxon.p).toBeCloseTo(G['wilcox.test'].value[1], 8);
    expect(report.paired.dz).toBeCloseTo(G.dz.value, 8);
    expect(report.paired.dAv).toBeCloseTo(G.d_av.value, 8);
    expect(report.paired.rankBiserial).toBeCloseTo(G.rankBiserial.value, 8);
    expect(report.pre.alpha.alpha).not.toBeNull();

    const xlsx = await t.staff('GET', `/api/studies/${study.id}/prepost?score=ucla_ls3&format=xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const rows = rowsOf(book.getWorksheet('事前事後')!);
    expect(rows.find((r) => r[0] === '平均 (mean)')!.slice(1)).toEqual([42, 42.6]);
    // Printed rounded, p as reports write it; every digit stays on the full-precision sheet.
    const sd = rows.find((r) => r[0] === '標準偏差 (SD)')!.slice(1) as number[];
    expect(sd.map((x) => Math.round(x * 100) / 100)).toEqual(sd);
    expect(String(rows.find((r) => r[0] === 'p (paired t)')![1])).toMatch(/^p [=<] 0\.\d{3}$/);
    const full = rowsOf(book.getWorksheet('事前事後（精密値）')!);
    expect(full.find((r) => r[0] === 'p (paired t)')![1]).toBeCloseTo(report.paired.tTest.p, 12);
  });
});

describe.each(['pglite'] as const)('Kanuma satisfaction (n = 7) [%s]', (kind) => {
  const t = useTestApp(kind);
  it('shows all four categories, zeros included', async () => {
    const { slug, waveId } = await openWave(t, ['kanuma-feedback']);
    const values = [4, 4, 3, 3, 3, 3, 3];
    for (const [i, v] of values.entries()) {
      await json(await t.request(`/api/public/s/${slug}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ idempotencyKey: `kanuma-${i}`, answers: { kanuma_satisfaction: v, kanuma_support_needed: 'needed' } }),
      }));
    }
    const { table } = await json(await t.staff('GET', `/api/waves/${waveId}/crosstab?row=kanuma_satisfaction`));
    expect(table.rows.map((r: { label: string }) => r.label)).toEqual(['とても満足', '満足', 'やや不満足', '不満足']);
    expect(table.counts.map((r: number[]) => r[0])).toEqual([2, 5, 0, 0]);
    expect(table.n).toBe(7);
  });
});
