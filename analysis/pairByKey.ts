export interface KeyedPair {
  key: string;
  pre: number;
  post: number;
}

export interface Pairing {
  pairs: KeyedPair[];
  /** Keys with a pre score but no post score (drop-outs). */
  preOnly: string[];
  /** Keys with a post score but no pre score (late joiners). */
  postOnly: string[];
}

/**
 * Links two waves by participant key. A null score (unscorable under the instrument's missing-item rule)
 * counts as absent at that wave, so the participant lands in preOnly/postOnly rather than in a pair.
 */
export type KeyedScores = Record<string, number | null> | ReadonlyMap<string, number | null>;

const asMap = (scores: KeyedScores): ReadonlyMap<string, number | null> =>
  scores instanceof Map ? scores : new Map(Object.entries(scores));

export function pairByKey(pre: KeyedScores, post: KeyedScores): Pairing {
  // Maps, not object lookups: with 100,000 keys, dictionary-mode objects made pairing the slowest step.
  const a = asMap(pre);
  const b = asMap(post);
  const present = (v: number | null | undefined): v is number => v !== null && v !== undefined;
  const keySet = new Set(a.keys());
  for (const key of b.keys()) keySet.add(key);
  const keys = [...keySet].sort();
  const pairs: KeyedPair[] = [];
  const preOnly: string[] = [];
  const postOnly: string[] = [];
  for (const key of keys) {
    const x = a.get(key);
    const y = b.get(key);
    if (present(x) && present(y)) pairs.push({ key, pre: x, post: y });
    else if (present(x)) preOnly.push(key);
    else if (present(y)) postOnly.push(key);
  }
  return { pairs, preOnly, postOnly };
}
