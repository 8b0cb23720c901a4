import { inArray } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { invitations } from '../db/schema.js';
import { accessCode, accessCodeHash, invitationToken, tokenHash } from './invitationLinks.js';

/** What an invitation stores for one issue of its link: the issue number and the keyed hashes. */
export type LinkIssue = { tokenIssue: number; tokenHash: string; accessCodeHash: string };

function hashesOf(hashKey: string, invitationId: string, issue: number): LinkIssue {
  return {
    tokenIssue: issue,
    tokenHash: tokenHash(hashKey, invitationToken(hashKey, invitationId, issue)),
    accessCodeHash: accessCodeHash(hashKey, accessCode(hashKey, invitationId, issue)),
  };
}

/**
 * The first issue at or after each invitation's `from` whose access code no other invitation holds (codes
 * are unique across the instance). A collision among 32^8 codes is rare, so this loops at most once or twice.
 */
export async function freeIssues(tx: Db, hashKey: string, wanted: { id: string; from: number }[]): Promise<Map<string, LinkIssue>> {
  const chosen = new Map(wanted.map((w) => [w.id, hashesOf(hashKey, w.id, w.from)]));
  let pending = wanted.map((w) => w.id);
  // Codes settled earlier in this batch: not yet in the table, but taken all the same.
  const settled = new Set<string>();
  while (pending.length > 0) {
    const hashes = pending.map((id) => chosen.get(id)!.accessCodeHash);
    const taken = new Set<string>();
    // Chunks keep each query under PostgreSQL's limit of 65,535 parameters.
    for (let i = 0; i < hashes.length; i += 10_000) {
      const rows = await tx.select({ hash: invitations.accessCodeHash }).from(invitations).where(inArray(invitations.accessCodeHash, hashes.slice(i, i + 10_000)));
      for (const row of rows) taken.add(row.hash!);
    }
    const clash = (id: string) => {
      const hash = chosen.get(id)!.accessCodeHash;
      return taken.has(hash) || settled.has(hash) || !settled.add(hash);
    };
    pending = pending.filter(clash);
    for (const id of pending) chosen.set(id, hashesOf(hashKey, id, chosen.get(id)!.tokenIssue + 1));
  }
  return chosen;
}
