import { and, asc, count, eq, gte, lte, sql } from 'drizzle-orm';
import type { AttendanceRecord, SessionRecord } from '../../analysis/participationIndicators.js';
import type { Staff } from '../auth/staff.js';
import { owned } from '../auth/scope.js';
import { participantKey } from '../collection/intake.js';
import type { Database } from '../db/database.js';
import { activities, activitySessions, activityTargets, attendances } from '../db/schema.js';
import { uuidParam } from '../http/params.js';
import { problems } from '../http/problem.js';

export type Activity = typeof activities.$inferSelect;

/** An activity of the caller's organisation, or 404. */
export async function loadOwnedActivity(database: Database, staff: Staff, id: string): Promise<Activity> {
  const [row] = await database.db.select().from(activities).where(owned(activities, staff, uuidParam(id, 'Activity')));
  if (!row) throw problems.notFound('Activity', '事業が見つかりません。');
  return row;
}

/** A session and its activity, both of the caller's organisation, or 404. */
export async function loadOwnedSession(database: Database, staff: Staff, id: string) {
  const [row] = await database.db
    .select({ session: activitySessions, activity: activities })
    .from(activitySessions)
    .innerJoin(activities, eq(activities.id, activitySessions.activityId))
    .where(sql`${owned(activities, staff)} and ${activitySessions.id} = ${uuidParam(id, 'Session')}`);
  if (!row) throw problems.notFound('Session', '開催回が見つかりません。');
  return row;
}

/**
 * A participant code as attendance stores it: the same keyed hash as the study's pre/post answers
 * (intake.ts), so attendance and answers meet without the code being kept.
 */
export function attendanceKey(hashKey: string, activity: Activity, code: string): string {
  return participantKey(hashKey, activity, code);
}

/** Everything the indicators need of one activity: its sessions and who was present. */
export async function activityRecords(database: Database, activity: Activity): Promise<{ sessions: SessionRecord[]; attendances: AttendanceRecord[] }> {
  const { db } = database;
  const [sessions, present] = await Promise.all([
    db.select().from(activitySessions).where(eq(activitySessions.activityId, activity.id)).orderBy(asc(activitySessions.heldOn)),
    db
      .select({ sessionId: attendances.sessionId, person: attendances.participantKeyHash })
      .from(attendances)
      .innerJoin(activitySessions, eq(activitySessions.id, attendances.sessionId))
      .where(eq(activitySessions.activityId, activity.id)),
  ]);
  return { sessions, attendances: present };
}

export async function activityTargetRows(database: Database, activity: Activity) {
  return database.db.select().from(activityTargets).where(eq(activityTargets.activityId, activity.id)).orderBy(asc(activityTargets.periodFrom), asc(activityTargets.indicator));
}

/** Sessions of the activity (in the period) each participant key was recorded at. */
export async function attendedSessions(database: Database, activityId: string, from?: string, to?: string): Promise<Map<string, number>> {
  const rows = await database.db
    .select({ key: attendances.participantKeyHash, n: count() })
    .from(attendances)
    .innerJoin(activitySessions, eq(activitySessions.id, attendances.sessionId))
    .where(and(eq(activitySessions.activityId, activityId), from ? gte(activitySessions.heldOn, from) : undefined, to ? lte(activitySessions.heldOn, to) : undefined))
    .groupBy(attendances.participantKeyHash);
  return new Map(rows.map((r) => [r.key, r.n]));
}

/** Participant codes present at a session, from every device. */
export async function presentAt(database: Database, sessionId: string): Promise<number> {
  const [{ present }] = await database.db.select({ present: count() }).from(attendances).where(eq(attendances.sessionId, sessionId));
  return present;
}

/** Codes as attendance stores them, each person once. */
export const attendanceKeys = (hashKey: string, activity: Activity, codes: string[]) => [...new Set(codes.map((code) => attendanceKey(hashKey, activity, code)))];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The period asked for (YYYY-MM-DD), else from the first to the last session recorded ('' when there is none). */
export function periodOf(sessions: { heldOn: string }[], from: string | undefined, to: string | undefined) {
  return {
    from: from && DAY.test(from) ? from : (sessions[0]?.heldOn ?? ''),
    to: to && DAY.test(to) ? to : (sessions.at(-1)?.heldOn ?? ''),
  };
}
