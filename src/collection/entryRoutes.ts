import { and, desc, eq, isNotNull } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { audit } from '../accounts/audit.js';
import { owned } from '../auth/scope.js';
import { requireRole, type Staff, type StaffEnv } from '../auth/staff.js';
import type { Database } from '../db/database.js';
import { invitations, questionnaireVersions, responses, staffLabel, users } from '../db/schema.js';
import { readJson } from '../http/json.js';
import { uuidParam } from '../http/params.js';
import { problems } from '../http/problem.js';
import { checkAnswers } from '../questionnaires/answerValidator.js';
import { loadOwnedWave } from './loaders.js';

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
    })
    .from(responses)
    .leftJoin(invitations, eq(invitations.id, responses.invitationId))
    .leftJoin(users, eq(users.id, responses.enteredBy))
    .where(and(owned(responses, staff), eq(responses.waveId, waveId), isNotNull(responses.enteredBy)))
    .orderBy(desc(responses.submittedAt));
}

/** A correction of an entered return: its answers again (checked like any other), and optionally its status or mode. */
const correctionSchema = z
  .object({
    answers: z.record(z.string().max(200), z.unknown()),
    status: z.enum(['complete', 'partial']).optional(),
    mode: z.enum(['paper', 'mail', 'interview']).optional(),
  })
  .strict();

/**
 * Returns entered by staff (paper, mail, interview): listed per wave with who entered them,
 * corrected and deleted by editors. Every change is audited with the answers before and after.
 * Participants' own answers are not changed here.
 */
export function entryRoutes(database: Database) {
  const { db } = database;
  const app = new Hono<StaffEnv>();

  app.get('/waves/:id/entries', async (c) => {
    const staff = c.get('staff');
    const { wave } = await loadOwnedWave(database, staff, c.req.param('id'));
    return c.json({ entries: await enteredReturns(database, staff, wave.id) });
  });

  app.patch('/responses/:id', requireRole('editor'), async (c) => {
    const staff = c.get('staff');
    const entry = await loadEntry(staff, c.req.param('id'));
    const input = await readJson(c, correctionSchema);
    const status = input.status ?? entry.response.status;
    const { answers, errors } = checkAnswers(entry.version.id, entry.version.definition, input.answers, { requireComplete: status === 'complete' });
    if (!answers) {
      throw problems.unprocessable(`Some answers are not valid: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, errors, {
        title_ja: '回答内容を確認してください',
        detail_ja: errors.map((e) => `${e.field}: ${e.message_ja}`).join(' / '),
      });
    }
    const updated = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(responses)
        .set({ data: answers, status, mode: input.mode ?? entry.response.mode })
        .where(eq(responses.id, entry.response.id))
        .returning();
      if (row.invitationId) await tx.update(invitations).set({ disposition: status, updatedAt: new Date() }).where(eq(invitations.id, row.invitationId));
      await audit(tx, staff, 'response.corrected', row.id, {
        waveId: row.waveId,
        before: { data: entry.response.data, status: entry.response.status, mode: entry.response.mode },
        after: { data: row.data, status: row.status, mode: row.mode },
      });
      return row;
    });
    return c.json({ id: updated.id, status: updated.status, mode: updated.mode, data: updated.data });
  });

  app.delete('/responses/:id', requireRole('editor'), async (c) => {
    const staff = c.get('staff');
    const { response } = await loadEntry(staff, c.req.param('id'));
    await db.transaction(async (tx) => {
      await tx.delete(responses).where(eq(responses.id, response.id));
      // The unit has not answered after all.
      if (response.invitationId) await tx.update(invitations).set({ disposition: 'pending', updatedAt: new Date() }).where(eq(invitations.id, response.invitationId));
      await audit(tx, staff, 'response.deleted', response.id, {
        waveId: response.waveId,
        before: { data: response.data, status: response.status, mode: response.mode, enteredBy: response.enteredBy },
      });
    });
    return c.body(null, 204);
  });

  /** A staff-entered return of the caller's organisation (participants' own answers answer 404). */
  async function loadEntry(staff: Staff, id: string) {
    const [row] = await db
      .select({ response: responses, version: questionnaireVersions })
      .from(responses)
      .innerJoin(questionnaireVersions, eq(questionnaireVersions.id, responses.versionId))
      .where(and(owned(responses, staff, uuidParam(id, 'Response')), isNotNull(responses.enteredBy)));
    if (!row) throw problems.notFound('Entered return', '職員が入力した回答が見つかりません。');
    return row;
  }

  return app;
}
