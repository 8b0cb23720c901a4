import { describe, expect, it } from 'vitest';
import { openLinkSummary, responseRates, type FrameCount, type FrameUnit } from '../../analysis/index.js';
import { goldens } from './fixtures.js';

// Kesennuma frame as printed (mission.md): every invited organisation that did not answer is 'pending'.
const kesennuma: FrameCount[] = [
  { group: { city: '大船渡市' }, disposition: 'complete', count: 15 },
  { group: { city: '大船渡市' }, disposition: 'pending', count: 34 },
  { group: { city: '陸前高田市' }, disposition: 'complete', count: 16 },
  { group: { city: '陸前高田市' }, disposition: 'pending', count: 23 },
  { group: { city: '気仙沼市' }, disposition: 'complete', count: 37 },
  { group: { city: '気仙沼市' }, disposition: 'pending', count: 59 },
];

describe('responseRates (aggregated input)', () => {
  const res = responseRates(kesennuma, { by: ['city'] });
  const golden = goldens.rounding.kesennuma;

  it('gives the Kesennuma simple rates per city and overall, correctly rounded', () => {
    expect(res.groups.map((g) => g.group.city)).toEqual(['大船渡市', '陸前高田市', '気仙沼市']);
    for (const g of res.groups) {
      const gold = golden[g.group.city as string];
      expect(g.counts.frame).toBe(gold.frame);
      expect(g.counts.complete).toBe(gold.complete);
      expect(g.n).toBe(gold.frame);
      expect(g.rates.simple).toBe(gold.percent);
    }
    expect(res.groups.map((g) => g.rates.simple)).toEqual([30.61, 41.03, 38.54]);
    expect(res.overall.rates.simple).toBe(36.96);
    expect(res.overall.counts.frame).toBe(184);
    expect(res.n).toBe(184);
  });

  it('with no partials, ineligibles or unknowns, RR1–RR6 all equal the simple rate', () => {
    for (const key of ['rr1', 'rr2', 'rr3', 'rr4', 'rr5', 'rr6'] as const) expect(res.overall.rates[key]).toBe(36.96);
  });

  it('states the rounding rule and the disposition mapping', () => {
    expect(res.rounding).toMatch(/half up/);
    expect(res.rounding).toMatch(/2 decimals/);
    expect(res.method).toMatch(/pending \(no answer at close\)→NC/);
    expect(res.method).toMatch(/RR1 = I\/\(\(I\+P\)\+\(R\+NC\+O\)\+U\)/);
    expect(res.warnings).toEqual([]);
  });

  it('shows declared levels with no units', () => {
    const r = responseRates(kesennuma, { by: ['city'], levels: { city: ['住田町', '大船渡市'] } });
    expect(r.groups[0].group.city).toBe('住田町');
    expect(r.groups[0].rates.simple).toBeNull();
    expect(r.groups).toHaveLength(4);
  });
});

describe('AAPOR rates with full dispositions', () => {
  // I=40 P=10 R=15 NC=20 (10 non-contact + 10 pending) U=10 ineligible=5; golden by hand with exact fractions:
  // known eligible 85, e = 85/90; RR3 denominator 85 + 10·85/90 = 94.444…
  const rows: FrameCount[] = [
    { group: { type: 'NPO' }, disposition: 'complete', count: 40 },
    { group: { type: 'NPO' }, disposition: 'partial', count: 10 },
    { group: { type: 'NPO' }, disposition: 'refused', count: 15 },
    { group: { type: 'NPO' }, disposition: 'non-contact', count: 10 },
    { group: { type: 'NPO' }, disposition: 'pending', count: 10 },
    { group: { type: 'NPO' }, disposition: 'unknown', count: 10 },
    { group: { type: 'NPO' }, disposition: 'ineligible', count: 5 },
  ];
  it('computes RR1–RR6 and the simple rate', () => {
    const r = responseRates(rows);
    expect(r.e).toBeCloseTo(85 / 90, 12);
    expect(r.overall.counts).toMatchObject({ frame: 100, complete: 40, partial: 10, refusal: 15, nonContact: 20, unknown: 10, ineligible: 5 });
    expect(r.overall.rates).toEqual({
      simple: 42.11, // 40/95 = 42.105…
      rr1: 42.11, // 40/95
      rr2: 52.63, // 50/95 = 52.631…
      rr3: 42.35, // 40/94.444… = 42.352…
      rr4: 52.94, // 50/94.444… = 52.941…
      rr5: 47.06, // 40/85 = 47.058…
      rr6: 58.82, // 50/85 = 58.823…
    });
  });
  it('moves pending to unknown eligibility when asked, and honours a given e', () => {
    const r = responseRates(rows, { pendingAs: 'unknown', e: 0.5 });
    expect(r.overall.counts.unknown).toBe(20);
    expect(r.overall.counts.nonContact).toBe(10);
    expect(r.overall.rates.rr3).toBe(47.06); // known eligible 40+10+15+10 = 75; 40/(75 + 0.5·20) = 40/85
    expect(r.overall.rates.rr1).toBe(42.11); // 40/95
    expect(r.overall.rates.rr5).toBe(53.33); // 40/75
    expect(r.method).toMatch(/pending \(no answer at close\)→U/);
  });
});

describe('responseRates (unit input) and two breakdowns', () => {
  const units: FrameUnit[] = [
    ...Array.from({ length: 3 }, () => ({ attributes: { city: 'A', type: 'NPO' }, disposition: 'complete' as const })),
    ...Array.from({ length: 1 }, () => ({ attributes: { city: 'A', type: 'NPO' }, disposition: 'pending' as const })),
    ...Array.from({ length: 2 }, () => ({ attributes: { city: 'A', type: '社福' }, disposition: 'partial' as const })),
    ...Array.from({ length: 2 }, () => ({ attributes: { city: 'B', type: 'NPO' }, disposition: 'complete' as const })),
    ...Array.from({ length: 2 }, () => ({ attributes: { city: 'B', type: 'NPO' }, disposition: 'ineligible' as const })),
    { attributes: { city: null, type: 'NPO' }, disposition: 'refused' as const },
  ];
  it('matches the aggregated path and reports margins', () => {
    const r = responseRates(units, { by: ['city', 'type'] });
    const ab = r.groups.find((g) => g.group.city === 'A' && g.group.type === 'NPO');
    expect(ab?.rates.simple).toBe(75);
    const bn = r.groups.find((g) => g.group.city === 'B' && g.group.type === 'NPO');
    expect(bn?.n).toBe(2);
    expect(bn?.rates.simple).toBe(100);
    expect(r.margins.city.map((g) => [g.group.city, g.n, g.rates.simple])).toEqual([
      ['A', 6, 50],
      ['B', 2, 100],
      [null, 1, 0],
    ]);
    expect(r.overall.n).toBe(9);
    expect(r.overall.rates.simple).toBe(55.56); // 5/9
    expect(r.overall.rates.rr2).toBe(77.78); // 7/9
    expect(r.warnings.join(' ')).toMatch(/1 frame unit/);
  });
});

describe('openLinkSummary', () => {
  it('counts completes, partials and break-off by page, with no rate', () => {
    const s = openLinkSummary(
      [
        { status: 'complete', count: 12 },
        { status: 'partial', lastPage: 'p2', count: 3 },
        { status: 'partial', lastPage: 'p1' },
        { status: 'partial', lastPage: null },
      ],
      { pageOrder: ['p1', 'p2', 'p3'] },
    );
    expect(s.n).toBe(17);
    expect(s.completes).toBe(12);
    expect(s.partials).toBe(5);
    expect(s.breakOffByPage).toEqual([
      { page: 'p1', count: 1 },
      { page: 'p2', count: 3 },
      { page: 'p3', count: 0 },
      { page: null, count: 1 },
    ]);
    expect(s).not.toHaveProperty('rate');
    expect(s.method).toMatch(/no response rate/);
    expect(s.warnings).toHaveLength(1);
  });
});
