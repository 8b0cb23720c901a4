import { bilingual } from './bilingual.js';
import { cronbachAlpha, type CronbachAlphaResult } from './cronbachAlpha.js';
import { mcnemar, type McNemarResult } from './mcnemar.js';
import { pairByKey, type KeyedPair } from './pairByKey.js';
import { pairedComparison, type PairedComparisonResult } from './pairedComparison.js';
import { scoreInstrument } from './scoreInstrument.js';
import type { ScaleDefinition } from './scoringSchema.js';
import type { ResultMeta } from './types.js';
import { welchComparison, type WelchComparisonResult } from './welchComparison.js';

/** One response of a wave: its participant key (null when not given) and its answers, oldest first. */
export interface WaveAnswers {
  key: string | null;
  answers: Record<string, unknown>;
  /** To name a response in the list of duplicates. */
  id?: string;
  submittedAt?: string;
}

/**
 * What to do with a participant key that answered a wave more than once (a shared or mistyped code):
 * leave it out of pairing (the default: neither answer can be trusted to be that person's), or use
 * its first or latest answer.
 */
export type DuplicatePolicy = 'exclude' | 'first' | 'latest';
export const DUPLICATE_POLICIES: DuplicatePolicy[] = ['exclude', 'first', 'latest'];

/** A key that answered one wave more than once, with its responses oldest first. */
export interface DuplicateKey {
  responses: { id?: string; submittedAt?: string; score: number | null }[];
}

export interface WaveScoring {
  responses: number;
  scored: number;
  /** Responses whose score is missing under the instrument's rule, with the reasons counted. */
  unscorable: number;
  reasons: Record<string, number>;
  withoutKey: number;
  /** Keys that answered more than once, and what was done with them (duplicatePolicy). */
  duplicateKeys: number;
  duplicates: DuplicateKey[];
  alpha: CronbachAlphaResult;
}

export interface PrePostReport extends ResultMeta {
  duplicatePolicy: DuplicatePolicy;
  scale: { id: string; variant?: string; range: { min: number; max: number } };
  pre: WaveScoring;
  post: WaveScoring;
  paired: PairedComparisonResult | null;
  /** Linked scores for a paired plot. */
  pairs: { pre: number; post: number }[];
  /** McNemar on the scale's dichotomy (e.g. lonely yes/no), when it has one. */
  dichotomy: (McNemarResult & { label: unknown }) | null;
  /** Only when no participant keys link the waves: an unpaired comparison, labelled as such. */
  unpaired: WelchComparisonResult | null;
}

function scoreWave(scale: ScaleDefinition, responses: WaveAnswers[], policy: DuplicatePolicy) {
  type Keyed = { score: number | null; lonely: boolean | null; id?: string; submittedAt?: string };
  const answersOf = new Map<string, Keyed[]>();
  const unkeyedScores: number[] = [];
  const reasons: Record<string, number> = {};
  const items: (number | null)[][] = [];
  let scored = 0;
  // scoreInstrument reads only the scale's item answers, so responses with the same item answers share one
  // result (a 3-item 4-point scale has at most a few dozen patterns, whatever the number of responses).
  const memo = new Map<string, ReturnType<typeof scoreInstrument>>();
  for (const response of responses) {
    let signature = '';
    for (const item of scale.items) {
      const value = response.answers[item.question];
      signature += `${typeof value === 'number' ? value : JSON.stringify(value ?? null)}|`;
    }
    let result = memo.get(signature);
    if (!result) {
      result = scoreInstrument(scale, response.answers);
      memo.set(signature, result);
    }
    items.push(result.itemScores);
    if (result.score === null) reasons[result.reasonMissing ?? 'missing'] = (reasons[result.reasonMissing ?? 'missing'] ?? 0) + 1;
    else scored += 1;
    if (response.key === null) {
      if (result.score !== null) unkeyedScores.push(result.score);
      continue;
    }
    const keyed = answersOf.get(response.key) ?? [];
    keyed.push({ score: result.score, lonely: result.dichotomy, id: response.id, submittedAt: response.submittedAt });
    answersOf.set(response.key, keyed);
  }
  const byKey = new Map<string, Keyed>();
  const duplicates: DuplicateKey[] = [];
  const duplicatedKeys = new Set<string>();
  for (const [key, keyed] of answersOf) {
    if (keyed.length > 1) {
      duplicates.push({ responses: keyed.map(({ id, submittedAt, score }) => ({ id, submittedAt, score })) });
      duplicatedKeys.add(key);
    }
    if (keyed.length > 1 && policy === 'exclude') continue;
    byKey.set(key, policy === 'first' ? keyed[0] : keyed[keyed.length - 1]);
  }
  const summary: WaveScoring = {
    responses: responses.length,
    scored,
    unscorable: responses.length - scored,
    reasons,
    withoutKey: responses.filter((r) => r.key === null).length,
    duplicateKeys: duplicates.length,
    duplicates,
    alpha: cronbachAlpha(items),
  };
  const allScores = [...unkeyedScores, ...[...byKey.values()].flatMap((v) => (v.score === null ? [] : [v.score]))];
  return { summary, byKey, allScores, duplicatedKeys };
}

/** Both waves scored, then linked by participant key under the duplicate policy. */
function link(scale: ScaleDefinition, pre: WaveAnswers[], post: WaveAnswers[], duplicatePolicy: DuplicatePolicy) {
  const a = scoreWave(scale, pre, duplicatePolicy);
  const b = scoreWave(scale, post, duplicatePolicy);
  // A code left out in one wave is left out in the other too, not counted as having answered once.
  if (duplicatePolicy === 'exclude') {
    for (const key of b.duplicatedKeys) a.byKey.delete(key);
    for (const key of a.duplicatedKeys) b.byKey.delete(key);
  }
  const scores = (m: typeof a.byKey) => new Map([...m].map(([k, v]) => [k, v.score]));
  return { a, b, pairing: pairByKey(scores(a.byKey), scores(b.byKey)) };
}

/** The linked pre/post scores with their participant keys, as prePostReport pairs them (for joining other records by key). */
export function linkedScores(scale: ScaleDefinition, pre: WaveAnswers[], post: WaveAnswers[], duplicatePolicy: DuplicatePolicy = 'exclude'): KeyedPair[] {
  return link(scale, pre, post, duplicatePolicy).pairing.pairs;
}

/**
 * A pre/post comparison of an instrument score across two waves of a study: scored with the
 * instrument's own rules, paired by participant key, with attrition stated.
 */
export function prePostReport(scale: ScaleDefinition, pre: WaveAnswers[], post: WaveAnswers[], duplicatePolicy: DuplicatePolicy = 'exclude'): PrePostReport {
  const warnings: string[] = [];
  const { a, b, pairing } = link(scale, pre, post, duplicatePolicy);
  for (const [name, wave] of [['pre', a.summary], ['post', b.summary]] as const) {
    const nameJa = name === 'pre' ? '事前' : '事後';
    if (wave.duplicateKeys > 0) {
      const done = { exclude: 'left out of pairing', first: 'their first answer is used', latest: 'their latest answer is used' }[duplicatePolicy];
      const done_ja = { exclude: 'ペアの対象から除いています', first: '最初の回答を使っています', latest: '最新の回答を使っています' }[duplicatePolicy];
      warnings.push(bilingual(
        `${nameJa}で同じ参加者コードの回答が ${wave.duplicateKeys} 件の参加者で複数あります（${done_ja}）。`,
        `${wave.duplicateKeys} ${name} participant key(s) answered more than once: ${done}.`,
      ));
    }
    if (wave.withoutKey > 0) {
      warnings.push(bilingual(
        `${nameJa}の回答 ${wave.withoutKey} 件は参加者コードがないため、ペアにできません。`,
        `${wave.withoutKey} ${name} response(s) had no participant key and cannot be paired.`,
      ));
    }
    if (wave.unscorable > 0) {
      warnings.push(bilingual(
        `${nameJa}の回答 ${wave.unscorable} 件は、尺度の欠損項目の規則により得点を計算できません。`,
        `${wave.unscorable} ${name} response(s) could not be scored under the instrument's missing-item rule.`,
      ));
    }
  }

  const linked = pairing.pairs.length > 0;
  const paired = linked ? pairedComparison(pairing.pairs, { preOnly: pairing.preOnly.length, postOnly: pairing.postOnly.length }) : null;

  let dichotomy: PrePostReport['dichotomy'] = null;
  if (scale.dichotomy && linked) {
    const binary = pairing.pairs.map((p) => ({ pre: a.byKey.get(p.key)!.lonely, post: b.byKey.get(p.key)!.lonely }));
    const usable = binary.filter((x): x is { pre: boolean; post: boolean } => x.pre !== null && x.post !== null);
    dichotomy = { ...mcnemar(usable), label: scale.dichotomy.label };
  }

  let unpaired: WelchComparisonResult | null = null;
  if (!linked) {
    warnings.push(bilingual(
      '2回の調査をつなぐ参加者コードがないため、対応のない比較（ウェルチの検定）として独立した2群とみなしています。',
      'No participant keys link the two waves: the comparison is unpaired (Welch) and treats them as independent groups.',
    ));
    if (a.allScores.length >= 2 && b.allScores.length >= 2) unpaired = welchComparison(a.allScores, b.allScores);
  }

  return {
    duplicatePolicy,
    scale: { id: scale.id, variant: (scale as { variant?: string }).variant, range: scale.range },
    pre: a.summary,
    post: b.summary,
    paired,
    pairs: pairing.pairs.map((p) => ({ pre: p.pre, post: p.post })),
    dichotomy,
    unpaired,
    method: bilingual(
      `${scale.id} の採点規則（逆転項目と欠損項目の規則）による得点の事前・事後比較。参加者コードの鍵付きハッシュで対応づけ、対応のとれた組だけで統計を計算。`,
      `Scores by the ${scale.id} scoring metadata (reverse keys and missing-item rule); participants linked by keyed hash of ` +
      'their participant code; paired statistics on linked pairs only.',
    ),
    warnings,
  };
}
