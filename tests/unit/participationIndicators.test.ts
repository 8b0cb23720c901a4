import { describe, expect, it } from 'vitest';
import { achievement, participationIndicators, type AttendanceRecord, type SessionRecord } from '../../analysis/participationIndicators.js';

const day = (start: string, offset: number) => new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

describe('participation indicators from records', () => {
  it('抱樸-style records: 32 sessions, 443 attendances, 98 first-timers give exactly those figures', () => {
    // 98 people: the first 80 come 5 times, 18 come once; 443 = 80·5 + 18 + 25 returning visits by 5 earlier regulars.
    const sessions: SessionRecord[] = Array.from({ length: 32 }, (_, i) => ({ id: `s${i}`, heldOn: day('2025-04-05', i * 7) }));
    const earlier: SessionRecord = { id: 'before', heldOn: '2025-03-01' };
    const attendances: AttendanceRecord[] = [];
    for (let p = 0; p < 80; p++) for (let k = 0; k < 5; k++) attendances.push({ sessionId: `s${(p + k * 6) % 32}`, person: `n${p}` });
    for (let p = 0; p < 18; p++) attendances.push({ sessionId: `s${p}`, person: `once${p}` });
    for (let p = 0; p < 5; p++) {
      attendances.push({ sessionId: 'before', person: `old${p}` });
      for (let k = 0; k < 5; k++) attendances.push({ sessionId: `s${p * 5 + k}`, person: `old${p}` });
    }
    const result = participationIndicators({ sessions: [earlier, ...sessions], attendances, period: { from: '2025-04-01', to: '2026-03-31' } });
    expect(result.sessions).toBe(32);
    expect(result.attendances).toBe(443);
    expect(result.newcomers).toBe(98);
    expect(result.returning).toBe(5);
    expect(result.unique).toBe(103);
    expect(result.averagePerSession).toBe(13.8); // 443 / 32 = 13.84…
  });

  it('Kanuma 居場所 (counts only): 124 session records and 60 attendances against 120 days / 延べ 420', () => {
    const sessions: SessionRecord[] = Array.from({ length: 124 }, (_, i) => ({ id: `d${i}`, heldOn: day('2023-04-03', i * 2), headcount: i < 60 ? 1 : 0 }));
    const result = participationIndicators({ sessions, attendances: [], period: { from: '2023-04-01', to: '2024-03-31' } });
    expect(result.sessions).toBe(124);
    expect(result.attendances).toBe(60);
    expect(result.unique).toBeNull(); // no codes: 実人数 cannot be counted, and is not shown as 0
    expect(result.countsOnlySessions).toBe(124);
    expect(achievement(result.sessions, 120)).toBe(103.3);
    expect(achievement(result.attendances, 420)).toBe(14.3);
  });

  it('Kanuma volunteer course: 18 attendances by 9 codes against 実人数 8 / 延べ 24', () => {
    const sessions: SessionRecord[] = [0, 1, 2].map((i) => ({ id: `c${i}`, heldOn: `2023-10-0${i + 1}` }));
    const attendances: AttendanceRecord[] = [];
    for (let p = 0; p < 9; p++) for (const s of p < 3 ? [0, 1, 2] : p < 6 ? [0, 1] : [2]) attendances.push({ sessionId: `c${s}`, person: `v${p}` });
    expect(attendances).toHaveLength(18);
    const result = participationIndicators({ sessions, attendances, period: { from: '2023-04-01', to: '2024-03-31' } });
    expect(result.unique).toBe(9);
    expect(result.attendances).toBe(18);
    expect(result.everySession).toBe(3);
    expect(achievement(result.unique, 8)).toBe(112.5);
    expect(achievement(result.attendances, 24)).toBe(75);
  });

  it('per month, continuation m → m+1, sites and themes; the period bounds are inclusive', () => {
    const sessions: SessionRecord[] = [
      { id: 'a', heldOn: '2025-06-01', site: '本町', theme: '料理' },
      { id: 'b', heldOn: '2025-06-30', site: '浜町', theme: '体操' },
      { id: 'c', heldOn: '2025-07-15', site: '本町', theme: '料理' },
      { id: 'x', heldOn: '2025-08-01', site: '本町' }, // after the period
    ];
    const attendances: AttendanceRecord[] = [
      { sessionId: 'a', person: 'p1' },
      { sessionId: 'a', person: 'p2' },
      { sessionId: 'b', person: 'p2' },
      { sessionId: 'b', person: 'p3' },
      { sessionId: 'b', person: 'p4' },
      { sessionId: 'c', person: 'p1' },
      { sessionId: 'x', person: 'p9' },
    ];
    const r = participationIndicators({ sessions, attendances, period: { from: '2025-06-01', to: '2025-07-31' } });
    expect(r.perMonth).toEqual([
      { month: '2025-06', sessions: 2, attendances: 5, unique: 4, averagePerSession: 2.5 },
      { month: '2025-07', sessions: 1, attendances: 1, unique: 1, averagePerSession: 1 },
    ]);
    expect(r.retention).toEqual([{ from: '2025-06', to: '2025-07', base: 4, continued: 1, percent: 25 }]);
    expect(r.continuation).toBe(25);
    // Per site, over that site's own sessions: 本町 has p1 in June and July (continued), p2 in June only.
    expect(r.bySite).toEqual([
      { group: '本町', sessions: 2, attendances: 3, unique: 2, newcomers: 2, returning: 0, averagePerSession: 1.5, everySession: 1, continuation: 50 },
      { group: '浜町', sessions: 1, attendances: 3, unique: 3, newcomers: 3, returning: 0, averagePerSession: 3, everySession: 3, continuation: null },
    ]);
    expect(r.byTheme.map((g) => g.group)).toEqual(['料理', '体操']);
    expect(r.everySession).toBe(0);
  });

  it('counts-only sessions add their new/repeat breakdown; 全回出席 is not computable beside them', () => {
    const sessions: SessionRecord[] = [
      { id: 'a', heldOn: '2025-06-01' },
      { id: 'b', heldOn: '2025-06-08', headcount: 12, breakdown: { status: { new: 4, repeat: 8 } } },
    ];
    const r = participationIndicators({ sessions, attendances: [{ sessionId: 'a', person: 'p1' }], period: { from: '2025-06-01', to: '2025-06-30' } });
    expect(r.attendances).toBe(13);
    expect(r.newcomers).toBe(5);
    expect(r.returning).toBe(8);
    expect(r.everySession).toBeNull();
    expect(r.countsOnlyBreakdown).toEqual({ status: { new: 4, repeat: 8 } });
  });

  it('sums counts-only breakdowns by age band and sex over the period', () => {
    const sessions: SessionRecord[] = [
      { id: 'a', heldOn: '2025-06-01', headcount: 10, breakdown: { age: { '70代': 6, '80代以上': 4 }, sex: { 女性: 7, 男性: 3 } } },
      { id: 'b', heldOn: '2025-06-08', headcount: 5, breakdown: { age: { '70代': 5 } } },
      { id: 'c', heldOn: '2025-07-08', headcount: 9, breakdown: { age: { '70代': 9 } } }, // outside
    ];
    const r = participationIndicators({ sessions, attendances: [], period: { from: '2025-06-01', to: '2025-06-30' } });
    expect(r.countsOnlyBreakdown).toEqual({ age: { '70代': 11, '80代以上': 4 }, sex: { 女性: 7, 男性: 3 } });
    expect(r.newcomers).toBeNull();
  });

  it('achievement needs a positive target', () => {
    expect(achievement(5, 0)).toBeNull();
    expect(achievement(null, 10)).toBeNull();
    expect(achievement(1, 3)).toBe(33.3);
    expect(achievement(2, 3)).toBe(66.7);
  });
});
