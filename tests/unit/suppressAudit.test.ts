import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { crosstab, type CrosstabResult } from '../../analysis/index.js';
import { auditSuppressedCrosstab, suppress, type MarkerStyle, type SuppressedCrosstab } from '../../analysis/suppress.js';
import { auditIntervals, integerInterval, percentConstraints, sumConstraint } from '../../analysis/suppressAudit.js';

function table(counts: number[][]): CrosstabResult {
  return crosstab({
    rowCategories: counts.map((_, i) => ({ code: `r${i}`, label: `r${i}` })),
    colCategories: counts[0].map((_, j) => ({ code: `c${j}`, label: `c${j}` })),
    cells: counts.flatMap((row, i) => row.map((count, j) => ({ row: `r${i}`, col: `c${j}`, count }))),
  });
}

/** What the code before issue 12 published for the three tables of the issue (k = 5), verbatim. */
const before = {
  hiddenZero: {
    counts: [['x', '<5'], ['x', 'x']], rowTotals: [14, 8], colTotals: [10, 12], grandTotal: 22,
    rowPercent: [[null, null], [null, null]], colPercent: [[null, null], [null, null]], totalPercent: [[null, null], [null, null]],
    rowTotalPercent: [63.64, 36.36], colTotalPercent: [45.45, 54.55],
  },
  twoSmall: {
    counts: [['x', '<5'], ['<5', '<5']], rowTotals: [13, 8], colTotals: [13, 8], grandTotal: 21,
    rowPercent: [[null, null], [null, null]], colPercent: [[null, null], [null, null]], totalPercent: [[null, null], [null, null]],
    rowTotalPercent: [61.9, 38.1], colTotalPercent: [61.9, 38.1],
  },
  percentOfHiddenBase: {
    counts: [['x', 10], ['<5', 0]], rowTotals: ['x', '<5'], colTotals: [13, 10], grandTotal: 23,
    rowPercent: [[null, 50], [null, 0]], colPercent: [[null, 100], [null, 0]], totalPercent: [[null, 43.48], [null, 0]],
    rowTotalPercent: [null, null], colTotalPercent: [56.52, 43.48],
  },
};
// The old "x" could stand for a hidden zero, so a reader could assume no more than ≥ 0 of it.
const oldAudit = (published: (typeof before)[keyof typeof before]) =>
  auditSuppressedCrosstab({ ...published, k: 5, marker: 'distinct', decimals: 2 }, { hiddenAtLeast: 0 });
const at = (intervals: ReturnType<typeof oldAudit>, i: number, j: number) => intervals.find((iv) => iv.i === i && iv.j === j)!;

describe('the leaks of issue 12, before the change', () => {
  it('[[10,4],[0,8]]: the margins give the "<5" back exactly', () => {
    const iv = at(oldAudit(before.hiddenZero), 0, 1);
    expect([iv.min, iv.max]).toEqual([4, 4]);
    expect(iv.protected).toBe(false);
  });

  it('[[9,4],[4,4]]: a row total 8 of two "<5" cells makes both 4', () => {
    const a = oldAudit(before.twoSmall);
    expect([at(a, 1, 0).min, at(a, 1, 0).max, at(a, 1, 1).min, at(a, 1, 1).max]).toEqual([4, 4, 4, 4]);
  });

  it('[[10,10],[3,0]]: a row % of 50 on the shown 10 gives the hidden row total, and so the hidden 3', () => {
    const a = oldAudit(before.percentOfHiddenBase);
    // The percentage is a rounding interval, so the LP bound is 19.998…20.002: integer 20 exactly.
    expect(integerInterval(at(a, 0, 2))).toEqual({ min: 20, max: 20 });
    expect(integerInterval(at(a, 1, 0))).toEqual({ min: 3, max: 3 });
  });
});

describe('the same tables after the change', () => {
  const cases = [[[10, 4], [0, 8]], [[9, 4], [4, 4]], [[10, 10], [3, 0]]];
  for (const marker of ['distinct', 'single'] as const) {
    for (const counts of cases) {
      it(`${JSON.stringify(counts)} with ${marker} markers passes the re-audit`, () => {
        const s = suppress(table(counts), 5, { marker });
        expect(s.audit.passed).toBe(true);
        const re = auditSuppressedCrosstab(s);
        expect(re.length).toBeGreaterThan(0);
        expect(re.every((iv) => iv.protected)).toBe(true);
      });
    }
  }

  it('a percentage is withheld when its base is hidden, and says why', () => {
    const t = table([[10, 10, 12], [3, 0, 0], [12, 14, 9]]);
    const s = suppress(t, 5, { marker: 'single' });
    expect(s.counts[1]).toEqual(['x', 0, 0]);
    expect(s.rowTotals[1]).toBe('x');
    expect(t.rowPercent[1][1]).toBe(0);
    expect(s.rowPercent[1][1]).toBeNull();
    expect(s.rowPercentWithheld[1][1]).toBe('base');
    expect(s.colPercentWithheld[1][1]).toBeNull();
    expect(s.colPercent[1][1]).toBe(0);
    expect(s.rowPercentWithheld[1][0]).toBe('count');
  });

  it('single markers: the row total 8 of two hidden counts leaves each anywhere in 1…7', () => {
    const s = suppress(table([[9, 4], [4, 4]]), 5, { marker: 'single' });
    expect(s.counts).toEqual([['x', 'x'], ['x', 'x']]);
    expect(s.audit.intervals.find((iv) => iv.i === 1 && iv.j === 0)).toMatchObject({ min: 1, max: 7 });
  });

  it('distinct markers that cannot be protected fall back to one marker', () => {
    // Every entry is 1…4: even with all of them hidden, "<5" everywhere pins each cell to 1.
    const s = suppress(table([[1, 1], [1, 1]]), 5, { marker: 'distinct' });
    expect(s.marker).toBe('single');
    expect([...s.counts.flat(), ...s.rowTotals, ...s.colTotals, s.grandTotal].every((v) => v === 'x')).toBe(true);
    expect(s.warnings.join(' ')).toMatch(/could not be protected/);
    expect(s.audit.passed).toBe(true);
  });
});

describe('auditIntervals', () => {
  it('bounds a hidden entry by sums, its own bounds and a rounded percentage', () => {
    // entries: 0 = a (hidden), 1 = b (hidden), 2 = total 20 (shown); a + b = 20; a is 25.00 % of the total.
    const model = {
      entries: [{ hidden: true as const, lower: 0, upper: Infinity }, { hidden: true as const, lower: 0, upper: Infinity }, { shown: 20 }],
      constraints: [sumConstraint(2, [0, 1])],
    };
    expect(auditIntervals(model).map((iv) => [iv.min, iv.max])).toEqual([[0, 20], [0, 20]]);
    model.constraints.push(...percentConstraints(0, 2, 25, 2));
    const [a] = auditIntervals(model);
    expect(a.min).toBeCloseTo(4.999, 3);
    expect(a.max).toBeCloseTo(5.001, 3);
  });
});

/** Counts of the property runs, printed at the end (the brief asks for them). */
const tally: Record<string, { tables: number; secondary: number; byAudit: number; fallback: number }> = {};

function checkPublished(counts: number[][], k: number, marker: MarkerStyle, label: string) {
  const s: SuppressedCrosstab = suppress(table(counts), k, { marker });
  const t = (tally[label] ??= { tables: 0, secondary: 0, byAudit: 0, fallback: 0 });
  t.tables++;
  if (s.secondaryCount > 0) t.secondary++;
  if (s.audit.addedByAudit > 0) t.byAudit++;
  if (s.marker !== marker) t.fallback++;
  // Independent re-audit of the published object, percentages included.
  for (const iv of auditSuppressedCrosstab(s)) expect(iv, JSON.stringify({ counts, iv })).toMatchObject({ protected: true });
  const grid = [...s.flags.map((row, i) => [...row, s.rowTotalFlags[i]]), [...s.colTotalFlags, s.grandTotalFlag]];
  for (const line of [...grid, ...grid[0].map((_, j) => grid.map((row) => row[j]))]) {
    expect(line.filter((f) => f !== null).length).not.toBe(1);
  }
  counts.forEach((row, i) => row.forEach((v, j) => {
    if (v >= 1 && v < k) expect(s.flags[i][j]).toBe('primary');
    if (v === 0) expect(s.counts[i][j]).toBe(0);
    if (s.flags[i][j] === null) expect(s.counts[i][j]).toBe(v);
    if (s.rowPercent[i][j] !== null) expect(typeof s.counts[i][j] === 'number' && typeof s.rowTotals[i] === 'number').toBe(true);
    if (s.colPercent[i][j] !== null) expect(typeof s.counts[i][j] === 'number' && typeof s.colTotals[j] === 'number').toBe(true);
  }));
}

const tables = (rows: [number, number], cols: [number, number], max: number) =>
  fc.tuple(fc.integer({ min: rows[0], max: rows[1] }), fc.integer({ min: cols[0], max: cols[1] })).chain(([r, c]) =>
    fc.array(fc.array(fc.integer({ min: 0, max }), { minLength: c, maxLength: c }), { minLength: r, maxLength: r }));

describe('property: every published table passes an independent re-audit', () => {
  for (const marker of ['single', 'distinct'] as const) {
    it(`small tables (2×2…4×4, counts 0…20, k 3…6), ${marker} markers`, () => {
      fc.assert(
        fc.property(tables([2, 4], [2, 4], 20), fc.integer({ min: 3, max: 6 }), (counts, k) => checkPublished(counts, k, marker, `small ${marker}`)),
        { numRuns: 150, seed: 1212 },
      );
    });

    it(`larger tables (up to 6×8, counts 0…200, k = 5), ${marker} markers`, () => {
      fc.assert(
        fc.property(tables([2, 6], [2, 8], 200), (counts) => checkPublished(counts, 5, marker, `large ${marker}`)),
        { numRuns: 50, seed: 1213 },
      );
    });
  }
});

afterAll(() => {
  for (const [label, t] of Object.entries(tally)) {
    console.log(`suppressAudit ${label}: ${t.tables} tables, ${t.secondary} with secondary suppression, ${t.byAudit} needing more after the line rule (LP audit), ${t.fallback} fell back to one marker`);
  }
});
