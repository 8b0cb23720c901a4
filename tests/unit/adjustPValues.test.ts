import { describe, expect, it } from 'vitest';
import { adjustPValues } from '../../analysis/index.js';
import { goldens } from './fixtures.js';

describe('adjustPValues (as R p.adjust)', () => {
  const G = goldens.padjust;
  for (const method of ['holm', 'BH', 'bonferroni'] as const) {
    it(method, () => {
      const r = adjustPValues(G.p, method);
      expect(G[method].call).toMatch(new RegExp(`method='${method}'`));
      r.adjusted.forEach((v, i) => expect(v).toBeCloseTo(G[method].value[i], 12));
      expect(r.n).toBe(6);
      expect(r.adjustment).toBe(method);
    });
  }
  it('names the method', () => {
    expect(adjustPValues(G.p, 'holm').method).toMatch(/Holm/);
    expect(adjustPValues(G.p, 'BH').method).toMatch(/Benjamini–Hochberg/);
  });
  it('missing p-values stay missing and do not count in m', () => {
    for (const method of ['holm', 'BH'] as const) {
      const r = adjustPValues(G.withNA.p, method);
      expect(r.n).toBe(3);
      expect(r.adjusted[1]).toBeNull();
      r.adjusted.forEach((v, i) => {
        if (G.withNA[method].value[i] === null) expect(v).toBeNull();
        else expect(v).toBeCloseTo(G.withNA[method].value[i], 12);
      });
    }
  });
  it('none returns the input', () => {
    expect(adjustPValues([0.2, 0.01], 'none').adjusted).toEqual([0.2, 0.01]);
  });
});
