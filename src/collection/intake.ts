import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { invitations, questionnaireVersions, responses, waves } from '../db/schema.js';
import { problems } from '../http/problem.js';
import { keyedHash } from '../auth/secrets.js';
import { alreadyAnswered } from './waveState.js';
import { validateAnswers } from '../questionnaires/answerValidator.js';

type Wave = typeof waves.$inferSelect;
type Invitation = typeof invitations.$inferSelect;
type Version = typeof questionnaireVersions.$inferSelect;
type Response = typeof responses.$inferSelect;

export type Submission = {
  answers: Record<string, unknown>;
  status: 'complete' | 'partial';
  mode: 'web' | 'paper' | 'mail' | 'interview';
  idempotencyKey: string;
  participantCode?: string;
  lastPage?: string;
  startedAt?: Date;
};

export type Receipt = { id: string; status: Response['status']; submittedAt: string; replayed: boolean };

/**
 * Stores one response exactly once. The receipt is returned only after the commit, so an
 * acknowledged answer is never lost; a repeated idempotency key returns the first receipt.
 */
export async function submitResponse(
  database: Database,
  hashKey: string,
  target: { wave: Wave; version: Version; invitation?: Invitation },
  submission: Submission,
): Promise<Receipt> {
  const { wave, version, invitation } = target;
  if (invitation) {
    // A retry after the invitation was completed must replay its receipt, not answer "already answered".
    const replay = await findByKey(database, wave.id, submission.idempotencyKey);
    if (replay && replay.status === 'complete') return receipt(replay, true);
  }

  const errors = validateAnswers(version.id, version.definition, submission.answers, {
    requireComplete: submission.status === 'complete',
  });
  if (errors.length > 0) {
    throw problems.unprocessable(
      `Some answers are not valid: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
      errors,
      { title_ja: '回答内容を確認してください', detail_ja: errors.map((e) => `${e.field}: ${e.message_ja}`).join(' / ') },
    );
  }
  if (wave.askParticipantCode && !submission.participantCode && submission.status === 'complete') {
    throw problems.unprocessable('This survey needs your participant code.', [
      { field: 'participantCode', message: 'Enter the code printed on your card.', message_ja: 'カードに書かれた参加者コードを入力してください。' },
    ]);
  }
  const participantKeyHash = submission.participantCode
    ? keyedHash(hashKey, `${wave.studyId ?? wave.id}:${normaliseCode(submission.participantCode)}`)
    : null;

  const values = {
    organisationId: wave.organisationId,
    waveId: wave.id,
    versionId: version.id,
    invitationId: invitation?.id ?? null,
    data: submission.answers,
    status: submission.status,
    mode: submission.mode,
    idempotencyKey: submission.idempotencyKey,
    participantKeyHash,
    lastPage: submission.lastPage ?? null,
    startedAt: submission.startedAt ?? null,
  };
  const receiptColumns = { id: responses.id, status: responses.status, submittedAt: responses.submittedAt };
  // An open-link response is one row: a single INSERT is atomic, so the hot path needs no transaction.
  const stored = invitation
    ? await database.db.transaction(async (tx) => {
        // Locking the invitation serialises two submissions through one link.
        await tx.select({ id: invitations.id }).from(invitations).where(eq(invitations.id, invitation.id)).for('update');
        const [previous] = await tx.select().from(responses).where(eq(responses.invitationId, invitation.id));
        if (previous?.status === 'complete') throw alreadyAnswered();
        if (previous) await tx.delete(responses).where(eq(responses.id, previous.id));
        const [row] = await tx.insert(responses).values(values).onConflictDoNothing({ target: [responses.waveId, responses.idempotencyKey] }).returning(receiptColumns);
        if (row) await tx.update(invitations).set({ disposition: submission.status, updatedAt: new Date() }).where(eq(invitations.id, invitation.id));
        return row;
      })
    : (await insertOpenLinkResponse(database).execute(values))[0];
  if (stored) return receipt(stored, false);
  // A concurrent retry with the same key won the race: answer as it was answered.
  const winner = await findByKey(database, wave.id, submission.idempotencyKey);
  if (!winner) throw new Error('Idempotent insert found neither a new nor an existing row');
  return receipt(winner, true);
}

const preparedInserts = new WeakMap<Database, ReturnType<typeof prepareInsert>>();

function prepareInsert(database: Database) {
  const p = (name: string) => sql.placeholder(name);
  return database.db
    .insert(responses)
    .values({
      organisationId: p('organisationId'),
      waveId: p('waveId'),
      versionId: p('versionId'),
      invitationId: p('invitationId'),
      data: sql`${p('data')}::jsonb`,
      status: p('status'),
      mode: p('mode'),
      idempotencyKey: p('idempotencyKey'),
      participantKeyHash: p('participantKeyHash'),
      lastPage: p('lastPage'),
      startedAt: sql`${p('startedAt')}::timestamptz`,
    })
    // Saved progress (partial) is replaced by later answers under the same key; a complete response is final.
    .onConflictDoUpdate({
      target: [responses.waveId, responses.idempotencyKey],
      set: {
        data: sql`excluded.data`,
        status: sql`excluded.status`,
        participantKeyHash: sql`excluded.participant_key_hash`,
        lastPage: sql`excluded.last_page`,
        submittedAt: sql`now()`,
      },
      setWhere: sql`${responses.status} = 'partial'`,
    })
    .returning({ id: responses.id, status: responses.status, submittedAt: responses.submittedAt })
    .prepare('insert_open_link_response');
}

/** The open-link insert, prepared once per database: the busiest statement of the service. */
function insertOpenLinkResponse(database: Database) {
  let prepared = preparedInserts.get(database);
  if (!prepared) preparedInserts.set(database, (prepared = prepareInsert(database)));
  return { execute: (values: Record<string, unknown>) => prepared!.execute({ ...values, data: JSON.stringify(values.data), startedAt: (values.startedAt as Date | null)?.toISOString() ?? null }) };
}

async function findByKey(database: Database, waveId: string, key: string) {
  const [row] = await database.db
    .select({ id: responses.id, status: responses.status, submittedAt: responses.submittedAt })
    .from(responses)
    .where(and(eq(responses.waveId, waveId), eq(responses.idempotencyKey, key)))
    .limit(1);
  return row;
}

function receipt(row: Pick<Response, 'id' | 'status' | 'submittedAt'>, replayed: boolean): Receipt {
  return { id: row.id, status: row.status, submittedAt: row.submittedAt.toISOString(), replayed };
}

/** Codes written on cards get typed with varying case, spaces and full-width characters. */
export function normaliseCode(code: string): string {
  return code.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
}
