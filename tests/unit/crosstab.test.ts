import { describe, expect, it } from 'vitest';
import { chiSquareTest, crosstab, fisherExact2x2, type CrosstabCell } from '../../analysis/index.js';
import { goldens, goldensTails } from './fixtures.js';

const K = goldens.kesennumaConnected;
const rowCats = (K.rows as string[]).map((label, i) => ({ code: `t${i}`, label }));
const colCats = (K.cols as string[]).map((label, j) => ({ code: `a${j}`, label }));
const kesCells: CrosstabCell[] = (K.observed as number[][]).flatMap((row, i) =>
  row.map((count, j) => ({ row: `t${i}`, col: `a${j}`, count })),
);

describe('crosstab: Kesennuma 「つながっている」× legal type (n = 67)', () => {
  const t = crosstab({ rowCategories: rowCats, colCategories: colCats, cells: kesCells });

  it('keeps every questionnaire category, including the all-zero 医療法人 row, and no "no answer" line', () => {
    expect(t.rows.map((r) => r.label)).toEqual(K.rows);
    expect(t.cols.map((c) => c.label)).toEqual(K.cols);
    expect(t.counts).toEqual(K.observed);
    expect(t.counts[6]).toEqual([0, 0, 0]);
  });

  it('totals add up to the printed 全体 52/4/11 and n = 67', () => {
    expect(t.colTotals).toEqual([52, 4, 11]);
    expect(t.rowTotals).toEqual([30, 6, 1, 1, 13, 3, 0, 11, 2]);
    expect(t.grandTotal).toBe(67);
    expect(t.n).toBe(67);
    expect(t.rowTotals.reduce((a, b) => a + b)).toBe(t.colTotals.reduce((a, b) => a + b));
  });

  it('row, column and total percentages, rounded half up to 2 decimals', () => {
    expect(t.rowPercent[0]).toEqual([86.67, 3.33, 10]); // 26/30, 1/30, 3/30
    expect(t.rowPercent[4]).toEqual([61.54, 23.08, 15.38]); // 8/13, 3/13, 2/13
    expect(t.rowPercent[6]).toEqual([null, null, null]); // no base
    expect(t.colPercent[0][0]).toBe(50); // 26/52
    expect(t.colPercent[4][1]).toBe(75); // 3/4
    expect(t.totalPercent[0][0]).toBe(38.81); // 26/67 = 38.805…
    expect(t.colTotalPercent).toEqual([77.61, 5.97, 16.42]);
    expect(t.rounding).toMatch(/half up/);
  });

  it('chi-square, df, p and Cramér\'s V match scipy on the table without the all-zero row', () => {
    const chi = t.association.chiSquare;
    const g = K.chi2_contingency;
    expect(g.call).toMatch(/chi2_contingency\(np.array\(kes_obs_nz\), correction=False\)/);
    expect(chi.chi2).toBeCloseTo(g.chi2, 10);
    expect(chi.df).toBe(g.dof);
    expect(chi.p).toBeCloseTo(g.p, 10);
    expect(chi.cramersV).toBeCloseTo(K.cramersV.value, 10);
    expect(chi.n).toBe(67);
    chi.expected.forEach((row, i) => row.forEach((e, j) => expect(e).toBeCloseTo(g.expected[i][j], 10)));
    expect(chi.shareExpectedBelow5).toBeCloseTo(K.shareExpectedBelow5, 12);
    expect(t.association.excludedRows).toEqual(['医療法人']);
    expect(chi.warnings.join(' ')).toMatch(/87\.5% of expected counts are below 5/);
    expect(chi.method).toMatch(/without continuity correction/);
    expect(chi.method).toMatch(/"no answer"/);
    expect(t.association.fisher).toBeNull();
  });

  it('shows a "no answer" line when present and keeps it out of the test', () => {
    const withNa = crosstab({
      rowCategories: rowCats,
      colCategories: colCats,
      cells: [...kesCells, { row: 't0', col: null, count: 1 }],
    });
    expect(withNa.n).toBe(68);
    expect(withNa.cols.map((c) => c.label)).toEqual([...K.cols, '無回答']);
    expect(withNa.cols[3]).toMatchObject({ code: null, noAnswer: true });
    expect(withNa.rows.some((r) => r.noAnswer)).toBe(false);
    expect(withNa.counts[0]).toEqual([26, 1, 3, 1]);
    expect(withNa.rowTotals[0]).toBe(31);
    expect(withNa.association.chiSquare.chi2).toBeCloseTo(K.chi2_contingency.chi2, 10);
    expect(withNa.association.chiSquare.n).toBe(67);
    expect(withNa.association.excludedCols).toEqual(['無回答']);
  });

  it('noAnswer modes: always shows an empty line, never hides with a warning', () => {
    const always = crosstab({ rowCategories: rowCats, colCategories: colCats, cells: kesCells, noAnswer: 'always' });
    expect(always.rows).toHaveLength(10);
    expect(always.cols).toHaveLength(4);
    expect(always.rowTotals[9]).toBe(0);
    const never = crosstab({
      rowCategories: rowCats, colCategories: colCats, noAnswer: 'never',
      cells: [...kesCells, { row: null, col: 'a0', count: 2 }],
    });
    expect(never.n).toBe(67);
    expect(never.warnings.join(' ')).toMatch(/2 response\(s\) with no answer are not shown/);
  });
});

describe('2×2 tables', () => {
  const F = goldens.fisher2x2;
  const cats = (p: string) => [{ code: `${p}1`, label: `${p}1` }, { code: `${p}2`, label: `${p}2` }];
  const cells = (tab: number[][]) => tab.flatMap((r, i) => r.map((count, j) => ({ row: `r${i + 1}`, col: `c${j + 1}`, count })));

  it('Fisher exact matches scipy.stats.fisher_exact and R fisher.test', () => {
    const f = fisherExact2x2(F.table);
    expect(F.fisher_exact.call).toMatch(/fisher_exact/);
    expect(f.oddsRatio).toBeCloseTo(F.fisher_exact.value[0], 12);
    expect(f.p).toBeCloseTo(F.fisher_exact.value[1], 12);
    expect(f.p).toBeCloseTo(F.fisher_exact_R.value, 12);
    const big = fisherExact2x2(goldens.fisherBig.table);
    expect(big.oddsRatio).toBeCloseTo(goldens.fisherBig.fisher_exact.value[0], 12);
    expect(big.p).toBeCloseTo(goldens.fisherBig.fisher_exact.value[1], 12);
  });

  it('crosstab offers Fisher for 2×2 and Yates on request', () => {
    const plain = crosstab({ rowCategories: cats('r'), colCategories: cats('c'), cells: cells(F.table) });
    expect(plain.association.chiSquare.chi2).toBeCloseTo(F.chi2_no_correction.value[0], 10);
    expect(plain.association.chiSquare.p).toBeCloseTo(F.chi2_no_correction.value[1], 10);
    expect(plain.association.fisher?.p).toBeCloseTo(F.fisher_exact.value[1], 12);
    expect(plain.association.chiSquare.warnings.join(' ')).toMatch(/Fisher/);
    const yates = crosstab({ rowCategories: cats('r'), colCategories: cats('c'), cells: cells(F.table), yates: true });
    expect(yates.association.chiSquare.chi2).toBeCloseTo(F.chi2_yates.value[0], 10);
    expect(yates.association.chiSquare.p).toBeCloseTo(F.chi2_yates.value[1], 10);
    expect(yates.association.chiSquare.method).toMatch(/with Yates/);
    // V is reported from the uncorrected statistic.
    expect(yates.association.chiSquare.cramersV).toBeCloseTo(Math.sqrt(F.chi2_no_correction.value[0] / 16), 10);
  });

  it('a 3×3 table with a zero column reduces to 2×2 for Fisher', () => {
    const r = chiSquareTest([[8, 0, 2], [1, 0, 5]]);
    expect(r.droppedCols).toEqual([1]);
    expect(r.df).toBe(1);
    expect(r.chi2).toBeCloseTo(F.chi2_no_correction.value[0], 10);
  });

  it('fisher odds ratio is null when b·c = 0', () => {
    const f = fisherExact2x2([[5, 0], [2, 3]]);
    expect(f.oddsRatio).toBeNull();
    expect(f.warnings).toHaveLength(1);
  });
});

describe('column comparison letters', () => {
  const C = goldens.columnComparison;
  const rows = [{ code: 's', label: '満足' }, { code: 'n', label: 'どちらでもない' }, { code: 'u', label: '不満' }];
  const cols = [{ code: 'A', label: '大船渡' }, { code: 'B', label: '陸前高田' }, { code: 'C', label: '気仙沼' }];
  const cells: CrosstabCell[] = (C.table as number[][]).flatMap((r, i) => r.map((count, j) => ({ row: rows[i].code, col: cols[j].code, count })));
  const pairs: [number, number][] = [[0, 1], [0, 2], [1, 2]];
  const B = goldensTails.columnBase;
  // The same table with a "no answer" row (row code null).
  const withNa: CrosstabCell[] = [...cells, ...(B.noAnswerRow as number[]).map((count, j) => ({ row: null, col: cols[j].code, count }))];

  it('p-values match R prop.test(correct = FALSE) and p.adjust(holm) within each row', () => {
    const t = crosstab({ rowCategories: rows, colCategories: cols, cells, columnComparison: { adjustment: 'holm' } });
    const cc = t.columnComparison!;
    expect(cc.bases).toEqual(C.colTotals);
    for (let i = 0; i < 3; i++) {
      pairs.forEach(([a, b], k) => {
        const test = cc.tests.find((x) => x.row === i && x.colA === a && x.colB === b)!;
        expect(test.p).toBeCloseTo(C.pairs[`${i}:${a}-${b}`].value, 10);
        expect(test.pAdjusted).toBeCloseTo(C.adjusted[String(i)].value[k], 10);
      });
    }
    expect(cc.letters).toEqual(['A', 'B', 'C']);
    // Row 0: A (30/45) > B (12/45), Holm p = 0.0004; A vs C and B vs C not significant after Holm.
    // Row 2: B (18/45) > A (5/45), Holm p = 0.005.
    expect(cc.cells).toEqual([['B', '', ''], ['', '', ''], ['', 'A', '']]);
    expect(cc.adjustment).toBe('holm');
    expect(cc.method).toMatch(/Holm/);
  });

  it('without adjustment more letters appear; Bonferroni p-values match R', () => {
    const none = crosstab({ rowCategories: rows, colCategories: cols, cells, columnComparison: { adjustment: 'none' } }).columnComparison!;
    // Row 0: C (20/40) > B (p = 0.027); row 2: B > C (p = 0.046).
    expect(none.cells).toEqual([['B', '', 'B'], ['', '', ''], ['', 'AC', '']]);
    const bonf = crosstab({ rowCategories: rows, colCategories: cols, cells, columnComparison: { adjustment: 'bonferroni' } }).columnComparison!;
    pairs.forEach((_, k) => expect(bonf.tests[k].pAdjusted).toBeCloseTo(C.adjusted['0:bonferroni'].value[k], 10));
    expect(bonf.method).toMatch(/Bonferroni/);
  });

  it('a no-answer row stays out of the base by default, as in the chi-square test', () => {
    const t = crosstab({ rowCategories: rows, colCategories: cols, cells: withNa, columnComparison: { adjustment: 'holm' } });
    const cc = t.columnComparison!;
    expect(t.rows.at(-1)!.noAnswer).toBe(true);
    expect(cc.base).toBe('answered');
    expect(cc.bases).toEqual(C.colTotals); // 45, 45, 40: no-answer row left out
    expect(cc.bases).toEqual(t.association.chiSquare.expected[0].map((_, j) => t.association.chiSquare.expected.reduce((s, r) => s + r[j], 0)));
    expect(cc.baseNote.ja).toMatch(/無回答を除く/);
    expect(cc.method).toMatch(/"no answer" excluded/);
    // Same p-values as the table without the no-answer row (R prop.test on bases 45, 45, 40).
    for (let i = 0; i < 3; i++) {
      pairs.forEach(([a, b]) => {
        const test = cc.tests.find((x) => x.row === i && x.colA === a && x.colB === b)!;
        expect(test.p).toBeCloseTo(C.pairs[`${i}:${a}-${b}`].value, 10);
      });
    }
    expect(cc.cells.slice(0, 3)).toEqual([['B', '', ''], ['', '', ''], ['', 'A', '']]);
  });

  it("base 'all' keeps the no-answer row in the base, stated in the result", () => {
    const cc = crosstab({ rowCategories: rows, colCategories: cols, cells: withNa, columnComparison: { base: 'all' } }).columnComparison!;
    expect(cc.base).toBe('all');
    expect(cc.bases).toEqual(B.allBases); // 50, 45, 52
    expect(cc.baseNote.en).toMatch(/"no answer" included/);
    pairs.forEach(([a, b]) => {
      const test = cc.tests.find((x) => x.row === 0 && x.colA === a && x.colB === b)!;
      expect(test.p).toBeCloseTo(B.allRow0[`${a}-${b}`].value, 10); // e.g. R prop.test(c(30,12), c(50,45), correct=FALSE)
    });
  });

  it('the no-answer column gets no letter', () => {
    const t = crosstab({
      rowCategories: rows, colCategories: cols, columnComparison: {},
      cells: [...cells, { row: 's', col: null, count: 3 }],
    });
    expect(t.columnComparison!.letters).toEqual(['A', 'B', 'C', null]);
  });
});
