import { percent, ROUNDING_RULE } from './rounding.js';
import { scoreInstrument } from './scoreInstrument.js';
import type { LocalisedText, ScaleDefinition } from './scoringSchema.js';
import { distributionSummary, type DistributionSummary, type ValueCount } from './weightedDescriptives.js';

/** One distinct combination of a scale's item answers and how many respondents gave it. */
export interface AnswerPattern {
  answers: Record<string, unknown>;
  count: number;
}

export interface ScoreDistribution extends DistributionSummary {
  scaleId: string;
  label: LocalisedText;
  range: { min: number; max: number };
  /** What a higher score means (from the scale), when the scale says. */
  direction?: LocalisedText;
  /** Respondents whose answers gave no score under the scale's missing-item rule. */
  unscorable: number;
  /** Count per score value, lowest first. */
  scores: ValueCount[];
  /** Count and % of scored respondents per band, in the scale's order. */
  bands: { id: string; label: LocalisedText; count: number; percent: number | null }[];
  decimals: number;
  rounding: string;
}

/**
 * An instrument's score over a wave: every pattern is scored with the scale's own rule (scoreInstrument),
 * so the distribution, bands and unscorable count are exactly what scoring each response would give.
 */
export function scoreDistribution(scale: ScaleDefinition, patterns: readonly AnswerPattern[], decimals = 1): ScoreDistribution {
  const byScore = new Map<number, number>();
  const byBand = new Map<string, number>();
  let unscorable = 0;
  for (const { answers, count } of patterns) {
    const result = scoreInstrument(scale, answers);
    if (result.score === null) {
      unscorable += count;
      continue;
    }
    byScore.set(result.score, (byScore.get(result.score) ?? 0) + count);
    if (result.band) byBand.set(result.band.id, (byBand.get(result.band.id) ?? 0) + count);
  }
  const scores = [...byScore].map(([value, count]) => ({ value, count })).sort((a, b) => a.value - b.value);
  const summary = distributionSummary(scores);
  return {
    scaleId: scale.id,
    label: scale.label,
    range: scale.range,
    ...(scale.direction ? { direction: scale.direction } : {}),
    ...summary,
    unscorable,
    scores,
    bands: (scale.bands ?? []).map((b) => ({ id: b.id, label: b.label, count: byBand.get(b.id) ?? 0, percent: percent(byBand.get(b.id) ?? 0, summary.n, decimals) })),
    decimals,
    rounding: ROUNDING_RULE,
  };
}
