import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { owned } from '../auth/scope.js';
import { keyedHash } from '../auth/secrets.js';
import { requireRole, requireWholeOrganisation, type Staff, type StaffEnv } from '../auth/staff.js';
import { participantKey } from '../collection/intake.js';
import { loadOwnedWave } from '../collection/loaders.js';
import type { Database } from '../db/database.js';
import { activities, activitySessions, attendances, auditEvents, invitationMessages, invitations, responses, studies, waves } from '../db/schema.js';
import { apiRoute, apiRouter, failures, idParam, jsonBody, jsonResponse, lookupFirst } from '../http/openapi.js';
import { problems } from '../http/problem.js';
import { audit } from './audit.js';
import { dataDeletedSchema, dataExportSchema, retentionSchema } from './schemas.js';

/** Whose answers: an invitation token, or a participant code within a study or a wave. */
const subjectSchema = z
  .object({
    invitationToken: z.string().trim().min(16).max(64).regex(/^[A-Za-z0-9_-]+$/).optional(),
    participantCode: z.string().trim().min(1).max(64).optional(),
    studyId: z.uuid().optional(),
    waveId: z.uuid().optional(),
  })
  .strict()
  .refine((v) => (v.invitationToken ? !v.participantCode : !!v.participantCode), { message: 'Give either invitationToken or participantCode.' })
  .refine((v) => !v.participantCode || !!v.studyId !== !!v.waveId, { message: 'A participantCode needs exactly one of studyId or waveId.' });

type Subject = z.infer<typeof subjectSchema>;

/**
 * The responses of one participant. Participant codes are stored only as keyed hashes of
 * `${studyId ?? waveId}:${normalised code}` (see collection/intake.ts), so the same hash is rebuilt here.
 */
async function findResponses(database: Database, hashKey: string, staff: Staff, subject: Subject) {
  const { db } = database;
  if (subject.invitationToken) {
    const [invitation] = await db
      .select()
      .from(invitations)
      .where(and(owned(invitations, staff), eq(invitations.tokenHash, keyedHash(hashKey, subject.invitationToken))));
    if (!invitation) return { by: 'invitation' as const, rows: [] };
    const rows = await db.select().from(responses).where(and(owned(responses, staff), eq(responses.invitationId, invitation.id)));
    return { by: 'invitation' as const, rows, invitationId: invitation.id };
  }
  let scopeId: string;
  let waveIds: string[];
  if (subject.studyId) {
    const [study] = await db.select().from(studies).where(owned(studies, staff, subject.studyId));
    if (!study) throw problems.notFound('Study');
    scopeId = study.id;
    waveIds = (await db.select({ id: waves.id }).from(waves).where(and(owned(waves, staff), eq(waves.studyId, study.id)))).map((w) => w.id);
  } else {
    const { wave } = await loadOwnedWave(database, staff, subject.waveId!);
    scopeId = wave.studyId ?? wave.id;
    waveIds = wave.studyId
      ? (await db.select({ id: waves.id }).from(waves).where(and(owned(waves, staff), eq(waves.studyId, wave.studyId)))).map((w) => w.id)
      : [wave.id];
  }
  const hash = participantKey(hashKey, { id: scopeId, studyId: null }, subject.participantCode!);
  // Attendance at the study's activities is recorded under the same keyed hash (participation/records.ts).
  const attended = await db
    .select({ sessionId: attendances.sessionId })
    .from(attendances)
    .innerJoin(activitySessions, eq(activitySessions.id, attendances.sessionId))
    .innerJoin(activities, eq(activities.id, activitySessions.activityId))
    .where(and(owned(activities, staff), eq(activities.studyId, scopeId), eq(attendances.participantKeyHash, hash)));
  const person = { hash, attendedSessions: attended.map((a) => a.sessionId) };
  if (waveIds.length === 0) return { by: 'participant_code' as const, rows: [], person };
  const rows = await db
    .select()
    .from(responses)
    .where(and(owned(responses, staff), inArray(responses.waveId, waveIds), eq(responses.participantKeyHash, hash)));
  return { by: 'participant_code' as const, rows, person };
}

/** Export or delete one participant's answers (admin); both are recorded in the audit log. */
export function dataRightsRoutes(database: Database, hashKey: string) {
  const { db } = database;
  const app = apiRouter<StaffEnv>();
  const admin = [requireRole('admin'), requireWholeOrganisation()];

  const exportSubject = apiRoute({
    method: 'post',
    path: '/data-rights/export',
    summary: "Export one participant's answers, found by invitation token or participant code (admins, audited)",
    middleware: admin,
    request: { body: jsonBody(subjectSchema) },
    responses: { 200: jsonResponse(dataExportSchema, 'Their responses'), ...failures(400, 403, 404, 415) },
  });
  app.openapi(exportSubject, async (c) => {
    const staff = c.get('staff');
    const subject = c.req.valid('json');
    const found = await findResponses(database, hashKey, staff, subject);
    await audit(db, staff, 'data_rights.export', null, { by: found.by, count: found.rows.length, responseIds: found.rows.map((r) => r.id) });
    return c.json({
      by: found.by,
      n: found.rows.length,
      responses: found.rows.map((r) => ({ id: r.id, waveId: r.waveId, versionId: r.versionId, status: r.status, mode: r.mode, submittedAt: r.submittedAt, startedAt: r.startedAt, answers: r.data })),
      attendedSessions: 'person' in found ? (found.person?.attendedSessions ?? []) : [],
    });
  });

  const deleteSubject = apiRoute({
    method: 'post',
    path: '/data-rights/delete',
    summary: "Delete one participant's answers, found by invitation token or participant code (admins, audited)",
    middleware: admin,
    request: { body: jsonBody(subjectSchema) },
    responses: { 200: jsonResponse(dataDeletedSchema, 'How many were deleted'), ...failures(400, 403, 404, 415) },
  });
  app.openapi(deleteSubject, async (c) => {
    const staff = c.get('staff');
    const subject = c.req.valid('json');
    const found = await findResponses(database, hashKey, staff, subject);
    const ids = found.rows.map((r) => r.id);
    const deleted = await db.transaction(async (tx) => {
      const gone = ids.length ? await tx.delete(responses).where(and(owned(responses, staff), inArray(responses.id, ids))).returning({ id: responses.id, waveId: responses.waveId }) : [];
      // What else names the person: an invitation's e-mail address and send history; attendance by their code.
      let messages = 0;
      if ('invitationId' in found && found.invitationId) {
        await tx.update(invitations).set({ email: null, optedOutAt: new Date() }).where(and(owned(invitations, staff), eq(invitations.id, found.invitationId)));
        messages = (await tx.delete(invitationMessages).where(eq(invitationMessages.invitationId, found.invitationId)).returning({ id: invitationMessages.id })).length;
      }
      let attendance = 0;
      if ('person' in found && found.person?.attendedSessions.length) {
        attendance = (
          await tx
            .delete(attendances)
            .where(and(inArray(attendances.sessionId, found.person.attendedSessions), eq(attendances.participantKeyHash, found.person.hash)))
            .returning({ sessionId: attendances.sessionId })
        ).length;
      }
      await audit(tx, staff, 'data_rights.delete', null, { by: found.by, count: gone.length, responseIds: gone.map((r) => r.id), waveIds: [...new Set(gone.map((r) => r.waveId))], messages, attendance });
      return gone.length;
    });
    return c.json({ by: found.by, deleted });
  });

  /** How long a wave's answers are kept: deleted this many days after submission (null keeps them). */
  const setRetention = apiRoute({
    method: 'put',
    path: '/waves/{id}/retention',
    summary: "Set how many days after submission a wave's answers are deleted (null keeps them; admins)",
    middleware: [...admin, lookupFirst<StaffEnv>((c, id) => loadOwnedWave(database, c.get('staff'), id))],
    request: { params: idParam('Wave'), body: jsonBody(z.object({ retentionDays: z.number().int().min(1).max(36500).nullable() }).strict()) },
    responses: { 200: jsonResponse(retentionSchema, 'The retention'), ...failures(400, 403, 404, 415) },
  });
  app.openapi(setRetention, async (c) => {
    const staff = c.get('staff');
    const { wave } = await loadOwnedWave(database, staff, c.req.param('id'));
    const input = c.req.valid('json');
    await db.transaction(async (tx) => {
      await tx.update(waves).set({ retentionDays: input.retentionDays }).where(owned(waves, staff, wave.id));
      await audit(tx, staff, 'wave.retention_set', wave.id, { retentionDays: input.retentionDays, previous: wave.retentionDays });
    });
    return c.json({ waveId: wave.id, retentionDays: input.retentionDays });
  });

  return app;
}

/**
 * Deletes answers older than their wave's retention period, one wave per transaction with its audit
 * entry (audit entries outlive the answers). Safe to run from several processes at once.
 */
export async function sweepRetention(database: Database, now = new Date()): Promise<{ waveId: string; deleted: number }[]> {
  const { db } = database;
  const due = await db
    .select({ id: waves.id, organisationId: waves.organisationId, retentionDays: waves.retentionDays })
    .from(waves)
    .where(sql`${waves.retentionDays} is not null`);
  const done: { waveId: string; deleted: number }[] = [];
  for (const wave of due) {
    const cutoff = new Date(now.getTime() - wave.retentionDays! * 86_400_000);
    const deleted = await db.transaction(async (tx) => {
      const gone = await tx
        .delete(responses)
        .where(and(eq(responses.waveId, wave.id), lt(responses.submittedAt, cutoff)))
        .returning({ id: responses.id });
      if (gone.length > 0) {
        await tx.insert(auditEvents).values({
          organisationId: wave.organisationId,
          userId: null,
          action: 'retention.delete',
          target: wave.id,
          details: { deleted: gone.length, retentionDays: wave.retentionDays, submittedBefore: cutoff.toISOString() },
        });
      }
      return gone.length;
    });
    if (deleted > 0) done.push({ waveId: wave.id, deleted });
  }
  return done;
}
