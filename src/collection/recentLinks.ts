/**
 * Open links looked up in the last few seconds, for the submission endpoint: thousands of phones
 * answering one link would otherwise read the same wave thousands of times a second. A wave may
 * close while cached; the response writer checks that the wave is open in the INSERT itself, so a
 * stale entry only makes the refusal take the slow path. Unknown links are never cached, and pages
 * always read the database.
 */
export function recentLinks<T>(load: (slug: string) => Promise<T | undefined>, { ttlMs = 5000, limit = 1000 } = {}) {
  const seen = new Map<string, { value: T; until: number }>();
  return async (slug: string): Promise<T | undefined> => {
    const now = Date.now();
    const hit = seen.get(slug);
    if (hit && hit.until > now) return hit.value;
    const value = await load(slug);
    if (value !== undefined) {
      if (seen.size >= limit) seen.clear();
      seen.set(slug, { value, until: now + ttlMs });
    }
    return value;
  };
}
