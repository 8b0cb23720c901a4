import { describe, expect, it } from 'vitest';
import { pairByKey, pairedComparison, welchComparison, wilcoxonSignedRank } from '../../analysis/index.js';
import { goldens, sky } from './fixtures.js';

const zip = (pre: number[], post: number[]) => pre.map((p, i) => ({ pre: p, post: post[i] }));

describe('pairedComparison: statistics.md example', () => {
  const G = goldens.paired;
  const r = pairedComparison(zip(G.pre, G.post), { preOnly: 2, postOnly: 1 });

  it('n, attrition, means and SDs', () => {
    expect(r.n).toBe(10);
    expect(r.preOnly).toBe(2);
    expect(r.postOnly).toBe(1);
    expect(r.warnings.join(' ')).toMatch(/2 pre-only and 1 post-only/);
    expect(r.pre.mean).toBeCloseTo(42, 12);
    expect(r.post.mean).toBeCloseTo(42.6, 12);
    expect(r.meanDiff).toBeCloseTo(0.6, 12);
    expect(r.pre.sd).toBeCloseTo(G.sd.value[0], 10);
    expect(r.post.sd).toBeCloseTo(G.sd.value[1], 10);
    expect(r.sdDiff).toBeCloseTo(G.sd.value[2], 10);
  });

  it('paired t matches scipy ttest_rel(post, pre) and R t.test(paired = TRUE)', () => {
    expect(G['t.test'].call).toMatch(/t.test\(post, pre, paired=TRUE\)/);
    const [t, df, p, lo, hi] = G['t.test'].value;
    expect(r.tTest.t).toBeCloseTo(t, 10);
    expect(r.tTest.t).toBeCloseTo(G.ttest_rel.value[0], 10);
    expect(r.tTest.df).toBe(df);
    expect(r.tTest.p).toBeCloseTo(p, 10);
    expect(r.tTest.p).toBeCloseTo(G.ttest_rel.value[1], 10);
    expect(r.tTest.ci![0]).toBeCloseTo(lo, 8);
    expect(r.tTest.ci![1]).toBeCloseTo(hi, 8);
    // statistics.md's printed values
    expect(r.tTest.t).toBeCloseTo(1.327, 3);
    expect(r.tTest.p).toBeCloseTo(0.2172, 4);
    expect(r.tTest.ci![0]).toBeCloseTo(-0.4228, 4);
    expect(r.tTest.ci![1]).toBeCloseTo(1.6228, 4);
  });

  it('effect sizes dz and d_av match R', () => {
    expect(r.dz).toBeCloseTo(G.dz.value, 10);
    expect(r.dAv).toBeCloseTo(G.d_av.value, 10);
  });

  it('Wilcoxon follows R wilcox.test(paired = TRUE) (V = 27, p = 0.2217), not scipy (9, 0.1957)', () => {
    const [v, p] = G['wilcox.test'].value;
    expect(r.wilcoxon.v).toBe(v);
    expect(r.wilcoxon.p).toBeCloseTo(p, 10);
    expect(r.wilcoxon.p).not.toBeCloseTo(G.scipy_wilcoxon_for_contrast.value[1], 3);
    expect(r.wilcoxon.vNegative).toBe(G.scipy_wilcoxon_for_contrast.value[0]);
    expect(r.wilcoxon.exact).toBe(false); // zeros and ties
    expect(r.wilcoxon.zerosDropped).toBe(2);
    expect(r.wilcoxon.n).toBe(8);
    expect(r.wilcoxon.method).toMatch(/R wilcox.test/);
    expect(r.wilcoxon.method).toMatch(/continuity correction/);
    expect(r.rankBiserial).toBeCloseTo(G.rankBiserial.value, 12);
  });
});

describe('Wilcoxon exact path (no ties, no zeros, n < 50)', () => {
  const G = goldens.exactWilcoxon;
  it('matches R wilcox.test exact p via the signed-rank distribution', () => {
    const r = pairedComparison(zip(G.pre, G.post));
    expect(r.wilcoxon.exact).toBe(true);
    expect(r.wilcoxon.v).toBe(G['wilcox.test'].value[0]);
    expect(r.wilcoxon.p).toBeCloseTo(G['wilcox.test'].value[1], 12);
    expect(r.wilcoxon.z).toBeNull();
    expect(r.rankBiserial).toBeCloseTo(G.rankBiserial.value, 12);
    expect(r.tTest.t).toBeCloseTo(G['t.test'].value[0], 10);
    expect(r.tTest.p).toBeCloseTo(G['t.test'].value[2], 10);
    expect(r.tTest.ci![0]).toBeCloseTo(G['t.test'].value[3], 8);
    expect(r.tTest.ci![1]).toBeCloseTo(G['t.test'].value[4], 8);
  });
  it('lower tail too (reversed direction gives the same p and negated r)', () => {
    const d = G.pre.map((p: number, i: number) => p - G.post[i]);
    const w = wilcoxonSignedRank(d);
    expect(w.v).toBe(36 - G['wilcox.test'].value[0]);
    expect(w.p).toBeCloseTo(G['wilcox.test'].value[1], 12);
    expect(w.rankBiserial).toBeCloseTo(-G.rankBiserial.value, 12);
  });
  it('all-zero differences give an undefined test with a warning', () => {
    const w = wilcoxonSignedRank([0, 0, 0]);
    expect(w.p).toBeNull();
    expect(w.warnings.join(' ')).toMatch(/All differences are zero/);
  });
});

describe('SKY-like dataset (fixtures/sky.json): 事前42点 → 事後42.6点', () => {
  const G = goldens.sky;
  const pairing = pairByKey(sky.pre, sky.post);
  const r = pairedComparison(pairing.pairs, { preOnly: pairing.preOnly.length, postOnly: pairing.postOnly.length });

  it('pairs 20 participants; P21 and P22 are pre-only', () => {
    expect(pairing.pairs).toHaveLength(20);
    expect(pairing.preOnly).toEqual(['P21', 'P22']);
    expect(pairing.postOnly).toEqual([]);
    expect(r.n).toBe(20);
    expect(r.preOnly).toBe(2);
  });

  it('reproduces the printed means 42.0 and 42.6', () => {
    expect(r.pre.mean).toBeCloseTo(G.means.value[0], 12);
    expect(r.post.mean).toBeCloseTo(G.means.value[1], 12);
    expect(r.meanDiff).toBeCloseTo(G.means.value[2], 12);
    expect(r.pre.mean).toBeCloseTo(42.0, 12);
    expect(r.post.mean).toBeCloseTo(42.6, 12);
    expect(r.pre.sd).toBeCloseTo(G.sd.value[0], 10);
    expect(r.post.sd).toBeCloseTo(G.sd.value[1], 10);
    expect(r.sdDiff).toBeCloseTo(G.sd.value[2], 10);
  });

  it('paired t, CI, effect sizes and Wilcoxon match R / scipy', () => {
    const [t, df, p, lo, hi] = G['t.test'].value;
    expect(r.tTest.t).toBeCloseTo(t, 10);
    expect(r.tTest.df).toBe(df);
    expect(r.tTest.p).toBeCloseTo(p, 10);
    expect(r.tTest.p).toBeCloseTo(G.ttest_rel.value[1], 10);
    expect(r.tTest.ci![0]).toBeCloseTo(lo, 8);
    expect(r.tTest.ci![1]).toBeCloseTo(hi, 8);
    expect(r.dz).toBeCloseTo(G.dz.value, 10);
    expect(r.dAv).toBeCloseTo(G.d_av.value, 10);
    expect(r.wilcoxon.v).toBe(G['wilcox.test'].value[0]);
    expect(r.wilcoxon.p).toBeCloseTo(G['wilcox.test'].value[1], 10);
    expect(r.rankBiserial).toBeCloseTo(G.rankBiserial.value, 12);
  });

  it('unlinked waves: Welch, labelled unpaired, matches scipy ttest_ind(equal_var=False) and R t.test', () => {
    const w = welchComparison(Object.values(sky.pre), Object.values(sky.post));
    const [t, df, p, lo, hi] = G.welch_unlinked_R.value;
    expect(w.paired).toBe(false);
    expect(w.n).toBe(42);
    expect(w.pre.n).toBe(22);
    expect(w.pre.mean).toBeCloseTo(42, 12);
    expect(w.t).toBeCloseTo(t, 10);
    expect(w.t).toBeCloseTo(G.welch_unlinked.value[0], 10);
    expect(w.df).toBeCloseTo(df, 8);
    expect(w.p).toBeCloseTo(p, 10);
    expect(w.ci![0]).toBeCloseTo(lo, 8);
    expect(w.ci![1]).toBeCloseTo(hi, 8);
    expect(w.method).toMatch(/^ウェルチのt検定.*。 Unpaired Welch/);
    expect(w.warnings[0]).toMatch(/not linked/);
  });
});

describe('welchComparison: statistics.md example treated as unlinked', () => {
  it('matches scipy and R', () => {
    const G = goldens.welch;
    const w = welchComparison(goldens.paired.pre, goldens.paired.post);
    expect(w.t).toBeCloseTo(G.ttest_ind.value[0], 10);
    expect(w.p).toBeCloseTo(G.ttest_ind.value[1], 10);
    expect(w.df).toBeCloseTo(G['t.test'].value[1], 8);
    expect(w.ci![0]).toBeCloseTo(G['t.test'].value[3], 8);
    expect(w.ci![1]).toBeCloseTo(G['t.test'].value[4], 8);
    expect(w.meanDiff).toBeCloseTo(0.6, 12);
  });
});

describe('pairByKey', () => {
  it('treats a null (unscorable) score as absent', () => {
    const p = pairByKey({ a: 40, b: null, c: 30 }, { a: 41, b: 50, d: 20 });
    expect(p.pairs).toEqual([{ key: 'a', pre: 40, post: 41 }]);
    expect(p.preOnly).toEqual(['c']);
    expect(p.postOnly).toEqual(['b', 'd']);
  });
  it('few pairs: no test, warnings', () => {
    const r = pairedComparison([{ pre: 1, post: 2 }]);
    expect(r.tTest.t).toBeNull();
    expect(r.warnings.join(' ')).toMatch(/Only 1 pair/);
  });
});
