/**
 * Scores one instrument scale from one response's answers, following the scale's metadata
 * (see scoringSchema.ts). Pure function: no I/O, no globals.
 */
import { bilingual } from './bilingual.js';
import type { Band, Dichotomy, MissingRule, ScaleDefinition, ScaleItem } from './scoringSchema.js';

export interface ScoreResult {
  scaleId: string;
  /** Total score, or null when the missing-item rule says the score is missing. */
  score: number | null;
  /** Subscale scores by subscale id (null when that subscale's rule says missing). */
  subscores: Record<string, number | null>;
  /** Why each null subscore is missing. */
  subscoreReasons: Record<string, string | null>;
  band: { id: string; label: Band['label'] } | null;
  /** Whether the score falls in the chosen dichotomy's "yes" bands; null if no score or no dichotomy. */
  dichotomy: boolean | null;
  /** The dichotomy used (default or the one chosen in options). */
  dichotomyId: string | null;
  answeredItems: number;
  /** Keyed (reversed where the item is reverse-keyed) score per item in scale order; null = missing. For reliability. */
  itemScores: (number | null)[];
  /** Question names whose answer is absent or not a valid answer for the item. */
  missingItems: string[];
  /** Subset of missingItems that had a value the item does not allow (counted as missing). */
  invalidItems: string[];
  reasonMissing: string | null;
}

export interface ScoreOptions {
  /** Use this dichotomy instead of the default (an id from dichotomy or alternativeDichotomies). */
  dichotomyId?: string;
}

/** Sums are rounded to this many decimals so that fractional item scores don't drift (0.1 + 0.2). */
const DECIMALS = 6;
const roundScore = (x: number) => Math.round(x * 10 ** DECIMALS) / 10 ** DECIMALS;

const isAbsent = (v: unknown) =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

type ItemOutcome = { kind: 'score'; score: number } | { kind: 'missing' } | { kind: 'invalid' };

function scoreItem(scale: ScaleDefinition, item: ScaleItem, raw: unknown): ItemOutcome {
  if (isAbsent(raw)) return { kind: 'missing' };
  if (item.valueMap !== undefined) {
    const map = scale.valueMaps?.[item.valueMap];
    if (!map) return { kind: 'invalid' };
    // Exact match first; then a textual match so that "1" from a CSV import matches 1.
    const hit =
      map.find((e) => e.value === raw) ??
      (typeof raw === 'string' || typeof raw === 'number' ? map.find((e) => String(e.value) === String(raw).trim()) : undefined);
    return hit ? { kind: 'score', score: hit.score } : { kind: 'invalid' };
  }
  const range = scale.answerValues;
  if (!range) return { kind: 'invalid' };
  let v: number;
  if (typeof raw === 'number') v = raw;
  else if (typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw)) v = Number(raw);
  else return { kind: 'invalid' };
  if (!Number.isInteger(v) || v < range.min || v > range.max) return { kind: 'invalid' };
  return { kind: 'score', score: item.reverse ? range.min + range.max - v : v };
}

function plural(n: number, word: string) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Applies a missing-item rule; returns the score or a reason (Japanese first, then English). */
function applyRule(
  rule: MissingRule,
  scores: number[],
  itemCount: number,
  invalid: string[],
): { score: number | null; reason: string | null } {
  const missingCount = itemCount - scores.length;
  const who = rule.ruleName ?? 'the scoring rule';
  const detail = () =>
    `${missingCount} of ${plural(itemCount, 'item')} missing` +
    (invalid.length ? ` (${invalid.join(', ')} had a value the item does not allow)` : '');
  const detailJa = () =>
    `${itemCount} 項目中 ${missingCount} 項目が欠損` + (invalid.length ? `（${invalid.join(', ')} の値はその項目で認められていません）` : '');
  if (rule.type === 'maxMissing') {
    if (missingCount > rule.max) {
      const allows = rule.max === 0 ? 'allows no missing items' : `allows at most ${rule.max}`;
      const allowsJa = rule.max === 0 ? '採点規則では欠損を認めていません' : `採点規則で認める欠損は ${rule.max} 項目までです`;
      return { score: null, reason: bilingual(`${detailJa()}。${allowsJa}。`, `${detail()}; ${who} ${allows}.`) };
    }
    return { score: roundScore(scores.reduce((a, b) => a + b, 0)), reason: null };
  }
  if (scores.length < rule.minAnswered) {
    return {
      score: null,
      reason: bilingual(
        `${detailJa()}。採点規則では、按分して得点を出すのに ${rule.minAnswered} 項目以上の回答が必要です。`,
        `${detail()}; ${who} needs at least ${rule.minAnswered} answered items to prorate.`,
      ),
    };
  }
  const sum = scores.reduce((a, b) => a + b, 0);
  const prorated = (sum * itemCount) / scores.length;
  return { score: roundScore(rule.rounding === 'nearest' ? Math.round(prorated) : prorated), reason: null };
}

export function bandFor(bands: readonly Band[] | undefined, score: number): Band | null {
  for (const b of bands ?? []) {
    if (b.min !== undefined && score < b.min) continue;
    if (b.max !== undefined && score > b.max) continue;
    if (b.lessThan !== undefined && !(score < b.lessThan)) continue;
    return b;
  }
  return null;
}

function chooseDichotomy(scale: ScaleDefinition, id: string | undefined): Dichotomy | null {
  if (id === undefined) return scale.dichotomy ?? null;
  const all = [...(scale.dichotomy ? [scale.dichotomy] : []), ...(scale.alternativeDichotomies ?? [])];
  const d = all.find((x) => x.id === id);
  if (!d) {
    throw new Error(
      `Scale "${scale.id}" has no dichotomy "${id}"; available: ${all.map((x) => x.id).join(', ') || 'none'}.`,
    );
  }
  return d;
}

export function scoreInstrument(
  scale: ScaleDefinition,
  answers: Record<string, unknown>,
  options: ScoreOptions = {},
): ScoreResult {
  const dichotomyDef = chooseDichotomy(scale, options.dichotomyId);
  const itemScores = new Map<string, number>();
  const missingItems: string[] = [];
  const invalidItems: string[] = [];
  for (const item of scale.items) {
    const out = scoreItem(scale, item, answers[item.question]);
    if (out.kind === 'score') itemScores.set(item.question, out.score);
    else {
      missingItems.push(item.question);
      if (out.kind === 'invalid') invalidItems.push(item.question);
    }
  }

  const total = applyRule(scale.missing, [...itemScores.values()], scale.items.length, invalidItems);

  const subscores: Record<string, number | null> = {};
  const subscoreReasons: Record<string, string | null> = {};
  for (const sub of scale.subscales ?? []) {
    const scores = sub.items.filter((q) => itemScores.has(q)).map((q) => itemScores.get(q)!);
    const r = applyRule(
      sub.missing,
      scores,
      sub.items.length,
      sub.items.filter((q) => invalidItems.includes(q)),
    );
    subscores[sub.id] = r.score;
    subscoreReasons[sub.id] = r.reason;
  }

  const band = total.score === null ? null : bandFor(scale.bands, total.score);
  let dichotomy: boolean | null = null;
  if (total.score !== null && dichotomyDef) {
    dichotomy = band === null ? null : dichotomyDef.yesBands.includes(band.id);
  }

  return {
    scaleId: scale.id,
    score: total.score,
    subscores,
    subscoreReasons,
    band: band ? { id: band.id, label: band.label } : null,
    dichotomy,
    dichotomyId: dichotomyDef?.id ?? null,
    answeredItems: itemScores.size,
    itemScores: scale.items.map((item) => itemScores.get(item.question) ?? null),
    missingItems,
    invalidItems,
    reasonMissing: total.reason,
  };
}
