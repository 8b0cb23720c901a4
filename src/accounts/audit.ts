import type { Db } from '../db/database.js';
import { auditEvents } from '../db/schema.js';

export type AuditActor = { organisationId: string; userId: string | null };

/** Records who did what; call inside the transaction of the change so the two commit together. */
export async function audit(db: Pick<Db, 'insert'>, actor: AuditActor, action: string, target: string | null, details: Record<string, unknown> = {}) {
  await db.insert(auditEvents).values({ organisationId: actor.organisationId, userId: actor.userId, action, target, details });
}
