import { and, desc, eq, isNotNull } from 'drizzle-orm';
import { audit } from '../accounts/audit.js';
import { owned } from '../auth/scope.js';
import { requireRole, type Staff, type StaffEnv } from '../auth/staff.js';
import type { Database } from '../db/database.js';
import { invitations, responses, staffLabel, users, waves } from '../db/schema.js';
import { apiRoute, apiRouter, failures, idParam, jsonBody, jsonResponse, lookupFirst, noContent } from '../http/openapi.js';
import { loadOwnedWave } from './loaders.js';
import { keyingRoutes } from './keyingRoutes.js';
import { correctEntry, loadEntry } from './entryCorrection.js';
import { participantKey } from './intake.js';
import { correctedSchema, correctionSchema, enteredReturnsSchema } from './schemas.js';

/** The staff-entered returns of a wave (of the caller's organisation), newest first. */
export async function enteredReturns(database: Database, staff: Staff, waveId: string) {
  return database.db
    .select({
      id: responses.id,
      mode: responses.mode,
      status: responses.status,
      unitId: invitations.unitId,
      enteredBy: staffLabel,
      submittedAt: responses.submittedAt,
      data: responses.data,
      spoiled: responses.spoiled,
    })
    .from(responses)
    .leftJoin(invitations, eq(invitations.id, responses.invitationId))
    .leftJoin(users, eq(users.id, responses.enteredBy))
    .where(and(owned(responses, staff), eq(responses.waveId, waveId), isNotNull(responses.enteredBy)))
    .orderBy(desc(responses.submittedAt));
}

async function waveOf(database: Database, waveId: string) {
  const [wave] = await database.db.select({ id: waves.id, studyId: waves.studyId }).from(waves).where(eq(waves.id, waveId));
  return wave;
}

/**
 * Returns entered by staff (paper, mail, interview): listed per wave with who entered them,
 * corrected and deleted by editors. Every change is audited with the answers before and after.
 * Participants' own answers are not changed here.
 */
export function entryRoutes(database: Database, hashKey: string) {
  const { db } = database;
  const app = apiRouter<StaffEnv>();
  const responseParams = idParam('Entered response');

  const entries = apiRoute({
    method: 'get',
    path: '/waves/{id}/entries',
    summary: 'Returns entered by staff for a wave, newest first, with who entered them',
    request: { params: idParam('Wave') },
    responses: { 200: jsonResponse(enteredReturnsSchema, 'The entered returns'), ...failures(404) },
  });
  app.openapi(entries, async (c) => {
    const staff = c.get('staff');
    const { wave } = await loadOwnedWave(database, staff, c.req.param('id'));
    return c.json({ entries: await enteredReturns(database, staff, wave.id) });
  });

  const correct = apiRoute({
    method: 'patch',
    path: '/responses/{id}',
    summary: 'Correct an entered return: its answers again (checked like any other), optionally its status, mode or participant code (audited)',
    middleware: [requireRole('editor'), lookupFirst<StaffEnv>((c, id) => loadEntry(database, c.get('staff'), id))],
    request: { params: responseParams, body: jsonBody(correctionSchema) },
    responses: { 200: jsonResponse(correctedSchema, 'The corrected return'), ...failures(400, 403, 404, 415, 422) },
  });
  app.openapi(correct, async (c) => {
    const staff = c.get('staff');
    const entry = await loadEntry(database, staff, c.req.param('id'));
    const input = c.req.valid('json');
    const { participantCode, ...correction } = input;
    const participantKeyHash = participantCode ? participantKey(hashKey, await waveOf(database, entry.response.waveId), participantCode) : undefined;
    const updated = await correctEntry(database, staff, entry, { ...correction, participantKeyHash });
    return c.json({ id: updated.id, status: updated.status, mode: updated.mode, data: updated.data, spoiled: updated.spoiled });
  });

  const remove = apiRoute({
    method: 'delete',
    path: '/responses/{id}',
    summary: 'Delete an entered return; its unit goes back to pending (audited with the answers)',
    middleware: requireRole('editor'),
    request: { params: responseParams },
    responses: { 204: noContent, ...failures(403, 404) },
  });
  app.openapi(remove, async (c) => {
    const staff = c.get('staff');
    const { response } = await loadEntry(database, staff, c.req.param('id'));
    await db.transaction(async (tx) => {
      await tx.delete(responses).where(eq(responses.id, response.id));
      // The unit has not answered after all.
      if (response.invitationId) await tx.update(invitations).set({ disposition: 'pending', updatedAt: new Date() }).where(eq(invitations.id, response.invitationId));
      await audit(tx, staff, 'response.deleted', response.id, {
        waveId: response.waveId,
        before: { data: response.data, spoiled: response.spoiled, status: response.status, mode: response.mode, enteredBy: response.enteredBy },
      });
    });
    return c.body(null, 204);
  });

  app.route('/', keyingRoutes(database));
  return app;
}
