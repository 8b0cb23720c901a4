/** /staff/audit (admins): the organisation's audit log, newest first, filtered by action, paged by (time, id). */
import { Hono } from 'hono';
import type { Database } from '../db/database.js';
import { dateTime } from '../web/japanTime.js';
import { staffPage } from '../web/staff/layout.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { adminOnly } from '../web/staff/pageGuards.js';
import { auditActions, auditQuery, listAudit } from './listings.js';

const ACTION_LABELS: Record<string, string> = {
  'auth.login': 'ログイン',
  'auth.login_failed': 'ログイン失敗',
  'auth.logout_everywhere': 'すべての端末からログアウト',
  'user.created': 'ユーザー追加',
  'user.updated': 'ユーザー変更',
  'user.deleted': 'ユーザー削除',
  'user.password_changed': 'パスワード変更',
  'auth.password_change_failed': 'パスワード変更の失敗（現在のパスワード誤り）',
  'token.created': 'APIトークン作成',
  'token.revoked': 'APIトークン失効',
  'organisation.updated': '団体設定の変更',
  'data_rights.export': '回答の開示',
  'data_rights.delete': '回答の削除',
  'wave.retention_set': '保存期間の設定',
  'wave.closed': '調査回の受付終了',
  'wave.updated': '調査回の変更（名前・受付終了日時）',
  'retention.delete': '保存期間による自動削除',
  'export.responses': '回答データのダウンロード',
  'questionnaire.created': 'アンケート作成',
  'questionnaire.draft_saved': '下書きの保存',
  'questionnaire.version_started': '新しい版（下書き）の作成',
  'questionnaire.published': 'アンケートの公開',
  'template.saved': '団体テンプレートの保存',
  'template.deleted': '団体テンプレートの削除',
  'study.created': '研究（事前・事後）の作成',
  'wave.opened': '調査回の開始',
  'frame.imported': '名簿の取り込み',
  'dispositions.recorded': '回答状況の記録',
  'response.entered': '紙・郵送・聞き取りの回答入力',
  'response.corrected': '入力した回答の訂正',
  'response.deleted': '入力した回答の削除',
  'mail.invitations_queued': '招待メールの送信開始',
  'mail.reminder_scheduled': 'リマインダーの予約',
  'mail.round_cancelled': 'メール送信の予約取り消し',
  'mail.round_started': 'メール送信（送り先の確定）',
  'mail.round_not_sent': 'メール送信の中止（受付終了）',
  'mail.sent': 'メール送信',
  'mail.failed': 'メール送信の失敗',
  'participant.mail_opted_out': 'メール配信停止（回答者による）',
  'cli.organisation_created': '団体作成（CLI）',
  'cli.password_reset': 'パスワード再設定（CLI）',
  'cli.token_revoked': 'APIトークン失効（CLI）',
};

const actionLabel = (action: string) => ACTION_LABELS[action] ?? (action.startsWith('download.') ? '集計表のダウンロード' : '');

const PAGE_SIZE = 100;

export function auditPage(database: Database) {
  const app = new Hono<StaffPageEnv>();

  app.get('/staff/audit', adminOnly, async (c) => {
    const staff = c.get('staff');
    const parsed = auditQuery.safeParse({ limit: PAGE_SIZE, before: c.req.query('before') || undefined, action: c.req.query('action') || undefined });
    const query = parsed.success ? parsed.data : { limit: PAGE_SIZE };
    const [page, actions] = await Promise.all([listAudit(database.db, staff, query), auditActions(database.db, staff)]);
    const older = page.next ? `/staff/audit?${new URLSearchParams({ ...(query.action ? { action: query.action } : {}), before: page.next })}` : null;
    return staffPage(c, {
      title: '操作記録',
      titleEn: 'Audit log',
      active: 'audit',
      wide: true,
      children: (
        <>
          <form class="row form-column" method="get" action="/staff/audit">
            <label class="grow">
              操作 <span class="en">Action</span>
              <select name="action">
                <option value="">すべて all</option>
                {actions.map((a) => (
                  <option value={a} selected={a === query.action}>
                    {actionLabel(a)} {a}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit">絞り込む <span class="en">Filter</span></button>
          </form>
          {parsed.success ? null : <p class="problems">条件を読み取れませんでした。最新の記録を表示しています。 The filter was not understood; showing the newest events.</p>}
          {query.before ? (
            <p class="meta">
              {dateTime(query.before.at, { seconds: true })} 以前の記録 <span class="en">Events from this time back</span> ·{' '}
              <a href={`/staff/audit${query.action ? `?action=${encodeURIComponent(query.action)}` : ''}`}>最新に戻る Newest</a>
            </p>
          ) : null}
          <div class="scroll">
            <table id="audit">
              <thead>
                <tr>
                  <th>日時 <span class="en">Time</span></th>
                  <th>ユーザー <span class="en">User</span></th>
                  <th>操作 <span class="en">Action</span></th>
                  <th>対象 <span class="en">Target</span></th>
                  <th>詳細 <span class="en">Details</span></th>
                </tr>
              </thead>
              <tbody>
                {page.events.map((e) => (
                  <tr data-action={e.action}>
                    <td>{dateTime(e.at, { seconds: true })}</td>
                    <td>{e.userEmail ?? e.userName ?? 'CLI・自動処理・削除済み CLI, system or deleted user'}</td>
                    <td>
                      {actionLabel(e.action)} <code>{e.action}</code>
                    </td>
                    <td class="details">{e.target ?? '—'}</td>
                    <td class="details">{Object.keys(e.details ?? {}).length ? JSON.stringify(e.details) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {page.events.length === 0 ? <p class="empty">記録はありません。 No events.</p> : null}
          {older ? (
            <p>
              <a class="button" href={older}>
                さらに古い記録 <span class="en">Older events</span>
              </a>
            </p>
          ) : null}
        </>
      ),
    });
  });

  return app;
}
