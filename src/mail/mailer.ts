import { sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Database } from '../db/database.js';
import { logError } from '../http/logError.js';
import { openMailQueue, ROUND_QUEUE } from './queue.js';
import { runRound, SmtpUnreachable, type Round } from './rounds.js';
import type { Sender } from './recipients.js';

/**
 * E-mail invitations and reminders: rounds wait in the queue (pg-boss, in the app's database) until their
 * time, then the worker sends their messages one by one at MAIL_PER_SECOND. Stopping aborts the round
 * being sent; its job is retried by the next process, which sends only what is still queued.
 */
export type MailService = {
  from: string;
  perSecond: number;
  queueRound(round: Round): Promise<string>;
  /** Rounds of a wave not yet finished (waiting, or being sent), soonest first. */
  pendingRounds(organisationId: string, waveId: string): Promise<PendingRound[]>;
  /** Cancels a round that has not started; false when there is none such. */
  cancelRound(organisationId: string, waveId: string, id: string): Promise<boolean>;
  stop(): Promise<void>;
};

export type PendingRound = { id: string; kind: Round['kind']; at: string; subject: string; state: 'waiting' | 'sending' };

export type MailOptions = Sender & {
  database: Database;
  smtpUrl: string;
  from: string;
  perSecond: number;
  /** false in HTTP worker processes (WORKERS > 1): they queue rounds, the primary sends them. */
  work: boolean;
  /** How often an idle worker looks for a due round (pg-boss allows 0.5 s at least). */
  pollingSeconds?: number;
};

// A stopped or crashed round is taken up again soon; while the SMTP server cannot be reached, ever later
// (backoff from 2 s). A retry sends only what is still queued.
const JOB_OPTIONS = { retryLimit: 30, retryDelay: 2, retryBackoff: true, expireInMinutes: 15 };

export async function startMail(options: MailOptions): Promise<MailService> {
  const { database } = options;
  const queue = await openMailQueue(database, { work: options.work });
  const transport = nodemailer.createTransport(options.smtpUrl);
  const abort = new AbortController();
  if (options.work) {
    const context = { database, sender: options, transport, from: options.from, perSecond: options.perSecond, signal: abort.signal };
    await queue.boss.work<Round>(ROUND_QUEUE, { batchSize: 1, pollingIntervalSeconds: options.pollingSeconds ?? 2 }, async ([job]) => {
      try {
        if ((await runRound(context, job.data)) === 'more') await queue.boss.send(ROUND_QUEUE, job.data, JOB_OPTIONS);
      } catch (error) {
        if (error instanceof SmtpUnreachable) console.warn(`E-mail: the SMTP server cannot be reached (${error.message}); the round is retried later.`);
        else if (!abort.signal.aborted) logError(`E-mail round ${job.id}`, error);
        throw error;
      }
    });
  }

  const pending = (organisationId: string, waveId: string, states: string[]) =>
    database.rows<{ id: string; data: Round; start_after: Date | string; state: string }>(sql`
      select id, data, start_after, state from pgboss.job
      where name = ${ROUND_QUEUE} and state in ${sql.raw(`(${states.map((s) => `'${s}'`).join(', ')})`)}
        and data->>'organisationId' = ${organisationId} and data->>'waveId' = ${waveId}
      order by start_after, id`);

  return {
    from: options.from,
    perSecond: options.perSecond,
    queueRound: async (round) => (await queue.boss.send(ROUND_QUEUE, round, { ...JOB_OPTIONS, startAfter: new Date(round.at) }))!,
    pendingRounds: async (organisationId, waveId) =>
      (await pending(organisationId, waveId, ['created', 'retry', 'active'])).map((job) => ({
        id: job.id,
        kind: job.data.kind,
        at: job.data.at,
        subject: job.data.subject,
        state: job.state === 'active' ? 'sending' : 'waiting',
      })),
    cancelRound: async (organisationId, waveId, id) => {
      const waiting = await pending(organisationId, waveId, ['created', 'retry']);
      if (!waiting.some((job) => job.id === id)) return false;
      await queue.boss.cancel(ROUND_QUEUE, id);
      return true;
    },
    stop: async () => {
      abort.abort();
      await queue.stop();
      transport.close();
    },
  };
}
