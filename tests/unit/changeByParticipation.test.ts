import { describe, expect, it } from 'vitest';
import { changeByParticipation, parseBands } from '../../analysis/changeByParticipation.js';

describe('pre/post change by sessions attended', () => {
  const pairs = [
    // 3–5 sessions
    { key: 'a', pre: 8, post: 7 },
    { key: 'b', pre: 9, post: 7 },
    { key: 'c', pre: 7, post: 6 },
    { key: 'd', pre: 10, post: 8 },
    // 1–2 sessions
    { key: 'e', pre: 6, post: 6 },
    { key: 'f', pre: 8, post: 9 },
    { key: 'g', pre: 9, post: 9 },
    // never recorded at a session
    { key: 'h', pre: 5, post: 5 },
  ];
  const attended = new Map([['a', 3], ['b', 5], ['c', 4], ['d', 4], ['e', 1], ['f', 2], ['g', 2]]);

  it("gives each band's n, mean change and paired-t 95% CI (goldens from scipy)", () => {
    const { rows, outside, note } = changeByParticipation(pairs, attended, parseBands('1-2,3-5,6-'));
    expect(rows.map((r) => [r.label, r.n])).toEqual([['1〜2回', 3], ['3〜5回', 4], ['6回以上', 0]]);
    // scipy 1.17: r = stats.ttest_rel([6,9,9],[6,8,9]); r.confidence_interval(0.95) -> (-1.100884243249821, 1.7675509099164874); mean d = 0.3333…
    expect(rows[0].meanChange).toBeCloseTo(1 / 3, 12);
    expect(rows[0].ci![0]).toBeCloseTo(-1.100884243249821, 10);
    expect(rows[0].ci![1]).toBeCloseTo(1.7675509099164874, 10);
    // scipy 1.17: r = stats.ttest_rel([7,7,6,8],[8,9,7,10]); r.confidence_interval(0.95) -> (-2.4186931155185394, -0.5813068844814607); mean d = -1.5
    expect(rows[1].meanChange).toBe(-1.5);
    expect(rows[1].ci![0]).toBeCloseTo(-2.4186931155185394, 10);
    expect(rows[1].ci![1]).toBeCloseTo(-0.5813068844814607, 10);
    expect(rows[2]).toMatchObject({ n: 0, meanChange: null, ci: null });
    expect(outside).toBe(1); // h: no attendance, and no band starts at 0
    expect(note).toContain('関連');
  });

  it('a band of fewer than k people keeps its n but not its scores', () => {
    const { rows } = changeByParticipation(pairs, attended, parseBands('1-2,3-5,6-'), 4);
    expect(rows.map((r) => [r.n, r.suppressed, r.meanChange])).toEqual([[3, true, null], [4, false, -1.5], [0, false, null]]);
    expect(rows[0]).toMatchObject({ preMean: null, postMean: null, ci: null });
  });

  it('a band from 0 takes those never recorded at a session', () => {
    const { rows, outside } = changeByParticipation(pairs, attended, parseBands('0,1-2,3-'));
    expect(rows.map((r) => r.n)).toEqual([1, 3, 4]);
    expect(outside).toBe(0);
  });

  it('refuses bands that overlap, descend or cannot be read', () => {
    expect(() => parseBands('1-3,3-5')).toThrow(RangeError);
    expect(() => parseBands('3-1')).toThrow(RangeError);
    expect(() => parseBands('6-,7')).toThrow(RangeError);
    expect(() => parseBands('a-b')).toThrow(RangeError);
    expect(parseBands('１〜２, 3-5, 6-')).toEqual([{ from: 1, to: 2 }, { from: 3, to: 5 }, { from: 6, to: null }]);
  });
});
