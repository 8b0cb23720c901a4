import { describe, expect, it } from 'vitest';
import { multiResponseCrosstab } from '../../analysis/index.js';

// Kesennuma 活動対象 (mission.md), options × city. The report does not print the base; here the base is
// taken as the respondents per city (15 / 16 / 37), i.e. assuming every respondent answered the question.
const labels = ['高齢者(65歳以上)', '子ども', '女性', '男性', 'ジェンダー', 'ひとり親', '障がい者', 'ホームレス', '引きこもり',
  '不登校', 'ヤングケアラー', 'ネグレクト', '貧困', '被差別', '日本以外にルーツを持つ方', 'その他'];
const byCity: Record<string, number[]> = {
  ofunato: [7, 8, 5, 4, 1, 2, 5, 1, 3, 2, 1, 1, 2, 1, 2, 4],
  rikuzentakata: [10, 7, 7, 6, 3, 3, 6, 0, 3, 0, 0, 0, 3, 0, 2, 4],
  kesennuma: [14, 14, 18, 13, 3, 7, 11, 0, 3, 3, 2, 2, 3, 0, 0, 4],
};
const options = labels.map((label, i) => ({ code: `o${i + 1}`, label }));
const cols = [
  { code: 'ofunato', label: '大船渡市' },
  { code: 'rikuzentakata', label: '陸前高田市' },
  { code: 'kesennuma', label: '気仙沼市' },
];

describe('multiResponseCrosstab: Kesennuma activity targets × city', () => {
  const t = multiResponseCrosstab({
    options,
    colCategories: cols,
    respondentsByCol: { ofunato: 15, rikuzentakata: 16, kesennuma: 37 },
    selections: Object.entries(byCity).flatMap(([col, counts]) => counts.map((count, i) => ({ option: `o${i + 1}`, col, count }))),
  });

  it('carries the base: respondents per column and overall', () => {
    expect(t.bases).toEqual([15, 16, 37]);
    expect(t.n).toBe(68);
    expect(t.answers).toEqual([49, 54, 97]);
    expect(t.totalAnswers).toBe(200);
  });

  it('counts per option, including zero cells', () => {
    expect(t.rows).toHaveLength(16);
    expect(t.rows[0].counts).toEqual([7, 10, 14]);
    expect(t.rows[0].total).toBe(31);
    expect(t.rows[7]).toMatchObject({ label: 'ホームレス', counts: [1, 0, 0], total: 1 });
    expect(t.rows[13].counts).toEqual([1, 0, 0]);
  });

  it('% of respondents (can exceed 100 in sum) and % of answers', () => {
    expect(t.rows[0].percentOfRespondents).toEqual([46.67, 62.5, 37.84]); // 7/15, 10/16, 14/37
    expect(t.rows[0].totalPercentOfRespondents).toBe(45.59); // 31/68
    expect(t.rows[2].percentOfRespondents[2]).toBe(48.65); // 18/37
    expect(t.rows[0].percentOfAnswers).toEqual([14.29, 18.52, 14.43]); // 7/49, 10/54, 14/97
    expect(t.rows[0].totalPercentOfAnswers).toBe(15.5); // 31/200
    const sumResp = t.rows.reduce((s, r) => s + (r.percentOfRespondents[0] ?? 0), 0);
    expect(sumResp).toBeGreaterThan(100);
    const sumAns = t.rows.reduce((s, r) => s + (r.percentOfAnswers[2] ?? 0), 0);
    expect(sumAns).toBeCloseTo(100, 0);
    expect(t.method).toMatch(/respondents who answered/);
    expect(t.warnings).toEqual([]);
  });

  it('warns when a count exceeds its base and rejects unknown options', () => {
    const bad = multiResponseCrosstab({
      options, colCategories: cols, respondentsByCol: { ofunato: 5, rikuzentakata: 16, kesennuma: 0 },
      selections: [{ option: 'o1', col: 'ofunato', count: 7 }],
    });
    expect(bad.warnings.join(' ')).toMatch(/more than its 5 respondents/);
    expect(bad.rows[0].percentOfRespondents[2]).toBeNull();
    expect(() => multiResponseCrosstab({
      options, colCategories: cols, respondentsByCol: { ofunato: 5, rikuzentakata: 16, kesennuma: 1 },
      selections: [{ option: 'zz', col: 'ofunato', count: 1 }],
    })).toThrow(/outside/);
  });
});
