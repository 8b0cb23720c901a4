import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crosstab, suppress, type CrosstabResult } from '../../analysis/index.js';

function table(counts: number[][]): CrosstabResult {
  return crosstab({
    rowCategories: counts.map((_, i) => ({ code: `r${i}`, label: `r${i}` })),
    colCategories: counts[0].map((_, j) => ({ code: `c${j}`, label: `c${j}` })),
    cells: counts.flatMap((row, i) => row.map((count, j) => ({ row: `r${i}`, col: `c${j}`, count }))),
  });
}

/** Every row and column of the grid (cells + margin) with its flags. */
function lineFlags(s: ReturnType<typeof suppress>): (string | null)[][] {
  const grid = [...s.flags.map((row, i) => [...row, s.rowTotalFlags[i]]), [...s.colTotalFlags, s.grandTotalFlag]];
  const rows = grid;
  const cols = grid[0].map((_, j) => grid.map((row) => row[j]));
  return [...rows, ...cols];
}

describe('suppress', () => {
  const t = table([
    [12, 3, 20],
    [15, 9, 7],
    [8, 6, 0],
  ]);

  it('one marker: replaces 1..k−1 with "x" and protects it through its row and column', () => {
    const s = suppress(t, 5, { marker: 'single' });
    expect(s.flags).toEqual([
      ['secondary', 'primary', null],
      [null, null, null],
      ['secondary', 'secondary', null],
    ]);
    expect(s.counts).toEqual([
      ['x', 'x', 20],
      [15, 9, 7],
      ['x', 'x', 0],
    ]);
    expect(s.rowTotals).toEqual([35, 31, 14]);
    expect(s.colTotals).toEqual([35, 18, 27]);
    expect(s.grandTotal).toBe(80);
    expect(s.primaryCount).toBe(1);
    expect(s.secondaryCount).toBe(3);
    expect(s.rowPercent[0]).toEqual([null, null, 57.14]);
    expect(s.colPercent[2][2]).toBe(0); // zeros are not suppressed
    expect(s.method).toMatch(/k = 5/);
    expect(s.audit).toMatchObject({ passed: true, addedByAudit: 0 });
  });

  it('distinct markers: "<k" says 1…k−1 and "x" says k or more, so the audit asks for more', () => {
    // With "x" ≥ 5 the hidden 12 of the first row would be known to be 11…14: narrower than k.
    const s = suppress(t, 5);
    expect(s.marker).toBe('distinct');
    expect(s.counts).toEqual([
      ['x', '<5', 'x'],
      ['x', 'x', 'x'],
      ['x', 'x', 0],
    ]);
    expect(s.rowTotals).toEqual([35, 'x', 'x']);
    expect(s.colTotals).toEqual([35, 18, 27]);
    expect(s.audit.passed).toBe(true);
    expect(s.audit.addedByAudit).toBeGreaterThan(0);
    expect(s.audit.intervals.find((iv) => iv.i === 0 && iv.j === 1)).toMatchObject({ min: 1, max: 4 });
  });

  it('no row or column is left with a single hidden entry', () => {
    for (const line of lineFlags(suppress(t, 5))) expect(line.filter((f) => f !== null).length).not.toBe(1);
  });

  it('suppresses small margins too', () => {
    const s = suppress(table([[2, 1], [30, 40]]), 5);
    expect(s.rowTotalFlags[0]).toBe('primary'); // row total 3
    expect(s.flags[0]).toEqual(['primary', 'primary']);
    for (const line of lineFlags(s)) expect(line.filter((f) => f !== null).length).not.toBe(1);
  });

  it('k = 0 turns suppression off', () => {
    const s = suppress(t, 0);
    expect(s.counts).toEqual(t.counts);
    expect(s.primaryCount + s.secondaryCount).toBe(0);
  });

  it('property: all small counts hidden, no line with exactly one hidden entry, visible values unchanged', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((r) =>
          fc.tuple(
            fc.array(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 3, maxLength: 3 }), { minLength: r, maxLength: r }),
            fc.integer({ min: 2, max: 10 }),
          ),
        ),
        ([counts, k]) => {
          const tab = table(counts);
          const s = suppress(tab, k);
          counts.forEach((row, i) => row.forEach((v, j) => {
            if (v >= 1 && v < k) expect(s.flags[i][j]).toBe('primary');
            if (s.flags[i][j] === null) expect(s.counts[i][j]).toBe(v);
          }));
          for (const line of lineFlags(s)) expect(line.filter((f) => f !== null).length).not.toBe(1);
        },
      ),
      { numRuns: 100, seed: 20240611 },
    );
  });
});
