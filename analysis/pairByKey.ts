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
export function pairByKey(pre: Record<string, number | null>, post: Record<string, number | null>): Pairing {
  const has = (rec: Record<string, number | null>, k: string) => rec[k] !== null && rec[k] !== undefined;
  const keys = [...new Set([...Object.keys(pre), ...Object.keys(post)])].sort();
  const pairs: KeyedPair[] = [];
  const preOnly: string[] = [];
  const postOnly: string[] = [];
  for (const key of keys) {
    const a = has(pre, key);
    const b = has(post, key);
    if (a && b) pairs.push({ key, pre: pre[key] as number, post: post[key] as number });
    else if (a) preOnly.push(key);
    else if (b) postOnly.push(key);
  }
  return { pairs, preOnly, postOnly };
}
