import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { invitations, questionnaireVersions, responses, waves } from '../db/schema.js';
import { problems } from '../http/problem.js';
import { keyedHash } from '../auth/secrets.js';
import { responseWriter } from './responseWriter.js';
import { alreadyAnswered, closedReason, unavailableLink } from './waveState.js';
import { checkAnswers } from '../questionnaires/answerValidator.js';
import { answersRefused, unitAnswered } from './answerProblem.js';
import { keyedReturn } from './spoiledAnswers.js';

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
  /** Staff entry only: questions marked 判読不能・無効 on the paper (see spoiledAnswers.ts). */
  spoiled?: string[];
};

export type Receipt = { id: string; status: Response['status']; submittedAt: string; replayed: boolean };

/**
 * Stores one response exactly once. The receipt is returned only after the commit, so an
 * acknowledged answer is never lost; a repeated idempotency key returns the first receipt.
 */
export async function submitResponse(
  database: Database,
  hashKey: string,
  target: { wave: Wave; version: Version; invitation?: Invitation; enteredBy?: string },
  submission: Submission,
): Promise<Receipt> {
  const { wave, version, invitation } = target;
  if (invitation) {
    // A retry after the invitation was completed must replay its receipt, not answer "already answered".
    const replay = await findByKey(database, wave.id, submission.idempotencyKey);
    if (replay) assertOwnKey(replay, invitation);
    if (replay && replay.status === 'complete') return receipt(replay, true);
  }

  const keyedByStaff = target.enteredBy !== undefined;
  const spoiled = keyedByStaff ? keyedReturn(version.definition, submission.answers, submission.spoiled ?? []) : [];
  const { answers, errors } = checkAnswers(version.id, version.definition, submission.answers, {
    requireComplete: requiresEveryAnswer(submission.status, keyedByStaff),
  });
  if (!answers) {
    throw answersRefused(version.definition, errors);
  }
  // A paper that came back without a code is still a return: staff keep it (it counts, unpaired); see missingCodeWarning.
  if (wave.askParticipantCode && !submission.participantCode && submission.status === 'complete' && !keyedByStaff) {
    throw problems.unprocessable(
      'This survey needs your participant code.',
      [{ field: 'participantCode', message: 'Enter the code printed on your card.', message_ja: 'カードに書かれた参加者コードを入力してください。' }],
      { title_ja: '参加者コードを入力してください', detail_ja: 'このアンケートには参加者コードが必要です。カードに書かれた参加者コードを入力してください。' },
    );
  }
  const participantKeyHash = submission.participantCode ? participantKey(hashKey, wave, submission.participantCode) : null;

  const values = {
    organisationId: wave.organisationId,
    waveId: wave.id,
    versionId: version.id,
    invitationId: invitation?.id ?? null,
    data: answers,
    status: submission.status,
    mode: submission.mode,
    idempotencyKey: submission.idempotencyKey,
    participantKeyHash,
    lastPage: submission.lastPage ?? null,
    startedAt: submission.startedAt ?? null,
    enteredBy: target.enteredBy ?? null,
    spoiled,
  };
  const receiptColumns = { id: responses.id, status: responses.status, submittedAt: responses.submittedAt };
  // Without an invitation a response is one row, written in a batch; invitations need their lock.
  const stored = invitation
    ? await database.db.transaction(async (tx) => {
        // Locking the invitation serialises two submissions through one link.
        await tx.select({ id: invitations.id }).from(invitations).where(eq(invitations.id, invitation.id)).for('update');
        const [holder] = await tx
          .select({ invitationId: responses.invitationId })
          .from(responses)
          .where(and(eq(responses.waveId, wave.id), eq(responses.idempotencyKey, submission.idempotencyKey)));
        if (holder) assertOwnKey(holder, invitation);
        const [previous] = await tx.select().from(responses).where(eq(responses.invitationId, invitation.id));
        if (previous?.status === 'complete') throw keyedByStaff ? unitAnswered(invitation.unitId) : alreadyAnswered();
        if (previous) await tx.delete(responses).where(eq(responses.id, previous.id));
        const [row] = await tx.insert(responses).values(values).onConflictDoNothing({ target: [responses.waveId, responses.idempotencyKey] }).returning(receiptColumns);
        if (row) await tx.update(invitations).set({ disposition: submission.status, updatedAt: new Date() }).where(eq(invitations.id, invitation.id));
        return row;
      })
    : await responseWriter(database).write(values);
  if (stored) return receipt(stored, false);
  // Answered before under this key (a retry, or one racing it): answer as it was answered.
  const winner = await findByKey(database, wave.id, submission.idempotencyKey);
  if (winner) {
    assertOwnKey(winner, invitation);
    return receipt(winner, true);
  }
  // The open-link insert takes nothing once the wave closed, even if the caller saw it open.
  const [current] = await database.db.select().from(waves).where(eq(waves.id, wave.id));
  throw (current && closedReason(current)) ?? unavailableLink();
}

/**
 * A key belongs to the link that first used it: an invitation's key cannot replay or replace
 * through the open link or another invitation, nor the other way round.
 */
function assertOwnKey(row: { invitationId: string | null }, invitation: Invitation | undefined) {
  if (row.invitationId === (invitation?.id ?? null)) return;
  throw problems.conflict('This idempotency key was already used through another link to this survey. Send your answers with a new key.', {
    title_ja: 'この送信キーは使われています',
    detail_ja: 'この送信キーは、このアンケートの別のリンクで使われています。新しいキーで送信してください。',
  });
}

async function findByKey(database: Database, waveId: string, key: string) {
  const [row] = await database.db
    .select({ id: responses.id, status: responses.status, submittedAt: responses.submittedAt, invitationId: responses.invitationId })
    .from(responses)
    .where(and(eq(responses.waveId, waveId), eq(responses.idempotencyKey, key)))
    .limit(1);
  return row;
}

function receipt(row: Pick<Response, 'id' | 'status' | 'submittedAt'>, replayed: boolean): Receipt {
  return { id: row.id, status: row.status, submittedAt: row.submittedAt.toISOString(), replayed };
}

/**
 * Whether required questions must be answered. Online, a complete response has every required answer:
 * the form asks for it. A return keyed by staff is the paper as it came back, and paper cannot insist:
 * it is complete when it came back, its blanks stored as missing (not answered) and every answer that
 * was written still checked (choices, ranges, validators, conditions).
 */
export function requiresEveryAnswer(status: 'complete' | 'partial', keyedByStaff: boolean): boolean {
  return status === 'complete' && !keyedByStaff;
}

/** The keyed hash that pairs a participant's answers across the waves of a study (or within a lone wave). */
export function participantKey(hashKey: string, wave: Pick<Wave, 'id' | 'studyId'>, code: string): string {
  return keyedHash(hashKey, `${wave.studyId ?? wave.id}:${normaliseCode(code)}`);
}

/** Codes written on cards get typed with varying case, spaces and full-width characters. */
export function normaliseCode(code: string): string {
  return code.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
}
