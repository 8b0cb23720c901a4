/**
 * Pre/post change of a score by how often people took part: the linked pairs grouped into bands of
 * sessions attended (chosen by the evaluator, e.g. 1–2, 3–5, 6+), each band's n, mean change and 95% CI
 * (paired t, as pairedComparison). An association between taking part and change, not its effect: those
 * who come more often may differ from the start.
 */
import { bilingual } from './bilingual.js';
import type { KeyedPair } from './pairByKey.js';
import { pairedComparison } from './pairedComparison.js';

/** Sessions attended, from..to inclusive; `to` null = and more. */
export type AttendanceBand = { from: number; to: number | null };

export type BandChange = {
  band: AttendanceBand;
  label: string;
  n: number;
  /** Fewer than k people: their means and change are not shown (staff know who comes how often). */
  suppressed: boolean;
  preMean: number | null;
  postMean: number | null;
  meanChange: number | null;
  ci: [number, number] | null;
};

export const ASSOCIATION_NOTE = bilingual(
  '参加回数ごとの変化は「関連」であり、参加の「効果」ではありません。よく参加する人は、はじめから状態や意欲が違う可能性があります。比較の対照群もありません。',
  'Change by number of sessions is an association, not an effect: frequent participants may differ from the start, and there is no control group.',
);

export const bandLabel = (b: AttendanceBand) => (b.to === null ? `${b.from}回以上` : b.from === b.to ? `${b.from}回` : `${b.from}〜${b.to}回`);

/** Reads "1-2,3-5,6-" (or with 〜): ascending, non-overlapping bands; throws RangeError with what is wrong. */
export function parseBands(text: string): AttendanceBand[] {
  const bands = text.split(',').map((part) => {
    const m = part.normalize('NFKC').trim().match(/^(\d+)\s*(?:[-~〜]\s*(\d*))?$/);
    if (!m) throw new RangeError(`"${part}" is not a band (write 1-2, 3-5, 6-).`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : m[2] === '' ? null : Number(m[2]);
    if (to !== null && to < from) throw new RangeError(`"${part}" ends before it starts.`);
    return { from, to };
  });
  for (let i = 1; i < bands.length; i++) {
    const before = bands[i - 1];
    if (before.to === null || bands[i].from <= before.to) throw new RangeError('Bands must ascend without overlapping.');
  }
  return bands;
}

/**
 * Each pair falls in the band of its attendance count (keys without attendance count 0); pairs in no band
 * are counted apart. A band with 1..k−1 people keeps its n but not its scores: staff know who comes how
 * often, so one person's mean would be that person's score.
 */
export function changeByParticipation(pairs: KeyedPair[], sessionsAttended: ReadonlyMap<string, number>, bands: AttendanceBand[], suppressBelow = 0) {
  const inBand = (n: number, b: AttendanceBand) => n >= b.from && (b.to === null || n <= b.to);
  const grouped = bands.map(() => [] as KeyedPair[]);
  let outside = 0;
  for (const pair of pairs) {
    const attended = sessionsAttended.get(pair.key) ?? 0;
    const at = bands.findIndex((b) => inBand(attended, b));
    if (at < 0) outside++;
    else grouped[at].push(pair);
  }
  const rows: BandChange[] = bands.map((band, i) => {
    const result = pairedComparison(grouped[i]);
    if (result.n > 0 && result.n < suppressBelow) return { band, label: bandLabel(band), n: result.n, suppressed: true, preMean: null, postMean: null, meanChange: null, ci: null };
    return { band, label: bandLabel(band), n: result.n, suppressed: false, preMean: result.pre.mean, postMean: result.post.mean, meanChange: result.meanDiff, ci: result.tTest.ci };
  });
  return { rows, outside, suppressBelow, note: ASSOCIATION_NOTE };
}
