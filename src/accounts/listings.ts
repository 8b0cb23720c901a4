import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Staff } from '../auth/staff.js';
import { owned } from '../auth/scope.js';
import type { Db } from '../db/database.js';
import { apiTokens, auditEvents, organisations, studyGrants, users } from '../db/schema.js';
import { AT_FORMAT, auditBefore, auditCursor, type AuditPosition } from './auditCursor.js';
import { describeUser } from './authRoutes.js';

/**
 * What the account API and the account staff pages both show, read the same way for both so a page
 * never shows more than the API would: users, API tokens, the audit log and organisation settings.
 */

export const auditQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    before: auditBefore.optional(),
    action: z.string().max(100).optional(),
  })
  .strict();

export type AuditQuery = z.infer<typeof auditQuery>;

export function describeToken(t: typeof apiTokens.$inferSelect) {
  return { id: t.id, label: t.label, role: t.role, userId: t.userId, createdAt: t.createdAt, revokedAt: t.revokedAt };
}

export async function grantsOf(db: Db, staff: Staff, userIds: string[]) {
  const map = new Map<string, string[]>();
  if (userIds.length === 0) return map;
  const rows = await db.select().from(studyGrants).where(and(eq(studyGrants.organisationId, staff.organisationId), inArray(studyGrants.userId, userIds)));
  for (const r of rows) map.set(r.userId, [...(map.get(r.userId) ?? []), r.studyId]);
  return map;
}

/** The organisation's users; `studyIds` is null for whole-organisation access. */
export async function listUsers(db: Db, staff: Staff) {
  const rows = await db.select().from(users).where(owned(users, staff)).orderBy(users.createdAt);
  const grants = await grantsOf(db, staff, rows.map((r) => r.id));
  return rows.map((u) => ({ ...describeUser(u), studyIds: u.studyScoped ? (grants.get(u.id) ?? []) : null }));
}

/** The caller's own API tokens, or with `all` (whole-organisation admins) every token of the organisation. */
export async function listTokens(db: Db, staff: Staff, all = false) {
  const organisationTokens = owned(apiTokens, { ...staff, studyIds: null });
  const rows = await db
    .select()
    .from(apiTokens)
    .where(all ? organisationTokens : and(organisationTokens, eq(apiTokens.userId, staff.userId)))
    .orderBy(desc(apiTokens.createdAt));
  return rows.map(describeToken);
}

/** Audit events of the caller's organisation, newest first; `next` is the `before` of the following page. */
export async function listAudit(db: Db, staff: Staff, q: AuditQuery) {
  const rows = await db
    .select({
      id: auditEvents.id,
      at: auditEvents.at,
      action: auditEvents.action,
      target: auditEvents.target,
      details: auditEvents.details,
      userId: auditEvents.userId,
      userEmail: users.email,
      userName: users.name,
      cursorAt: sql<string>`to_char(${auditEvents.at} at time zone 'UTC', ${AT_FORMAT})`,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.userId))
    .where(and(eq(auditEvents.organisationId, staff.organisationId), q.before ? olderThan(q.before) : undefined, q.action ? eq(auditEvents.action, q.action) : undefined))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(q.limit);
  const last = rows.length === q.limit ? rows[rows.length - 1] : undefined;
  return { events: rows.map(({ cursorAt: _, ...event }) => event), next: last ? auditCursor(last.cursorAt, last.id) : null };
}

function olderThan(position: AuditPosition) {
  const at = sql`${position.at}::timestamptz`;
  return position.id ? sql`(${auditEvents.at}, ${auditEvents.id}) < (${at}, ${position.id}::uuid)` : lt(auditEvents.at, at);
}

export function describeOrganisation(org: typeof organisations.$inferSelect) {
  return { id: org.id, name: org.name, suppressionK: org.suppressionK, contact: org.contact, supportContacts: org.supportContacts, createdAt: org.createdAt };
}

export async function organisationSettings(db: Db, staff: Staff) {
  const [org] = await db.select().from(organisations).where(eq(organisations.id, staff.organisationId));
  return describeOrganisation(org);
}

/** The actions that occur in the organisation's audit log, for the audit page's filter. */
export async function auditActions(db: Db, staff: Staff): Promise<string[]> {
  const rows = await db
    .selectDistinct({ action: auditEvents.action })
    .from(auditEvents)
    .where(eq(auditEvents.organisationId, staff.organisationId))
    .orderBy(auditEvents.action);
  return rows.map((r) => r.action);
}
