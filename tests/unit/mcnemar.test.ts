import { describe, expect, it } from 'vitest';
import { mcnemar, mcnemarFromCounts } from '../../analysis/index.js';
import { goldens } from './fixtures.js';

function pairsFrom(c: { bothTrue: number; trueToFalse: number; falseToTrue: number; bothFalse: number }) {
  const rep = (n: number, pre: boolean, post: boolean) => Array.from({ length: n }, () => ({ pre, post }));
  return [...rep(c.bothTrue, true, true), ...rep(c.trueToFalse, true, false), ...rep(c.falseToTrue, false, true), ...rep(c.bothFalse, false, false)];
}

describe('mcnemar', () => {
  const G = goldens.mcnemar;
  const r = mcnemar(pairsFrom(G.counts));

  it('counts and proportions', () => {
    expect(r.n).toBe(30);
    expect(r.counts).toEqual(G.counts);
    expect(r.discordant).toBe(14);
    expect(r.proportionPre).toBeCloseTo(13 / 30, 12);
    expect(r.proportionPost).toBeCloseTo(21 / 30, 12);
  });

  it('chi-square with continuity correction matches R mcnemar.test', () => {
    expect(r.chiSquare.statistic).toBeCloseTo(G['mcnemar.test'].value[0], 12);
    expect(r.chiSquare.p).toBeCloseTo(G['mcnemar.test'].value[1], 10);
    expect(r.chiSquare.continuityCorrection).toBe(true);
    expect(r.chiSquare.method).toMatch(/continuity correction/);
  });

  it('exact binomial p matches R binom.test', () => {
    expect(r.exact.p).toBeCloseTo(G['binom.test'].value, 12);
    expect(r.exact.method).toMatch(/binom.test/);
  });

  it('difference in proportions with a Wald CI, as computed in R', () => {
    const [d, lo, hi] = G.waldDiffCI.value;
    expect(r.difference).toBeCloseTo(d, 12);
    expect(r.ci![0]).toBeCloseTo(lo, 10);
    expect(r.ci![1]).toBeCloseTo(hi, 10);
    expect(r.ciMethod).toMatch(/Wald/);
    expect(r.warnings.join(' ')).toMatch(/prefer the exact/);
  });

  it('b = c: R applies no correction (statistic 0, p = 1)', () => {
    const t = mcnemarFromCounts(goldens.mcnemarTied.counts);
    expect(t.chiSquare.statistic).toBe(goldens.mcnemarTied['mcnemar.test'].value[0]);
    expect(t.chiSquare.p).toBeCloseTo(goldens.mcnemarTied['mcnemar.test'].value[1], 12);
    expect(t.exact.p).toBeCloseTo(goldens.mcnemarTied['binom.test'].value, 12);
    expect(t.chiSquare.continuityCorrection).toBe(false);
  });

  it('no discordant pairs: tests undefined', () => {
    const t = mcnemarFromCounts({ bothTrue: 3, trueToFalse: 0, falseToTrue: 0, bothFalse: 4 });
    expect(t.exact.p).toBeNull();
    expect(t.chiSquare.p).toBeNull();
    expect(t.difference).toBe(0);
  });
});
