import { and, eq, sql } from 'drizzle-orm';
import type { Transporter } from 'nodemailer';
import { audit } from '../accounts/audit.js';
import { hasEnded } from '../collection/waveState.js';
import type { Database } from '../db/database.js';
import { invitationMessages, invitations, organisations, questionnaireVersions, users, waves } from '../db/schema.js';
import { renderMessage, type Template } from './compose.js';
import { mailable, messageValues, skipReason, type RoundKind, type Sender } from './recipients.js';

/**
 * One round of e-mail (the invitations, or one reminder) as its queue job carries it. Who receives it is
 * decided when the job runs, not when it was asked for: a unit that answered, refused or opted out in
 * between is left out.
 */
export type Round = Template & { organisationId: string; waveId: string; kind: RoundKind; at: string; createdBy: string | null };

export type RoundContext = {
  database: Database;
  sender: Sender;
  transport: Transporter;
  from: string;
  perSecond: number;
  signal: AbortSignal;
};

/** A round runs at most this long per job, then continues in a new one (a job that runs long is taken for dead). */
const SLICE_MS = 10 * 60_000;
/** A message claimed this long ago and never finished was cut off by a crash. */
const STALE_SENDING = sql`interval '10 minutes'`;

/** Sends a round's messages at the configured pace; 'more' when its time slice ended with messages left. */
export async function runRound(ctx: RoundContext, round: Round): Promise<'done' | 'more'> {
  const { db } = ctx.database;
  const [found] = await db
    .select({ wave: waves, organisation: organisations, definition: questionnaireVersions.definition })
    .from(waves)
    .innerJoin(organisations, eq(organisations.id, waves.organisationId))
    .innerJoin(questionnaireVersions, eq(questionnaireVersions.id, waves.versionId))
    .where(and(eq(waves.id, round.waveId), eq(waves.organisationId, round.organisationId)));
  if (!found) return 'done';
  const [creator] = round.createdBy ? await db.select({ id: users.id }).from(users).where(eq(users.id, round.createdBy)) : [];
  const actor = { organisationId: round.organisationId, userId: creator?.id ?? null };
  const at = new Date(round.at);

  await db
    .update(invitationMessages)
    .set({ status: 'failed', reason: 'interrupted' })
    .where(and(eq(invitationMessages.waveId, round.waveId), eq(invitationMessages.status, 'sending'), sql`${invitationMessages.sentAt} < now() - ${STALE_SENDING}`));
  await queueRecipients(ctx.database, round, found.wave, actor);

  const started = Date.now();
  for (;;) {
    ctx.signal.throwIfAborted();
    if (Date.now() - started > SLICE_MS) return 'more';
    // Claimed and committed before sending: a retried job never sends a message a second time.
    const [claimed] = await ctx.database.rows<{ id: string; invitation_id: string }>(sql`
      update ${invitationMessages} set status = 'sending', sent_at = now()
      where id = (
        select id from ${invitationMessages}
        where wave_id = ${round.waveId} and kind = ${round.kind} and scheduled_for = ${at.toISOString()}::timestamptz and status = 'queued'
        order by created_at, id limit 1 for update skip locked)
      returning id, invitation_id`);
    if (!claimed) return 'done';
    const [invitation] = await db.select().from(invitations).where(eq(invitations.id, claimed.invitation_id));
    // The wave as it is now: closed mid-round, the rest is not sent; deleted, nothing is left to send.
    const [wave] = await db.select().from(waves).where(eq(waves.id, round.waveId));
    if (!invitation || !wave) return 'done';
    found.wave = wave;
    const reason = skipReason(invitation, found.wave);
    if (reason) {
      await db.update(invitationMessages).set({ status: 'skipped', reason, sentAt: null }).where(eq(invitationMessages.id, claimed.id));
      continue;
    }
    const values = messageValues(ctx.sender, found, invitation);
    const message = renderMessage(round, values);
    let failure: string | null = null;
    try {
      await ctx.transport.sendMail({
        from: ctx.from,
        to: invitation.email!,
        subject: message.subject,
        text: message.text,
        // RFC 8058 one-click unsubscribe: mail programs offer it beside the sender's name.
        headers: { 'List-Unsubscribe': `<${values.optOutUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      });
    } catch (error) {
      if (unreachable(error)) {
        // Nothing reached the server: the message goes back to the queue and the round is retried later.
        await db.update(invitationMessages).set({ status: 'queued', sentAt: null }).where(eq(invitationMessages.id, claimed.id));
        throw new SmtpUnreachable((error as Error).message);
      }
      failure = `smtp: ${(error as Error).message}`.slice(0, 500);
    }
    await db.transaction(async (tx) => {
      await tx
        .update(invitationMessages)
        .set(failure ? { status: 'failed', reason: failure, sentAt: null } : { status: 'sent', sentAt: new Date() })
        .where(eq(invitationMessages.id, claimed.id));
      await audit(tx, actor, failure ? 'mail.failed' : 'mail.sent', invitation.id, {
        waveId: round.waveId,
        unitId: invitation.unitId,
        kind: round.kind,
        messageId: claimed.id,
        ...(failure ? { reason: failure } : {}),
      });
    });
    await pause(1000 / ctx.perSecond, ctx.signal);
  }
}

/** Adds a row per unit the round reaches now; a retried job adds none twice (the rows carry the round's time). */
async function queueRecipients(database: Database, round: Round, wave: typeof waves.$inferSelect, actor: { organisationId: string; userId: string | null }) {
  const at = new Date(round.at);
  await database.db.transaction(async (tx) => {
    // One fan-out per wave at a time, even with several processes on one PostgreSQL.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`mail:${round.waveId}`}))`);
    if (hasEnded(wave)) {
      await audit(tx, actor, 'mail.round_not_sent', round.waveId, { kind: round.kind, at: round.at, reason: 'wave-closed' });
      return;
    }
    const queued = await tx.execute(sql`
      insert into ${invitationMessages} (organisation_id, wave_id, invitation_id, kind, scheduled_for, created_by)
      select ${invitations.organisationId}, ${invitations.waveId}, ${invitations.id}, ${round.kind}, ${at.toISOString()}::timestamptz, ${actor.userId}::uuid
      from ${invitations} where ${mailable(round.waveId, round.kind, at)}
      order by ${invitations.createdAt}
      returning id`);
    const count = Array.isArray(queued) ? queued.length : ((queued as unknown as { rows: unknown[] }).rows?.length ?? 0);
    if (count > 0) await audit(tx, actor, 'mail.round_started', round.waveId, { kind: round.kind, at: round.at, queued: count });
  });
}

/** Thrown when the round stops because no SMTP server answered; its job is retried later. */
export class SmtpUnreachable extends Error {}

/** The SMTP server could not be reached at all (refused, unknown host), as opposed to refusing this message. */
function unreachable(error: unknown) {
  const code = (error as { code?: string }).code;
  return code === 'ECONNECTION' || code === 'EDNS' || (error as { errno?: unknown }).errno === 'ECONNREFUSED' || /ECONNREFUSED/.test(String((error as Error).message));
}

function pause(ms: number, signal: AbortSignal) {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
