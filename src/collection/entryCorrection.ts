import { and, eq, isNotNull } from 'drizzle-orm';
import { audit } from '../accounts/audit.js';
import { owned } from '../auth/scope.js';
import type { Staff } from '../auth/staff.js';
import type { Database } from '../db/database.js';
import { invitations, questionnaireVersions, responses } from '../db/schema.js';
import { uuidParam } from '../http/params.js';
import { problems } from '../http/problem.js';
import { checkAnswers } from '../questionnaires/answerValidator.js';
import { answersRefused } from './answerProblem.js';
import { requiresEveryAnswer } from './intake.js';
import { keyedReturn } from './spoiledAnswers.js';

type Entry = Awaited<ReturnType<typeof loadEntry>>;
type Transaction = Parameters<Parameters<Database['db']['transaction']>[0]>[0];

/**
 * Replaces an entered return's answers (checked as staff entry is: blanks are missing) and, when given,
 * its status and mode; its unit follows the status. Audited with before and after; `alongside` runs in
 * the same transaction (double entry marks its keying resolved there).
 */
export async function correctEntry(
  database: Database,
  staff: Staff,
  entry: Entry,
  input: { answers: Record<string, unknown>; spoiled: string[]; status?: 'complete' | 'partial'; mode?: 'paper' | 'mail' | 'interview'; participantKeyHash?: string },
  alongside?: (tx: Transaction) => Promise<unknown>,
) {
  const status = input.status ?? entry.response.status;
  const definition = entry.version.definition;
  const spoiled = keyedReturn(definition, input.answers, input.spoiled);
  const { answers, errors } = checkAnswers(entry.version.id, definition, input.answers, { requireComplete: requiresEveryAnswer(status, true) });
  if (!answers) throw answersRefused(definition, errors);
  return database.db.transaction(async (tx) => {
    const [row] = await tx
      .update(responses)
      .set({ data: answers, spoiled, status, mode: input.mode ?? entry.response.mode, participantKeyHash: input.participantKeyHash ?? entry.response.participantKeyHash })
      .where(eq(responses.id, entry.response.id))
      .returning();
    if (row.invitationId) await tx.update(invitations).set({ disposition: status, updatedAt: new Date() }).where(eq(invitations.id, row.invitationId));
    await audit(tx, staff, 'response.corrected', row.id, {
      waveId: row.waveId,
      before: { data: entry.response.data, spoiled: entry.response.spoiled, status: entry.response.status, mode: entry.response.mode },
      after: { data: row.data, spoiled: row.spoiled, status: row.status, mode: row.mode },
      // Whether the pairing key was set or replaced; the code itself never reaches the log.
      ...(input.participantKeyHash ? { participantCode: entry.response.participantKeyHash ? 'replaced' : 'added' } : {}),
    });
    await alongside?.(tx);
    return row;
  });
}

/** A staff-entered return of the caller's organisation (participants' own answers answer 404). */
export async function loadEntry(database: Database, staff: Staff, id: string) {
  const [row] = await database.db
    .select({ response: responses, version: questionnaireVersions })
    .from(responses)
    .innerJoin(questionnaireVersions, eq(questionnaireVersions.id, responses.versionId))
    .where(and(owned(responses, staff, uuidParam(id, 'Response')), isNotNull(responses.enteredBy)));
  if (!row) throw problems.notFound('Entered return', '職員が入力した回答が見つかりません。');
  return row;
}
