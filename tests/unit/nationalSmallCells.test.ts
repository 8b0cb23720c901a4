import { describe, expect, it } from 'vitest';
import { instrumentComparison, sampleFigures, type AnswerGroup } from '../../src/national/comparison.js';
import { nationalReference, NO_ANSWER } from '../../src/national/reference.js';

const direct = nationalReference('loneliness-direct');
const CATEGORIES = ['5', '4', '3', '2', '1', NO_ANSWER];
const answersOf = (counts: number[], sex: string | null = 'female', age: string | null = '20_29'): AnswerGroup[] =>
  counts.map((count, i) => ({ sex, age, category: CATEGORIES[i], count })).filter((g) => g.count > 0);

/**
 * What a reader can work out of a printed line: every distribution of n over the categories that agrees
 * with the shown n, the shown counts (zeros included), 「ある」計 when shown, and "x" meaning at least 1.
 * Each hidden count's range over those must be at least k wide, the cross-tabs' criterion.
 */
function narrowestHiddenRange(printed: ReturnType<typeof sampleFigures>, n: number): number {
  const shown = (key: string) => printed.figures[key]?.count;
  const any = direct.totals.find((t) => t.key === 'any')!.of;
  const ranges = new Map<string, [number, number]>();
  const walk = (i: number, left: number, counts: number[]) => {
    if (i === CATEGORIES.length - 1) {
      const all = [...counts, left];
      const fits = all.every((c, j) => (shown(CATEGORIES[j]) === undefined ? c >= 1 : c === shown(CATEGORIES[j])));
      const sum = all.filter((_, j) => any.includes(CATEGORIES[j])).reduce((a, c) => a + c, 0);
      if (!fits || (shown('any') !== undefined && sum !== shown('any'))) return;
      all.forEach((c, j) => {
        if (shown(CATEGORIES[j]) !== undefined) return;
        const [lo, hi] = ranges.get(CATEGORIES[j]) ?? [Infinity, -Infinity];
        ranges.set(CATEGORIES[j], [Math.min(lo, c), Math.max(hi, c)]);
      });
      return;
    }
    for (let c = 0; c <= left; c++) walk(i + 1, left - c, [...counts, c]);
  };
  expect(printed.n).toBe(n);
  walk(0, n, []);
  return Math.min(...[...ranges.values()].map(([lo, hi]) => hi - lo));
}

describe('small cells in the national comparison (k = 5, as the cross-tabs)', () => {
  it('hides counts 1–4 with their % and interval, and enough others that none can be worked out from n or 「ある」計', () => {
    // The API test's wave: 5 ×1, 4 ×2, 3 ×4, 2 ×7, 1 ×5, blank ×1.
    const line = sampleFigures(direct, answersOf([1, 2, 4, 7, 5, 1]), 5);
    expect(line.n).toBe(20);
    for (const key of ['5', '4', '3', NO_ANSWER]) expect(line.figures[key]).toBeNull();
    // One hidden count beside n would be n less the others: 5 (決してない) and 「ある」計 go too.
    expect(line.figures['1']).toBeNull();
    expect(line.figures.any).toBeNull();
    expect(line.figures['2']).toEqual({ count: 7, percent: 35, lower: 18.1, upper: 56.7 });
    expect(narrowestHiddenRange(line, 20)).toBeGreaterThanOrEqual(5);
  });

  it('leaves large counts and zeros alone', () => {
    const line = sampleFigures(direct, answersOf([0, 6, 9, 12, 8, 5]), 5);
    expect(line.n).toBe(40);
    expect(Object.values(line.figures).every((f) => f !== null)).toBe(true);
    expect(line.figures['5']).toMatchObject({ count: 0, percent: 0 });
    expect(line.figures.any).toMatchObject({ count: 15 });
  });

  it('one small count beside 「ある」計 and n: the smallest other count of its sum is hidden with it', () => {
    const line = sampleFigures(direct, answersOf([2, 6, 9, 12, 8, 5]), 5);
    expect(line.figures['5']).toBeNull();
    expect(line.figures['4']).toBeNull();
    expect(narrowestHiddenRange(line, 42)).toBeGreaterThanOrEqual(5);
  });

  it('a base of 1–4 is itself "x", with no figure; a base of 0 stays 0', () => {
    expect(sampleFigures(direct, answersOf([0, 0, 3, 0, 0, 0]), 5)).toMatchObject({ n: 'x', hidden: true, figures: { 3: null, 5: null, any: null } });
    expect(sampleFigures(direct, [], 5)).toMatchObject({ n: 0, hidden: true });
  });

  it('k = 0 (the organisation protects nothing): every count is printed', () => {
    const line = sampleFigures(direct, answersOf([1, 2, 4, 7, 5, 1]), 0);
    expect([...CATEGORIES, 'any'].map((key) => line.figures[key]?.count)).toEqual([1, 2, 4, 7, 5, 1, 7]);
  });

  it('standardisation with 1–4 respondents left out: their line, base and the composition are hidden, the national values kept', () => {
    const strata = [
      { sex: 'female' as const, ages: ['20_29' as const], label: '女性 20〜29歳', n: 450, percents: { 5: 8, 4: 18, 3: 21, 2: 35, 1: 17, noAnswer: 1 } },
      { sex: 'male' as const, ages: ['20_29' as const], label: '男性 20〜29歳', n: 400, percents: { 5: 6, 4: 16, 3: 20, 2: 38, 1: 19, noAnswer: 1 } },
    ];
    const answers = [...answersOf([0, 3, 5, 6, 5, 0]), ...answersOf([0, 2, 6, 5, 5, 0], 'male'), ...answersOf([0, 0, 0, 1, 0, 0], null)];
    const c = instrumentComparison({ reference: direct, title: 't', answers, profile: { sex: true, age: true }, strataTable: { source: 's', strata }, k: 5 });
    expect(c.standardisation).toMatchObject({ shown: true, base: 'x', excluded: 'x', smallStrata: true, sample: { n: 'x', hidden: true } });
    if (!c.standardisation.shown) throw new Error('shown');
    expect(Object.values(c.standardisation.sample.figures).every((f) => f === null)).toBe(true);
    expect(c.standardisation.national['5']).toBe(7); // (19 × 8 + 18 × 6) / 37 = 7.03
  });
});
