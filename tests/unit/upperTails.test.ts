import { describe, expect, it } from 'vitest';
import { chiSquareTest, mcnemarFromCounts, pairedComparison, wilcoxonSignedRank } from '../../analysis/index.js';
import { goldensTails } from './fixtures.js';

// Upper-tail p-values far below 1e-16 must keep their digits: 1 − CDF rounds them to 0.
const G = goldensTails;
const seq = (n: number, sign = 1) => Array.from({ length: n }, (_, i) => sign * (i + 1));
const relClose = (actual: number | null, expected: number, rel = 1e-9) => {
  expect(actual).not.toBeNull();
  expect(actual).toBeGreaterThan(0);
  expect(Math.abs(actual! - expected) / expected).toBeLessThan(rel);
};

describe('chi-square: tiny p-values from the upper tail', () => {
  it('[[50,0],[0,50]] without correction: R chisq.test(correct = FALSE)', () => {
    const [stat, p] = G.chiSquare.uncorrected.value;
    expect(G.chiSquare.uncorrected.call).toMatch(/chisq.test\(matrix\(c\(50,0,0,50\),2\), correct=FALSE\)/);
    const r = chiSquareTest(G.chiSquare.table);
    expect(r.yates).toBe(false); // the default, and what crosstab uses unless asked
    expect(r.chi2).toBeCloseTo(stat, 10);
    relClose(r.p, p); // R 1.5239706048321054e-23
  });

  it('[[50,0],[0,50]] with Yates: R chisq.test(correct = TRUE)', () => {
    const [stat, p] = G.chiSquare.yates.value;
    const r = chiSquareTest(G.chiSquare.table, { yates: true });
    expect(r.chi2).toBeCloseTo(stat, 10);
    relClose(r.p, p); // R 1.1258564622753109e-22
  });

  it('3×3 diagonal, df = 4', () => {
    const [stat, p] = G.chiSquare.df4.value;
    const r = chiSquareTest(G.chiSquare.table3x3);
    expect(r.df).toBe(4);
    expect(r.chi2).toBeCloseTo(stat, 10);
    relClose(r.p, p); // R 9.277854169203752e-51
  });
});

describe('McNemar b = 0, c = 100', () => {
  it('both variants: chi-square with continuity correction (R mcnemar.test) and exact binomial (R binom.test)', () => {
    const r = mcnemarFromCounts(G.mcnemar.counts);
    const [stat, p] = G.mcnemar['mcnemar.test'].value;
    expect(r.chiSquare.statistic).toBeCloseTo(stat, 10);
    relClose(r.chiSquare.p, p); // R 4.1627504389864164e-23
    relClose(r.exact.p, G.mcnemar['binom.test'].value); // R 1.5777218104420133e-30 (a lower tail: was right already)
  });
});

describe('Wilcoxon signed-rank: both signs give the same tiny p', () => {
  it('normal approximation, 1..100 and −(1..100): R wilcox.test(1:100)', () => {
    const up = wilcoxonSignedRank(seq(100));
    const down = wilcoxonSignedRank(seq(100, -1));
    expect(up.v).toBe(G.wilcoxon.normal.value[0]);
    expect(down.v).toBe(G.wilcoxon.normalNegative.value[0]);
    relClose(up.p, G.wilcoxon.normal.value[1]); // R 3.955911608899522e-18
    relClose(down.p, G.wilcoxon.normalNegative.value[1]);
    expect(up.pMethod.code).toBe('normal-cc');
    expect(up.exact).toBe(false);
    expect(up.continuityCorrection).toBe(true);
  });

  it('exact distribution, 1..49 and −(1..49): R wilcox.test(1:49)', () => {
    const up = wilcoxonSignedRank(seq(49));
    const down = wilcoxonSignedRank(seq(49, -1));
    relClose(up.p, G.wilcoxon.exact.value[1]); // R 3.552713678800505e-15 = 2·2^-49
    relClose(down.p, G.wilcoxon.exactNegative.value[1]);
    expect(up.pMethod.code).toBe('exact');
    expect(up.exact).toBe(true);
    expect(up.continuityCorrection).toBe(false);
  });

  it('the paired comparison carries the same Wilcoxon p', () => {
    const r = pairedComparison(seq(100).map((d) => ({ pre: 0, post: d })));
    relClose(r.wilcoxon.p, G.wilcoxon.normal.value[1]);
  });
});

describe('Wilcoxon: how p was obtained', () => {
  it('without continuity correction: R wilcox.test(1:100, correct = FALSE)', () => {
    const r = wilcoxonSignedRank(seq(100), { correct: false });
    relClose(r.p, G.wilcoxon.normalNoCorrection.value[1]); // R 3.896559845095921e-18
    expect(r.pMethod.code).toBe('normal');
    expect(r.continuityCorrection).toBe(false);
    expect(r.method).toMatch(/no continuity correction/);
    expect(r.method).not.toMatch(/with its defaults/);
  });

  it('ties and a zero, no correction: codes, zeros dropped and descriptions in both languages', () => {
    const g = G.wilcoxon.tiesZerosNoCorrection;
    const r = wilcoxonSignedRank(g.d, { correct: false });
    expect(r.v).toBe(g.value[0]);
    relClose(r.p, g.value[1]); // R 0.02417705919026826
    expect(r.zerosDropped).toBe(1);
    expect(r.n).toBe(8);
    expect(r.pMethod.code).toBe('normal-ties');
    expect(r.pMethod.ja).toBe('正規近似（連続性補正なし、同順位補正あり。理由: 同順位あり、差が0の組を1組除外）');
    expect(r.pMethod.en).toBe('normal approximation (without continuity correction, tie-corrected variance; because of ties, 1 zero difference(s) dropped)');
    expect(r.method).toMatch(/this result: normal approximation/);
  });

  it('defaults follow R: continuity correction, codes for exact, ties and all-zero input', () => {
    expect(wilcoxonSignedRank([1, 1, 2, 3]).pMethod.code).toBe('normal-cc-ties');
    const ex = wilcoxonSignedRank([1, -2, 3, 4]);
    expect(ex.pMethod).toEqual({ code: 'exact', ja: '正確なp値（符号付き順位統計量の分布）', en: 'exact p-value (signed-rank distribution)' });
    expect(wilcoxonSignedRank(seq(60)).pMethod.ja).toBe('正規近似（連続性補正あり。理由: 0でない差が50組以上）');
    const none = wilcoxonSignedRank([0, 0]);
    expect(none.pMethod.code).toBe('none');
    expect(none.zerosDropped).toBe(2);
    expect(none.p).toBeNull();
  });
});
