import { bilingual } from './bilingual.js';

export const DIRECT_STANDARDISATION_METHOD = bilingual(
  '直接標準化: 全国の性・年齢層別の割合 p_s を、全国の表にある層の回答者に占めるその層の人数の割合 w_s で重み付けして足し合わせた Σ w_s · p_s',
  'Direct standardisation: each national sex × age-band percentage weighted by the share of the sample in that stratum, Σ w_s · p_s (w_s = sample count_s / sample respondents in strata the national table has)',
);

/** One stratum of a national table: its percentages by category (as published). */
export type StratumRates = { stratum: string; percents: Record<string, number> };

export type Standardised = {
  /** The national distribution had the nation the sample's mix: per category, Σ w_s · p_s. */
  percents: Record<string, number>;
  /** Each stratum's weight (the sample's share), in the national table's order. */
  weights: { stratum: string; count: number; share: number }[];
  /** Sample respondents in strata the national table has: the base of the weights. */
  base: number;
  /** Sample strata the national table lacks; their respondents are left out of the comparison. */
  unmatched: { stratum: string; count: number }[];
  method: string;
};

/**
 * Puts national rates on the sample's own sex × age-band mix, so a programme of older women is set
 * beside older women of the nation rather than beside everyone aged 16+. A category a stratum does not
 * publish makes that category's figure null (it cannot be standardised), never a guess.
 */
export function directStandardisation(categories: string[], national: StratumRates[], sample: { stratum: string; count: number }[]): Standardised {
  const rates = new Map(national.map((s) => [s.stratum, s.percents]));
  const matched = sample.filter((s) => s.count > 0 && rates.has(s.stratum));
  const base = matched.reduce((a, s) => a + s.count, 0);
  const countOf = new Map(matched.map((s) => [s.stratum, s.count]));
  const weights = national.map((s) => {
    const count = countOf.get(s.stratum) ?? 0;
    return { stratum: s.stratum, count, share: base ? count / base : 0 };
  });
  const percents: Record<string, number> = {};
  if (base > 0) {
    for (const c of categories) {
      const used = weights.filter((w) => w.count > 0);
      if (used.every((w) => typeof rates.get(w.stratum)![c] === 'number')) {
        percents[c] = used.reduce((a, w) => a + w.share * rates.get(w.stratum)![c], 0);
      }
    }
  }
  const unmatched = sample.filter((s) => s.count > 0 && !rates.has(s.stratum)).map(({ stratum, count }) => ({ stratum, count }));
  return { percents, weights, base, unmatched, method: DIRECT_STANDARDISATION_METHOD };
}
