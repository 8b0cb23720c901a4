import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/databases.js';
import { nationalWave, STRATA_CSV } from '../helpers/nationalWave.js';
import { openWave, useTestApp } from '../helpers/testApp.js';
import { bearer, makeOrganisation } from './accountsHelpers.js';

type Comparison = Record<string, any>;

describeEachDatabase('national comparison', (kind) => {
  const t = useTestApp(kind);
  let waveId: string;
  const comparison = async () => (await (await t.staff('GET', `/api/waves/${waveId}/national`)).json()) as Comparison;
  const direct = (c: Comparison) => c.instruments.find((i: Comparison) => i.instrument === 'loneliness-direct');
  const ucla = (c: Comparison) => c.instruments.find((i: Comparison) => i.instrument === 'ucla3-national');

  it('direct question: counts, % of respondents with 無回答, and Wilson 95% intervals (scipy goldens)', async () => {
    waveId = await nationalWave(t);
    // Every figure, for checking the arithmetic: small cells are hidden at the organisation's k (last test).
    expect((await t.staff('PATCH', '/api/organisation', { suppressionK: 0 })).status).toBe(200);
    const c = await comparison();
    expect(c.n).toBe(20);
    const d = direct(c);
    expect(d.columns.map((col: { label: string }) => col.label)).toEqual(['しばしばある・常にある', '時々ある', 'たまにある', 'ほとんどない', '決してない', '無回答', '「ある」計']);
    expect(d.sample.n).toBe(20);
    const f = d.sample.figures;
    expect([f['5'], f['4'], f['3'], f['2'], f['1'], f.noAnswer].map((x: { count: number }) => x.count)).toEqual([1, 2, 4, 7, 5, 1]);
    expect([f['5'], f['4'], f['3'], f['2'], f['1'], f.noAnswer].map((x: { percent: number }) => x.percent)).toEqual([5, 10, 20, 35, 25, 5]);
    // scipy.stats.binomtest(7, 20).proportion_ci(method='wilson') → (0.1811918241010821, 0.5671457233147636)
    expect(f.any).toEqual({ count: 7, percent: 35, lower: 18.1, upper: 56.7 });
    // binomtest(1, 20) → (0.008881448800795402, 0.23613119344674203)
    expect(f['5']).toEqual({ count: 1, percent: 5, lower: 0.9, upper: 23.6 });
  });

  it('national rows carry year, n, source and confidence; R6 keeps its unpublished cells empty', async () => {
    const d = direct(await comparison());
    expect(d.national.map((l: Comparison) => [l.waveLabel, l.n, l.confidenceLabel])).toEqual([
      ['令和3年', 11867, '✓ 複数の資料で一致'],
      ['令和4年', 11218, '✓ 複数の資料で一致'],
      ['令和5年', 11141, '✓ 複数の資料で一致'],
      ['令和6年', 10876, '◐ 資料1件のみ'],
    ]);
    expect(d.national[2].percents).toMatchObject({ 5: 4.8, 4: 14.8, 3: 19.7, 2: 41.4, 1: 17.9, noAnswer: 1.5, any: 39.3 });
    expect(d.national[2].source).toMatch(/資料3/);
    expect(d.national[3].percents).toMatchObject({ 2: null, 1: null, noAnswer: null, any: 39.3 });
  });

  it('UCLA 3 items: score bands beside the rebuilt R4 rows, every one labelled 概数', async () => {
    const u = ucla(await comparison());
    const f = u.sample.figures;
    expect(['score_10_12', 'score_7_9', 'score_4_6', 'score_3', 'noAnswer'].map((k) => f[k].count)).toEqual([2, 6, 8, 3, 1]);
    expect(['score_10_12', 'score_7_9', 'score_4_6', 'score_3', 'noAnswer'].map((k) => f[k].percent)).toEqual([10, 30, 40, 15, 5]);
    // binomtest(8, 20).proportion_ci(method='wilson') → (0.21880653237281706, 0.6134184992377467)
    expect(f.score_4_6).toMatchObject({ lower: 21.9, upper: 61.3 });
    expect(u.national).toHaveLength(1);
    for (const line of [...u.national, ...u.breakdowns.map((b: Comparison) => b.national)]) {
      expect(line.confidence).toBe('reconstructed');
      expect(line.confidenceLabel).toBe('✗ 概数（白書の図から再構成）');
    }
    expect(u.national[0].percents).toMatchObject({ score_10_12: 7.1, score_7_9: 41.6, score_4_6: 37, score_3: 13.5, noAnswer: 0.9 });
  });

  it('breakdowns: the same subgroup of this wave beside each published figure', async () => {
    const d = direct(await comparison());
    const row = (wave: string, group: string) => d.breakdowns.find((b: Comparison) => b.national.wave === wave && b.national.group === group);
    // binomtest(0, 9) → (0.0, 0.29914504841954404); binomtest(1, 10) → (0.017876213095072897, 0.4041500267952385)
    expect(row('R3', '男性').sample).toEqual({ n: 9, hidden: false, figures: { 5: { count: 0, percent: 0, lower: 0, upper: 29.9 } } });
    expect(row('R3', '女性').sample.figures['5']).toEqual({ count: 1, percent: 10, lower: 1.8, upper: 40.4 });
    expect(row('R3', '70代').sample.n).toBe(10);
    expect(row('R4', '女性30代').sample).toEqual({ n: 0, hidden: false, figures: { 5: null } });
    expect(row('R4', '16〜19歳').national.percents).toMatchObject({ 5: 5.2, 4: 17.3, 3: 15.4, 2: null });
    expect(d.standardisation).toMatchObject({ shown: false, reason: expect.stringMatching(/e-Stat/) });
  });

  it('a malformed sex × age table is refused row by row in Japanese, and nothing is stored', async () => {
    const bad = [STRATA_CSV.split('\n')[0], '不明,20〜29歳,10,6,16,20,38,19,1', '男性,25〜34歳,10,6,16,20,38,19,1', '女性,20代,10,60,16,20,38,19,1'].join('\n');
    const res = await t.staff('PUT', '/api/national/references/loneliness-direct?source=test', bad, { 'content-type': 'text/csv' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await res.json();
    expect(problem.title_ja).toBe('参照表を読み込めません');
    expect(problem.errors.map((e: { label: string }) => e.label)).toEqual(['2行目', '3行目', '4行目']);
    expect(problem.errors[2].message_ja).toMatch(/合計が 154.0/);
    const missing = await t.staff('PUT', '/api/national/references/loneliness-direct?source=test', '性別,年齢,n,時々ある\n男性,20代,1,100', { 'content-type': 'text/csv' });
    expect((await missing.json()).detail_ja).toMatch(/次の列がありません: しばしばある・常にある/);
    expect((await (await t.staff('GET', '/api/national/references')).json()).tables).toEqual([]);
  });

  it('a NUL in the source, the file name or the CSV is a 400 in Japanese, not a database error; nothing is stored', async () => {
    const put = (query: string, body = STRATA_CSV) => t.staff('PUT', `/api/national/references/loneliness-direct?${query}`, body, { 'content-type': 'text/csv' });
    for (const query of ['source=a%00b', 'source=ok&fileName=t%00.csv']) {
      const res = await put(query);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect((await res.json()).detail_ja).toBe('アドレスに使えない文字（NUL）が含まれています。');
    }
    // Anywhere in the file, even a column the table does not read: named as such, not as a bad row.
    const body = await put('source=ok', `${STRATA_CSV}\n女性,80歳以上,5,1,1,1,1,96,0,\u0000`);
    expect(body.status).toBe(400);
    expect(await body.json()).toMatchObject({ title_ja: '送信内容を読み取れません', detail_ja: '送信された内容に保存できない文字（NUL や壊れた文字）が含まれています。' });
    expect((await (await t.staff('GET', '/api/national/references')).json()).tables).toEqual([]);
  });

  it('what staff read is Japanese first: a missing source, and the methods named in the notes', async () => {
    const res = await t.staff('PUT', '/api/national/references/loneliness-direct?source=%20%20', STRATA_CSV, { 'content-type': 'text/csv' });
    expect(res.status).toBe(400);
    const problem = await res.json();
    expect(problem.title_ja).toBe('送信内容に誤りがあります');
    expect(problem.errors[0].message).toBe('出典（調査年・表番号など）を300文字までで入力してください。 Give the source, up to 300 characters.');
    const long = await t.staff('PUT', `/api/national/references/loneliness-direct?source=s&fileName=${'a'.repeat(201)}`, STRATA_CSV, { 'content-type': 'text/csv' });
    expect((await long.json()).errors[0].message).toMatch(/^ファイル名は200文字までにしてください。/);
    expect(direct(await comparison()).notes.join('\n')).toContain('（ウィルソンのスコア法（連続性の補正なし）。 Wilson score interval');
  });

  it('with a loaded table: national rates standardised to this wave’s sex × age mix, audited', async () => {
    const res = await t.staff('PUT', `/api/national/references/loneliness-direct?source=${encodeURIComponent('=テスト表')}&fileName=t.csv`, STRATA_CSV, { 'content-type': 'text/csv' });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await res.json()).strata.map((s: { ages: string[] }) => s.ages)).toEqual([['20_29'], ['20_29'], ['70_74', '75_79'], ['70_74', '75_79']]);
    const s = direct(await comparison()).standardisation;
    // Respondents in the table: 5 men and 5 women in their 20s, 4 men and 5 women aged 70–74 (one left out: sex not given).
    expect(s).toMatchObject({ shown: true, base: 19, excluded: 1, smallStrata: false });
    const expected = (col: number) => (5 * [6, 16, 20, 38, 19, 1][col] + 5 * [8, 18, 21, 35, 17, 1][col] + 4 * [2, 10, 15, 45, 27, 1][col] + 5 * [1.5, 11, 16.5, 44, 26, 1][col]) / 19;
    expect(s.national['5']).toBe(4.5); // 85.5 / 19
    expect(s.national['2']).toBe(Math.round(expected(3) * 10) / 10);
    expect(s.national.any).toBe(Math.round((expected(0) + expected(1) + expected(2)) * 10) / 10);
    expect(s.sample.n).toBe(19);
    expect(s.method).toMatch(/^直接標準化: 全国の性・年齢層別の割合 p_s を.*。 Direct standardisation: /);
    const log = await (await t.staff('GET', '/api/audit?limit=50')).json();
    expect(log.events.find((e: { action: string }) => e.action === 'national.reference.loaded')).toMatchObject({ target: 'loneliness-direct' });
  });

  it('CSV and XLSX hold the page’s table with Japanese sheet names and the sources cited under it; downloads audited', async () => {
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await (await t.staff('GET', `/api/waves/${waveId}/national?format=csv`)).arrayBuffer());
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('この調査,wave,20,5.0,10.0,20.0,35.0,25.0,5.0,35.0');
    expect(csv).toContain('この調査 95%信頼区間,,,0.9〜23.6,');
    expect(csv).toContain('全国,令和5年,11141,4.8,14.8,19.7,41.4,17.9,1.5,39.3,✓ 複数の資料で一致,出典2');
    expect(csv).toContain('全国,令和6年,10876,4.3,15.4,19.6,—,—,—,39.3,◐ 資料1件のみ');
    expect(csv).toContain('全国,令和4年,11218,7.1,41.6,37.0,13.5,0.9,✗ 概数（白書の図から再構成）');
    expect(csv).toContain('出典1: 孤独・孤立対策推進本部 第1回（2024-04-19）資料3 p.15 図1。');
    expect(csv).toMatch(/全国（この調査の性・年齢構成に標準化）,,,4\.5,.*,出典(\d+)\r\n[^]*\r\n出典\1: この団体が読み込んだ全国の表: =テスト表（t\.csv）/);
    expect(csv).toContain('男性,しばしばある・常にある,令和3年,4.9,9,0.0,0.0〜29.9,0,✓ 複数の資料で一致,出典4');
    expect(csv).toContain('女性30代,しばしばある・常にある,令和4年,7.9,0,x,x,x,◐ 資料1件のみ');
    const xlsx = await t.staff('GET', `/api/waves/${waveId}/national?format=xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['全国比較 直接質問', '全国比較 UCLA3項目', '注記']);
    const sheet = book.getWorksheet('全国比較 直接質問')!;
    const first = sheet.getRow(3);
    expect([first.getCell(1).value, first.getCell(3).value, first.getCell(4).value]).toEqual(['この調査', 20, 0.05]);
    const log = await (await t.staff('GET', '/api/audit?limit=50')).json();
    expect(log.events.filter((e: { action: string }) => e.action === 'download.national-wave').map((e: { details: { format: string } }) => e.details.format).sort()).toEqual(['csv', 'xlsx']);
  });

  it('a wave without either national question has nothing to download, said in Japanese', async () => {
    const { waveId: other } = await openWave(t, ['profile']);
    expect((await (await t.staff('GET', `/api/waves/${other}/national`)).json()).instruments).toEqual([]);
    const res = await t.staff('GET', `/api/waves/${other}/national?format=csv`);
    expect(res.status).toBe(400);
    expect((await res.json()).title_ja).toBe('全国調査と比べられる質問がありません');
  });

  it('tables belong to one organisation; evaluators read them but cannot load or remove them', async () => {
    const evaluator = bearer(t.app, (await (await t.staff('POST', '/api/tokens', { label: 'evaluator', role: 'evaluator' })).json()).token);
    const refused = await evaluator('PUT', '/api/national/references/loneliness-direct?source=x', STRATA_CSV, { 'content-type': 'text/csv' });
    expect(refused.status).toBe(403);
    expect((await evaluator('DELETE', '/api/national/references/loneliness-direct')).status).toBe(403);
    expect((await (await evaluator('GET', '/api/national/references')).json()).tables).toHaveLength(1);

    const unknown = await t.staff('PUT', '/api/national/references/ucla-ls3?source=x', STRATA_CSV, { 'content-type': 'text/csv' });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).detail_ja).toMatch(/全国調査と比べられる調査票ではありません/);

    const other = bearer(t.app, (await makeOrganisation(t.database, 'Organisation B')).token);
    expect((await (await other('GET', '/api/national/references')).json()).tables).toEqual([]);
    expect((await other('GET', `/api/waves/${waveId}/national`)).status).toBe(404);
    // B removing its (absent) table leaves A's in place.
    expect((await other('DELETE', '/api/national/references/loneliness-direct')).status).toBe(404);
    expect(direct(await comparison()).standardisation.shown).toBe(true);

    expect((await t.staff('DELETE', '/api/national/references/loneliness-direct')).status).toBe(204);
    expect(direct(await comparison()).standardisation.shown).toBe(false);
    const log = await (await t.staff('GET', '/api/audit?limit=50')).json();
    expect(log.events.find((e: { action: string }) => e.action === 'national.reference.removed')).toMatchObject({ target: 'loneliness-direct' });
  });

  it('at the organisation’s k the sample’s small cells are "x" as in the cross-tab, with secondary suppression; JSON, CSV and XLSX alike', async () => {
    expect((await t.staff('PATCH', '/api/organisation', { suppressionK: 5 })).status).toBe(200);
    const text = async (path: string) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(await (await t.staff('GET', path)).arrayBuffer());
    const csv = await text(`/api/waves/${waveId}/national?format=csv`);
    const crosstab = await text(`/api/waves/${waveId}/crosstab?row=direct_loneliness&col=profile_gender&format=csv`);
    // The cross-tab's cell 女性 × しばしばある (1 respondent) is x; so is the national comparison's.
    expect(crosstab).toContain('しばしばある・常にある,x,0,0,0,x');
    expect(csv).toContain('女性,しばしばある・常にある,令和3年,4.1,10,x,x,x,✓ 複数の資料で一致');
    expect(csv).not.toMatch(/女性,しばしばある・常にある,令和3年,4\.1,10,10\.0/);
    // Overall: 1, 2, 4 and 1 are small; 5 (決してない) and 「ある」計 are hidden too, or n − the rest would give them back.
    expect(csv).toContain('この調査,wave,20,x,x,x,35.0,x,x,x\r\n');
    expect(csv).toContain('この調査 95%信頼区間,,,x,x,x,18.1〜56.7,x,x,x\r\n');
    expect(csv).toContain('この調査 件数,,,x,x,x,7,x,x,x\r\n');
    // UCLA: 2, 6, 3 and 1 per band; 6 goes with the small ones.
    expect(csv).toContain('この調査 件数,,,x,x,8,x,x\r\n');
    // Men, direct question (0, 1, 2, 3, 2, 1): hidden counts of 9 and 「ある」計 would narrow each other, so n goes too.
    expect(csv).toContain('男性,しばしばある・常にある,令和3年,4.9,x,x,x,x');
    expect(csv).toMatch(/k = 5）: 1〜4 人の件数と回答者数は「x」/);
    const shownCounts = csv.split('\r\n').filter((line) => /件数,/.test(line)).flatMap((line) => line.split(',').slice(3).filter((cell) => /^\d+$/.test(cell)).map(Number));
    expect(shownCounts.every((count) => count === 0 || count >= 5)).toBe(true);

    const d = direct(await comparison());
    expect(d.sample.figures).toMatchObject({ 5: null, 1: null, any: null, 2: { count: 7, percent: 35 } });
    expect(d.breakdowns.find((b: Comparison) => b.national.wave === 'R3' && b.national.group === '男性').sample).toEqual({ n: 'x', hidden: true, figures: { 5: null } });

    const xlsx = await t.staff('GET', `/api/waves/${waveId}/national?format=xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const counts = book.getWorksheet('全国比較 直接質問')!.getRow(5);
    expect([4, 5, 6, 7, 8, 9, 10].map((col) => counts.getCell(col).value)).toEqual(['x', 'x', 'x', 7, 'x', 'x', 'x']);

    // One respondent gave no sex: the standardised line beside the whole wave's would show their answer.
    expect((await t.staff('PUT', '/api/national/references/loneliness-direct?source=test', STRATA_CSV, { 'content-type': 'text/csv' })).status).toBe(200);
    expect(direct(await comparison()).standardisation).toMatchObject({ base: 'x', excluded: 'x', smallStrata: true, sample: { n: 'x', hidden: true }, national: { 5: 4.5 } });
  });
});
