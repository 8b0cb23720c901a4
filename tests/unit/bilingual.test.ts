import { describe, expect, it } from 'vitest';
import {
  bilingual, chiSquareTest, cronbachAlpha, fisherExact2x2, mcnemar, openLinkSummary, pairedComparison,
  responseRates, welchComparison, wilcoxonSignedRank, WILCOXON_METHOD,
} from '../../analysis/index.js';

/** Japanese first, closed by 「。」, one space, then the English: the form of the notes in src/results/sheets.ts. */
const FORM = /^(?:(?!。 ).)*[^\x00-\x7F](?:(?!。 ).)*。 [\w"(]/s;

describe('bilingual: Japanese first, English kept after it', () => {
  it('joins with 「。 」 and adds 。 only when missing', () => {
    expect(bilingual('表が空です。', 'Empty table.')).toBe('表が空です。 Empty table.');
    expect(bilingual('表が空です', 'Empty table.')).toBe('表が空です。 Empty table.');
  });

  it('warnings and methods of the analysis functions lead with Japanese and keep the English', () => {
    const chi = chiSquareTest([[1, 0], [0, 1]], { yates: false });
    expect(chi.method).toMatch(/^ピアソンのχ²検定（独立性の検定、連続性補正なし）。 Pearson chi-square test of independence without/);
    expect(chi.warnings.length).toBeGreaterThan(0);
    const fisher = fisherExact2x2([[3, 0], [0, 3]]);
    const pairs = pairedComparison([{ pre: 1, post: 2 }, { pre: 2, post: 2 }, { pre: 3, post: 5 }], { preOnly: 1 });
    const results = [
      chi,
      chiSquareTest([[1, 2, 3]], { yates: true }),
      fisher,
      pairs,
      wilcoxonSignedRank([0, 0]),
      mcnemar([{ pre: true, post: false }]),
      welchComparison([1], [2]),
      cronbachAlpha([[1, null], [2, 2]]),
      responseRates([], {}),
      openLinkSummary([{ status: 'partial' }]),
    ];
    for (const r of results) {
      expect(r.method).toMatch(FORM);
      expect(r.warnings.length).toBeGreaterThan(0);
      for (const w of r.warnings) expect(w).toMatch(FORM);
    }
    // The English stays as it was, so it can be searched for and reproduced with.
    expect(fisher.warnings[0]).toBe('オッズ比は定義できません（b·c = 0）。null としています（scipy では inf）。 Odds ratio undefined (b·c = 0): reported as null (scipy reports inf).');
    expect(pairs.wilcoxon.method).toContain(WILCOXON_METHOD);
    expect(pairs.method).toContain(`${WILCOXON_METHOD}; this result:`);
  });
});
