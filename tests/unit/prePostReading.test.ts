import { describe, expect, it } from 'vitest';
import { effectSizeWords, prePostReading, type PrePostReadingInput } from '../../analysis/prePostReading.js';

const LONELINESS = { higherIs: 'worse' as const, direction: { ja: '点数が高いほど孤独感が強い（悪い）', en: 'A higher score means more loneliness (worse)' } };
const NETWORK = { higherIs: 'better' as const, direction: { ja: '点数が高いほど人とのつながりが大きい（良い）', en: 'A higher score means a larger network (better)' } };

const base: PrePostReadingInput = { n: 20, preMean: 42, postMean: 42.6, meanDiff: 0.6, ci: [-0.3, 1.5], p: 0.18, dz: 0.31, ...LONELINESS };

describe('prePostReading: a plain reading of a pre/post comparison', () => {
  it('CI including 0: no clear change, with n, means, the change, its CI, p and the effect size', () => {
    const r = prePostReading(base);
    expect(r.verdict).toBe('unclear');
    expect(r.ja).toContain('平均 42.0 → 42.6 点（20組）。差 +0.6 点（95%信頼区間 −0.3〜1.5、p = 0.180、効果量 dz = 0.31（小さい））');
    expect(r.ja).toContain('明確な変化は確認できません');
    expect(r.ja).toMatch(/^点数が高いほど孤独感が強い（悪い）。/);
    expect(r.ja).not.toMatch(/改善|悪化|有意/);
    expect(r.en).toContain('Mean 42.0 → 42.6 points (20 pairs). Change +0.6 (95% CI −0.3 to 1.5, p = .180, effect size dz = 0.31 (small))');
    expect(r.en).toContain('no clear change');
    expect(r.unstable).toBe(false);
  });

  it('CI above 0 on a scale where higher is worse: a significant worsening, with the caveat of no control group', () => {
    const r = prePostReading({ ...base, postMean: 44.1, meanDiff: 2.1, ci: [0.8, 3.4], p: 0.0021, dz: 0.82 });
    expect(r.verdict).toBe('worsened');
    expect(r.ja).toContain('統計的に有意な悪化が見られました');
    expect(r.ja).toContain('対照群のない前後比較');
    expect(r.ja).toContain('証明ではありません');
    expect(r.ja).toContain('p = 0.002');
    expect(r.ja).toContain('効果量 dz = 0.82（大きい）');
    expect(r.en).toContain('significant worsening');
    expect(r.en).toContain('not proof of the programme');
  });

  it('CI below 0 on a scale where higher is worse: a significant improvement, never called the programme\'s effect', () => {
    const r = prePostReading({ ...base, postMean: 39.5, meanDiff: -2.5, ci: [-4.1, -0.9], p: 0.0004, dz: -0.62 });
    expect(r.verdict).toBe('improved');
    expect(r.ja).toContain('差 −2.5 点（95%信頼区間 −4.1〜−0.9、p < 0.001、効果量 dz = −0.62（中程度））');
    expect(r.ja).toContain('統計的に有意な改善が見られました（ただし');
    expect(r.ja).not.toContain('効果がありました');
    expect(r.en).toContain('p < .001');
  });

  it('the same rise is an improvement when higher is better (a network size)', () => {
    const r = prePostReading({ ...base, ...NETWORK, preMean: 12, postMean: 14, meanDiff: 2, ci: [0.5, 3.5], p: 0.01, dz: 0.6 });
    expect(r.verdict).toBe('improved');
    expect(r.ja).toMatch(/^点数が高いほど人とのつながりが大きい（良い）。/);
    const fell = prePostReading({ ...base, ...NETWORK, preMean: 14, postMean: 12, meanDiff: -2, ci: [-3.5, -0.5], p: 0.01, dz: -0.6 });
    expect(fell.verdict).toBe('worsened');
  });

  it('without a direction it says rose or fell, not better or worse', () => {
    const r = prePostReading({ n: 20, preMean: 3, postMean: 4, meanDiff: 1, ci: [0.2, 1.8], p: 0.02, dz: 0.55 });
    expect(r.verdict).toBe('rose');
    expect(r.ja).toContain('統計的に有意な上昇');
    expect(r.ja).not.toMatch(/改善|悪化/);
  });

  it('fewer than 10 pairs: the figures are said to be unstable', () => {
    const r = prePostReading({ ...base, n: 6 });
    expect(r.unstable).toBe(true);
    expect(r.ja).toContain('（6組）');
    expect(r.ja).toContain('ペアが10組未満のため、数値は不安定です');
    expect(r.en).toContain('fewer than 10 pairs');
    expect(prePostReading({ ...base, n: 10 }).ja).not.toContain('不安定');
  });

  it('a null CI (one pair, or every change the same): no judgement, and no p or interval invented', () => {
    const r = prePostReading({ n: 1, preMean: 6, postMean: 5, meanDiff: -1, ci: null, p: null, dz: null, ...LONELINESS });
    expect(r.verdict).toBe('not-computable');
    expect(r.ja).toContain('差 −1.0 点。');
    expect(r.ja).toContain('変化の有無は判断できません');
    expect(r.ja).not.toMatch(/信頼区間 |p =|dz/);
    expect(r.ja).toContain('不安定');
    expect(r.effect).toBeNull();
  });

  it('no pairs at all', () => {
    const r = prePostReading({ n: 0, preMean: null, postMean: null, meanDiff: null, ci: null, p: null, dz: null });
    expect(r.verdict).toBe('no-pairs');
    expect(r.ja).toContain('ペア');
  });

  it('keeps enough decimals that an interval excluding 0 never prints as touching 0', () => {
    const r = prePostReading({ ...base, meanDiff: 0.5, ci: [0.04, 0.96], p: 0.03, dz: 0.5 });
    expect(r.verdict).toBe('worsened');
    expect(r.ja).toContain('95%信頼区間 0.04〜0.96');
  });

  it('names effect sizes by Cohen\'s conventions on |dz|', () => {
    expect([0, 0.19, 0.2, -0.49, 0.5, 0.79, -0.8, 2].map((d) => effectSizeWords(d).ja)).toEqual(['ごく小さい', 'ごく小さい', '小さい', '小さい', '中程度', '中程度', '大きい', '大きい']);
  });
});
