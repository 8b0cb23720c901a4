import { and, eq, isNotNull, isNull, notInArray, sql, type SQL } from 'drizzle-orm';
import { hasEnded } from '../collection/waveState.js';
import { shortAddress, shownLink } from '../invitations/shownLinks.js';
import { invitationMessages, invitations, type organisations, type waves } from '../db/schema.js';
import { loc } from '../web/surveyForm.js';
import { dateTime } from '../web/japanTime.js';
import type { MessageValues } from './compose.js';
import { optOutPath } from './optOutToken.js';

export type RoundKind = 'invitation' | 'reminder';

/** Dispositions that never get e-mail: they answered, refused, or are not part of the survey. */
export const NEVER_MAILED = ['complete', 'refused', 'ineligible'] as const;

/**
 * Units a round may write to, judged when it is sent: an address, not opted out, not answered, refused
 * or ineligible, and a link that can be shown. An invitation goes once (not to units already queued or
 * sent one); a reminder round once per unit (its rows carry the round's time).
 */
export function mailable(waveId: string, kind: RoundKind, roundTime: Date): SQL {
  const already =
    kind === 'invitation'
      ? sql`exists (select 1 from ${invitationMessages} m where m.invitation_id = ${invitations.id} and m.kind = 'invitation' and m.status in ('queued', 'sending', 'sent'))`
      : sql`exists (select 1 from ${invitationMessages} m where m.invitation_id = ${invitations.id} and m.kind = 'reminder' and m.scheduled_for = ${roundTime.toISOString()})`;
  return and(
    eq(invitations.waveId, waveId),
    isNotNull(invitations.email),
    isNull(invitations.optedOutAt),
    isNotNull(invitations.tokenIssue),
    notInArray(invitations.disposition, [...NEVER_MAILED]),
    sql`not ${already}`,
  )!;
}

type Invitation = Pick<typeof invitations.$inferSelect, 'id' | 'email' | 'optedOutAt' | 'disposition' | 'tokenIssue'>;

/** Why a queued message must not go after all (the unit changed since the round began), or null to send it. */
export function skipReason(invitation: Invitation, wave: typeof waves.$inferSelect): string | null {
  if (invitation.optedOutAt) return 'opted-out';
  if ((NEVER_MAILED as readonly string[]).includes(invitation.disposition)) return invitation.disposition;
  if (!invitation.email) return 'no-email';
  if (invitation.tokenIssue === null) return 'no-link';
  if (hasEnded(wave)) return 'wave-closed';
  return null;
}

/** Japanese (and English) for the reasons kept in invitation_messages.reason. */
export const REASON_LABELS: Record<string, string> = {
  'opted-out': '配信停止済み（opted out）',
  complete: '回答済み（complete）',
  refused: '辞退（refused）',
  ineligible: '対象外（ineligible）',
  'no-email': 'メールアドレスなし（no address）',
  'no-link': '旧形式のリンクのため表示できません。名簿でリンクを再発行してください（link must be re-issued）',
  'wave-closed': '受付終了（wave closed）',
  interrupted: '送信中にサーバーが止まりました。届いたかどうか不明です（interrupted: delivery unknown）',
};

export const reasonLabel = (reason: string | null) => (reason === null ? '' : (REASON_LABELS[reason] ?? reason));

export type Sender = { hashKey: string; publicUrl: (path: string) => string };

/** The placeholder values of one unit's message. */
export function messageValues(
  sender: Sender,
  context: { wave: typeof waves.$inferSelect; organisation: Pick<typeof organisations.$inferSelect, 'name'>; definition: Record<string, unknown> },
  invitation: Pick<Invitation, 'id' | 'tokenIssue'>,
): MessageValues {
  const link = shownLink(sender.hashKey, sender.publicUrl, invitation);
  return {
    団体名: context.organisation.name,
    調査名: loc(context.definition.title, 'ja') || context.wave.name,
    回答リンク: link?.url ?? '（リンクを再発行してください）',
    アクセスコード: link?.accessCode ?? '—',
    コード入力ページ: shortAddress(sender.publicUrl),
    回答期限: context.wave.closesAt ? dateTime(context.wave.closesAt) : '期限は設けていません',
    optOutUrl: sender.publicUrl(optOutPath(sender.hashKey, invitation.id)),
  };
}

