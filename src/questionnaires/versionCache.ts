/**
 * What was built from one questionnaire version, kept by version id. Published versions never
 * change, so nothing goes stale; the bound only keeps a long-running server's memory flat (the
 * oldest entry makes room).
 */
export class VersionCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(versionId: string): V | undefined {
    return this.entries.get(versionId);
  }

  set(versionId: string, value: V): V {
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(versionId, value);
    return value;
  }
}
