import { count } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '../accounts/audit.js';
import { requireRole, type StaffEnv } from '../auth/staff.js';
import { loadOwnedWave } from '../collection/loaders.js';
import { hasEnded } from '../collection/waveState.js';
import type { Database } from '../db/database.js';
import { invitations } from '../db/schema.js';
import { apiRoute, apiRouter, failures, idParam, jsonBody, jsonResponse, lookupFirst, noContent, problemSchema } from '../http/openapi.js';
import { Problem, problems } from '../http/problem.js';
import type { MailService } from './mailer.js';
import { assertKnownPlaceholders, mailOverview, previewMessage, unitMessages } from './overview.js';
import { mailable, type RoundKind, type Sender } from './recipients.js';
import { mailStatusSchema, previewRequestSchema, previewSchema, queuedRoundSchema, scheduleReminderSchema, sendInvitationsSchema, unitMessagesSchema } from './schemas.js';

/** Said wherever sending is asked for while SMTP_URL is unset. */
export const notConfigured = () =>
  new Problem({
    title: 'E-mail is not configured',
    status: 503,
    detail: 'Set SMTP_URL and MAIL_FROM and restart the service to send e-mail.',
    title_ja: 'メール送信が設定されていません',
    detail_ja: 'メールを送るには、サーバーの環境変数 SMTP_URL と MAIL_FROM を設定して再起動してください（README の「Configuration」を参照）。',
  });

const notConfiguredResponse = { description: 'SMTP_URL is not set: nothing can be sent', content: { 'application/problem+json': { schema: problemSchema } } };

/** Staff API for e-mail invitations and reminders of a wave (editors and admins: it writes to people). */
export function mailRoutes(database: Database, sender: Sender, mail: MailService | undefined) {
  const app = apiRouter<StaffEnv>();
  const editWave = [requireRole('editor'), lookupFirst<StaffEnv>((c, id) => loadOwnedWave(database, c.get('staff'), id))];
  const waveParams = idParam('Wave');

  const status = apiRoute({
    method: 'get',
    path: '/waves/{id}/mail',
    summary: 'E-mail for a wave: whether sending is configured, who a round would reach now, messages by state, rounds waiting',
    middleware: editWave,
    request: { params: waveParams },
    responses: { 200: jsonResponse(mailStatusSchema, 'The overview'), ...failures(403, 404) },
  });
  app.openapi(status, async (c) => {
    const { wave } = await loadOwnedWave(database, c.get('staff'), c.req.param('id'));
    return c.json(await mailOverview(database, mail, wave));
  });

  const preview = apiRoute({
    method: 'post',
    path: '/waves/{id}/mail/preview',
    summary: 'The message exactly as one unit would receive it (placeholders filled, opt-out footer added); sends nothing',
    middleware: editWave,
    request: { params: waveParams, body: jsonBody(previewRequestSchema) },
    responses: { 200: jsonResponse(previewSchema, 'The message'), ...failures(400, 403, 404, 409, 415, 422) },
  });
  app.openapi(preview, async (c) => {
    const loaded = await loadOwnedWave(database, c.get('staff'), c.req.param('id'));
    const input = c.req.valid('json');
    return c.json(await previewMessage(database, sender, loaded, input, input.unitId));
  });

  /** Checks common to both kinds of round; returns how many units it would reach now. */
  async function checkRound(wave: Awaited<ReturnType<typeof loadOwnedWave>>['wave'], kind: RoundKind, template: { subject: string; body: string }, at: Date) {
    if (!mail) throw notConfigured();
    assertKnownPlaceholders(template);
    if (hasEnded(wave) || (wave.closesAt && at >= wave.closesAt)) {
      throw problems.unprocessable('The wave no longer takes answers at that time.', [{ field: 'sendAt', message: 'after the wave closes', message_ja: '受付終了後には送れません' }], {
        title: 'Wave closed',
        title_ja: '受付終了後の送信はできません',
        detail_ja: 'この調査回はその時点で回答を受け付けていません。送信日時を受付終了より前にするか、受付終了日時を延ばしてください。',
      });
    }
    const [{ n }] = await database.db.select({ n: count() }).from(invitations).where(mailable(wave.id, kind, at));
    return n;
  }

  const sendInvitations = apiRoute({
    method: 'post',
    path: '/waves/{id}/mail/invitations',
    summary: 'Send the invitation now to every unit with an address that has not been sent one (not to answered, refused, ineligible or opted-out units); paced, audited',
    middleware: editWave,
    request: { params: waveParams, body: jsonBody(sendInvitationsSchema) },
    responses: { 202: jsonResponse(queuedRoundSchema, 'Queued; sent at MAIL_PER_SECOND'), ...failures(400, 403, 404, 409, 415, 422), 503: notConfiguredResponse },
  });
  app.openapi(sendInvitations, async (c) => {
    const staff = c.get('staff');
    const { wave } = await loadOwnedWave(database, staff, c.req.param('id'));
    const template = c.req.valid('json');
    const at = new Date();
    const reach = await checkRound(wave, 'invitation', template, at);
    if (reach === 0) {
      throw problems.conflict('No unit would receive the invitation: none has an address, or all were sent one already, answered, refused, are ineligible or opted out.', {
        title_ja: '招待メールを送る相手がいません',
        detail_ja: 'メールアドレスのある対象者全員に送信済みか、回答済み・辞退・対象外・配信停止です。',
      });
    }
    const id = await mail!.queueRound({ ...template, organisationId: staff.organisationId, waveId: wave.id, kind: 'invitation', at: at.toISOString(), createdBy: staff.userId });
    await audit(database.db, staff, 'mail.invitations_queued', wave.id, { roundId: id, recipientsNow: reach, subject: template.subject });
    return c.json({ round: { id, kind: 'invitation' as const, at: at.toISOString(), subject: template.subject, state: 'waiting' as const }, recipientsNow: reach }, 202);
  });

  const scheduleReminder = apiRoute({
    method: 'post',
    path: '/waves/{id}/mail/reminders',
    summary: 'Schedule a reminder; at that time it goes to units with an address not yet complete (never refused, ineligible or opted out)',
    middleware: editWave,
    request: { params: waveParams, body: jsonBody(scheduleReminderSchema) },
    responses: { 201: jsonResponse(queuedRoundSchema, 'Scheduled'), ...failures(400, 403, 404, 409, 415, 422), 503: notConfiguredResponse },
  });
  app.openapi(scheduleReminder, async (c) => {
    const staff = c.get('staff');
    const { wave } = await loadOwnedWave(database, staff, c.req.param('id'));
    const { sendAt, ...template } = c.req.valid('json');
    // A minute's grace: "now" typed into the form is already past when it arrives.
    if (sendAt.getTime() < Date.now() - 60_000) {
      throw problems.unprocessable('sendAt is in the past.', [{ field: 'sendAt', message: 'in the past', message_ja: '送信日時が過ぎています' }], {
        title: 'Invalid time',
        title_ja: '送信日時が正しくありません',
        detail_ja: '送信日時には、これから先の日時（日本時間）を指定してください。',
      });
    }
    const reach = await checkRound(wave, 'reminder', template, sendAt);
    if ((await mail!.pendingRounds(staff.organisationId, wave.id)).some((r) => r.kind === 'reminder' && new Date(r.at).getTime() === sendAt.getTime())) {
      throw problems.conflict('A reminder is already scheduled at that time.', { title_ja: '同じ日時のリマインダーがあります', detail_ja: 'この日時のリマインダーはすでに予約されています。別の日時にしてください。' });
    }
    const at = sendAt.toISOString();
    const id = await mail!.queueRound({ ...template, organisationId: staff.organisationId, waveId: wave.id, kind: 'reminder', at, createdBy: staff.userId });
    await audit(database.db, staff, 'mail.reminder_scheduled', wave.id, { roundId: id, at, subject: template.subject });
    return c.json({ round: { id, kind: 'reminder' as const, at, subject: template.subject, state: 'waiting' as const }, recipientsNow: reach }, 201);
  });

  const cancel = apiRoute({
    method: 'delete',
    path: '/waves/{id}/mail/rounds/{roundId}',
    summary: 'Cancel a round (e.g. a scheduled reminder) that has not started sending',
    middleware: editWave,
    request: { params: waveParams.extend({ roundId: z.string() }) },
    responses: { 204: noContent, ...failures(403, 404) },
  });
  app.openapi(cancel, async (c) => {
    const staff = c.get('staff');
    const { wave } = await loadOwnedWave(database, staff, c.req.param('id'));
    const roundId = c.req.param('roundId');
    if (!mail || !/^[0-9a-f-]{36}$/i.test(roundId) || !(await mail.cancelRound(staff.organisationId, wave.id, roundId))) {
      throw problems.notFound('Waiting round', 'この予約は見つからないか、すでに送信が始まっています。');
    }
    await audit(database.db, staff, 'mail.round_cancelled', wave.id, { roundId });
    return c.body(null, 204);
  });

  const history = apiRoute({
    method: 'get',
    path: '/waves/{id}/invitations/{unitId}/messages',
    summary: "A unit's e-mail history: every invitation and reminder with its state (queued, sending, sent, failed, skipped) and why",
    middleware: editWave,
    request: { params: waveParams.extend({ unitId: z.string() }) },
    responses: { 200: jsonResponse(unitMessagesSchema, 'The history, newest first'), ...failures(403, 404) },
  });
  app.openapi(history, async (c) => {
    const { wave } = await loadOwnedWave(database, c.get('staff'), c.req.param('id'));
    const { unit, messages } = await unitMessages(database, wave.id, c.req.param('unitId'));
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    return c.json({
      unitId: unit.unitId,
      email: unit.email,
      disposition: unit.disposition,
      optedOutAt: iso(unit.optedOutAt),
      messages: messages.map((m) => ({ ...m, scheduledFor: m.scheduledFor.toISOString(), sentAt: iso(m.sentAt), createdAt: m.createdAt.toISOString() })),
    });
  });

  return app;
}

