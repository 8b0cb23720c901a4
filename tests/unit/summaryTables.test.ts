import { describe, expect, it } from 'vitest';
import { distributionSummary, frequencyTable } from '../../analysis/index.js';

describe('distributionSummary: values with counts, as R on the expanded vector', () => {
  it('matches R 4.2', () => {
    // R: x <- rep(c(3,5,8,12), c(2,3,1,4)); c(mean(x), sd(x), median(x)) → 7.7 3.94546152771341 6.5
    const a = distributionSummary([{ value: 12, count: 4 }, { value: 3, count: 2 }, { value: 8, count: 1 }, { value: 5, count: 3 }]);
    expect(a.n).toBe(10);
    expect(a.mean).toBeCloseTo(7.7, 12);
    expect(a.sd).toBeCloseTo(3.94546152771341, 12);
    expect(a.median).toBe(6.5);
    expect([a.min, a.max]).toEqual([3, 12]);
    // R: y <- c(1.5, 2, 7); c(mean(y), sd(y), median(y)) → 3.5 3.04138126514911 2
    const b = distributionSummary([{ value: 7, count: 1 }, { value: 1.5, count: 1 }, { value: 2, count: 1 }]);
    expect(b.mean).toBeCloseTo(3.5, 12);
    expect(b.sd).toBeCloseTo(3.04138126514911, 12);
    expect(b.median).toBe(2);
  });

  it('leaves undefined figures empty', () => {
    expect(distributionSummary([])).toEqual({ n: 0, mean: null, sd: null, median: null, min: null, max: null });
    expect(distributionSummary([{ value: 4, count: 1 }])).toMatchObject({ n: 1, mean: 4, sd: null, median: 4 });
  });
});

describe('frequencyTable: one question of the 単純集計', () => {
  const categories = [{ code: 'a', label: 'はい' }, { code: 'b', label: 'いいえ' }, { code: 'c', label: 'わからない' }];

  it('keeps zero lines, adds 無回答, and bases % on respondents', () => {
    const t = frequencyTable({ categories, counts: new Map([['a', 2], ['b', 1]]), n: 4, answered: 3, multiple: false });
    expect(t.lines.map((l) => [l.label, l.count, l.percent])).toEqual([
      ['はい', 2, 50],
      ['いいえ', 1, 25],
      ['わからない', 0, 0],
      ['無回答', 1, 25],
    ]);
  });

  it('multiple choice gives % of respondents and % of answers', () => {
    const t = frequencyTable({ categories, counts: new Map([['a', 3], ['b', 2], ['c', 1]]), n: 4, answered: 3, multiple: true });
    expect(t.selections).toBe(6);
    expect(t.lines[0]).toMatchObject({ count: 3, percent: 75, percentOfAnswers: 50 });
    expect(t.lines[3]).toMatchObject({ code: null, count: 1, percent: 25 });
  });

  it('shows a code missing from the questionnaire under its code', () => {
    const t = frequencyTable({ categories, counts: new Map([['zz', 1]]), n: 1, answered: 1, multiple: false });
    expect(t.lines.map((l) => l.label)).toEqual(['はい', 'いいえ', 'わからない', 'zz', '無回答']);
    expect(t.warnings[0]).toContain('zz');
  });
});
