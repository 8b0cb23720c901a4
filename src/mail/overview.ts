import { and, asc, count, desc, eq, isNotNull } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { invitationMessages, invitations, organisations, type questionnaireVersions, type waves } from '../db/schema.js';
import { problems } from '../http/problem.js';
import { oneUnit } from '../invitations/listQuery.js';
import { renderMessage, unknownPlaceholders, type Template } from './compose.js';
import type { MailService } from './mailer.js';
import { mailable, messageValues, reasonLabel, skipReason, type RoundKind, type Sender } from './recipients.js';

type Wave = typeof waves.$inferSelect;
type Loaded = { wave: Wave; version: typeof questionnaireVersions.$inferSelect };

/** Counts for the mail page: who has an address, who opted out, who a round would reach now, what was sent. */
export async function mailOverview(database: Database, mail: MailService | undefined, wave: Wave) {
  const { db } = database;
  const now = new Date();
  const reach = async (kind: RoundKind) => (await db.select({ n: count() }).from(invitations).where(mailable(wave.id, kind, now)))[0].n;
  const [[units], invitable, remindable, messages, pending] = await Promise.all([
    db
      .select({ withEmail: count(invitations.email), optedOut: count(invitations.optedOutAt) })
      .from(invitations)
      .where(eq(invitations.waveId, wave.id)),
    reach('invitation'),
    reach('reminder'),
    db
      .select({ kind: invitationMessages.kind, status: invitationMessages.status, count: count() })
      .from(invitationMessages)
      .where(eq(invitationMessages.waveId, wave.id))
      .groupBy(invitationMessages.kind, invitationMessages.status)
      .orderBy(asc(invitationMessages.kind), asc(invitationMessages.status)),
    mail ? mail.pendingRounds(wave.organisationId, wave.id) : [],
  ]);
  return {
    configured: Boolean(mail),
    from: mail?.from ?? null,
    perSecond: mail?.perSecond ?? null,
    units: { ...units, invitable, remindable },
    messages,
    pending,
  };
}

/** A unit of the wave's frame by its unit id, or a 404 in Japanese. */
export async function frameUnit(database: Database, waveId: string, unitId: string) {
  const unit = await oneUnit(database, waveId, unitId);
  if (!unit) throw problems.notFound(`Unit "${unitId}" of this wave's frame`, `対象者番号「${unitId}」はこの調査回の名簿にありません。`);
  return unit;
}

/** Every message of one unit, newest first: its send history. */
export async function unitMessages(database: Database, waveId: string, unitId: string) {
  const unit = await frameUnit(database, waveId, unitId);
  const messages = await database.db
    .select({
      id: invitationMessages.id,
      kind: invitationMessages.kind,
      status: invitationMessages.status,
      scheduledFor: invitationMessages.scheduledFor,
      sentAt: invitationMessages.sentAt,
      reason: invitationMessages.reason,
      createdAt: invitationMessages.createdAt,
    })
    .from(invitationMessages)
    .where(eq(invitationMessages.invitationId, unit.id))
    .orderBy(desc(invitationMessages.createdAt), desc(invitationMessages.id));
  return { unit, messages };
}

/** A template with a placeholder that does not exist is refused, naming it, before anything is queued. */
export function assertKnownPlaceholders(template: Template) {
  const unknown = unknownPlaceholders(template);
  if (unknown.length === 0) return;
  const listed = unknown.map((name) => `{${name}}`).join('、');
  throw problems.unprocessable(
    `Unknown placeholders: ${unknown.map((name) => `{${name}}`).join(', ')}`,
    unknown.map((name) => ({ field: 'body', message: `unknown placeholder {${name}}`, message_ja: `{${name}} という差し込み項目はありません` })),
    { title: 'Unknown placeholder', title_ja: '差し込み項目に誤りがあります', detail_ja: `${listed} は使えません。使える項目: {団体名} {調査名} {回答リンク} {アクセスコード} {コード入力ページ} {回答期限}` },
  );
}

/** The message exactly as one unit would receive it (the first unit with an address when none is named). */
export async function previewMessage(database: Database, sender: Sender, loaded: Loaded, template: Template, unitId?: string) {
  assertKnownPlaceholders(template);
  const { db } = database;
  let unit;
  if (unitId !== undefined) unit = await frameUnit(database, loaded.wave.id, unitId);
  else {
    [unit] = await db.select().from(invitations).where(and(eq(invitations.waveId, loaded.wave.id), isNotNull(invitations.email))).orderBy(asc(invitations.createdAt)).limit(1);
    if (!unit) {
      throw problems.conflict('No unit of this frame has an e-mail address.', {
        title_ja: 'メールアドレスのある対象者がいません',
        detail_ja: '名簿にメールアドレスの列（email または メールアドレス）がありません。列を含めて名簿を登録してください。',
      });
    }
  }
  const [organisation] = await db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, loaded.wave.organisationId));
  const message = renderMessage(template, messageValues(sender, { wave: loaded.wave, organisation, definition: loaded.version.definition }, unit));
  const reason = skipReason(unit, loaded.wave);
  return { unitId: unit.unitId, to: unit.email, ...message, wouldSend: reason === null, reason, reasonText: reason === null ? null : reasonLabel(reason) };
}

