/** @jsxImportSource hono/jsx */
/**
 * Staff pages for e-mail (editors and admins):
 *   /staff/waves/:id/mail                               compose, preview, send invitations, schedule reminders
 *   /staff/waves/:id/invitations/:unitId/messages       one unit's send history (the invitation list links here)
 * The pages render; mail.js calls the API under /api/waves/:id/mail with the session's CSRF token.
 */
import { asc, eq, isNotNull, and, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { LinkWarning } from '../web/staff/linkWarning.js';
import { raw } from 'hono/html';
import { loadOwnedWave } from '../collection/loaders.js';
import { WaveLinks } from '../collection/staffPages.js';
import type { Database } from '../db/database.js';
import { invitationMessages, invitations } from '../db/schema.js';
import { dateTime, japanLocalInput } from '../web/japanTime.js';
import { staffPage } from '../web/staff/layout.js';
import { editorsOnly } from '../web/staff/pageGuards.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { DEFAULT_TEMPLATES, PLACEHOLDERS } from './compose.js';
import type { MailService } from './mailer.js';
import { mailOverview, unitMessages } from './overview.js';
import { reasonLabel } from './recipients.js';

const STATUS_LABELS: Record<string, string> = { queued: '送信待ち', sending: '送信中', sent: '送信済み', failed: '送信失敗', skipped: '送信せず' };
const KIND_LABELS: Record<string, string> = { invitation: '招待', reminder: 'リマインダー' };
const DISPOSITION_LABELS: Record<string, string> = {
  pending: '未回答',
  complete: '回答済み',
  partial: '途中まで',
  refused: '辞退',
  'non-contact': '連絡不能',
  ineligible: '対象外',
  unknown: '不明',
};
/** Units listed on the mail page; the invitation list pages through all of them. */
const LISTED_UNITS = 300;

const STYLE = `
#mail-preview { border: 1px solid var(--line); border-radius: 8px; background: #fff; padding: .8rem 1rem; }
#mail-preview pre { white-space: pre-wrap; overflow-wrap: anywhere; font: inherit; margin: .5rem 0 0; }
#mail-preview dl { display: grid; grid-template-columns: auto 1fr; gap: .2rem .8rem; margin: 0; }
#mail-preview dt { font-weight: 600; }
#mail-preview dd { margin: 0; overflow-wrap: anywhere; }
.placeholders code { white-space: nowrap; }
.counts td.n { text-align: right; font-variant-numeric: tabular-nums; }
ul.rounds, ul.messages { list-style: none; padding: 0; margin: 0; }
ul.rounds li, ul.messages li { border: 1px solid var(--line); border-radius: 8px; background: #fff; padding: .6rem .9rem; margin-bottom: .5rem; display: flex; flex-wrap: wrap; gap: .3rem 1rem; align-items: baseline; }
ul.rounds .subject, ul.messages .reason { flex-basis: 100%; overflow-wrap: anywhere; }
ul.rounds button { margin-left: auto; }
`;

export function mailPages(database: Database, mail: MailService | undefined, publicUrl: (path: string) => string) {
  const app = new Hono<StaffPageEnv>();

  app.get('/staff/waves/:id/mail', editorsOnly, async (c) => {
    const { wave } = await loadOwnedWave(database, c.get('staff'), c.req.param('id'));
    const overview = await mailOverview(database, mail, wave);
    const units = await database.db
      .select({
        unitId: invitations.unitId,
        email: invitations.email,
        disposition: invitations.disposition,
        optedOutAt: invitations.optedOutAt,
        // Spelled out: in a select list drizzle would write the outer column unqualified, and m.id would shadow it.
        last: sql<string | null>`(select m.kind || ' ' || m.status from ${invitationMessages} m where m.invitation_id = "invitations"."id" order by m.created_at desc, m.id desc limit 1)`,
      })
      .from(invitations)
      .where(and(eq(invitations.waveId, wave.id), isNotNull(invitations.email)))
      .orderBy(asc(invitations.createdAt))
      .limit(LISTED_UNITS);
    const canSend = overview.configured;
    return staffPage(c, {
      title: `メールで招待・リマインダー: ${wave.name}`,
      titleEn: 'E-mail invitations and reminders',
      active: 'results',
      page: 'mail',
      scripts: ['mail.js'],
      children: (
        <>
          <WaveLinks waveId={wave.id} here="mail" canWrite />
          <LinkWarning sample={publicUrl('/t/')} />
          <style>{raw(STYLE)}</style>
          {canSend ? (
            <p class="meta">
              送信元 <span class="en">From</span>: {overview.from}・1秒に {overview.perSecond} 通までの速さで送ります <span class="en">(paced)</span>
            </p>
          ) : (
            <div class="problems" id="mail-not-configured">
              <p>
                <strong>メール送信が設定されていません。</strong>送信するには、サーバーの環境変数 <code>SMTP_URL</code> と <code>MAIL_FROM</code> を設定して再起動してください。文面の作成とプレビューはできます。
              </p>
              <p class="en">E-mail is not configured: set SMTP_URL and MAIL_FROM and restart. You can still compose and preview.</p>
            </div>
          )}
          <section>
            <h2>
              対象者 <small class="en">Units</small>
            </h2>
            <table class="counts">
              <tbody>
                <tr><th>メールアドレスあり <span class="en">with an address</span></th><td class="n" id="count-email">{overview.units.withEmail}</td></tr>
                <tr><th>配信停止 <span class="en">opted out</span></th><td class="n">{overview.units.optedOut}</td></tr>
                <tr><th>いま招待メールを送ると届く人 <span class="en">would get the invitation now</span></th><td class="n" id="count-invitable">{overview.units.invitable}</td></tr>
                <tr><th>いまリマインダーを送ると届く人 <span class="en">would get a reminder now</span></th><td class="n" id="count-remindable">{overview.units.remindable}</td></tr>
              </tbody>
            </table>
            <p class="hint">
              回答済み・辞退・対象外・配信停止の人には送りません。リマインダーの送り先は、予約した時ではなく送信する時点で決まります。
              <br />
              <span class="en">Never to complete, refused, ineligible or opted-out units; a reminder's recipients are decided when it is sent.</span>
            </p>
          </section>

          <section>
            <h2>
              文面を作る <small class="en">Compose</small>
            </h2>
            <form id="mail-form" class="stack" data-wave-id={wave.id} data-templates={JSON.stringify(DEFAULT_TEMPLATES)}>
              <fieldset>
                <legend>種類 <span class="en">Kind</span></legend>
                <label><input type="radio" name="kind" value="invitation" checked /> 招待メール（はじめてのご案内） <span class="en">Invitation</span></label>
                <label><input type="radio" name="kind" value="reminder" /> リマインダー（未回答の人への再送） <span class="en">Reminder</span></label>
              </fieldset>
              <label>
                件名 <span class="en">Subject</span>
                <input id="mail-subject" name="subject" required maxlength={200} value={DEFAULT_TEMPLATES.invitation.subject} />
              </label>
              <label>
                本文 <span class="en">Body</span>
                <textarea id="mail-body" name="body" rows={14} required maxlength={10000}>{DEFAULT_TEMPLATES.invitation.body}</textarea>
              </label>
              <details class="placeholders">
                <summary>差し込み項目 <span class="en">Placeholders</span></summary>
                <ul>
                  {PLACEHOLDERS.map((p) => (
                    <li><code>{`{${p.key}}`}</code> <span class="en">{p.en}</span></li>
                  ))}
                </ul>
                <p class="hint">本文の最後には、送信者と配信停止のリンクが必ず付きます。 <span class="en">Every message ends with the sender and an opt-out link.</span></p>
              </details>
              <div class="row">
                <label class="grow">
                  プレビューする対象者 <span class="en">Preview as</span>
                  <select id="mail-unit" name="unitId">
                    {units.map((u) => (
                      <option value={u.unitId}>{u.unitId}</option>
                    ))}
                  </select>
                </label>
                <button type="button" id="mail-preview-button">プレビュー <span class="en">Preview</span></button>
              </div>
              <div id="mail-problems" class="problems" role="alert" hidden></div>
              <div id="mail-preview" aria-live="polite" hidden></div>
              <div class="actions" data-for="invitation">
                <button type="button" class="primary" id="mail-send" disabled={!canSend || overview.units.invitable === 0}>
                  招待メールを送信 <span class="en">Send invitations now</span>
                </button>
                {canSend && overview.units.invitable === 0 ? (
                  <span class="hint">招待メールを送る相手はいません（送信済み・回答済み・辞退・対象外・配信停止）。 <span class="en">Nobody left to invite.</span></span>
                ) : null}
              </div>
              <div class="row" data-for="reminder" hidden>
                <label class="grow">
                  送信日時（日本時間） <span class="en">Send at (Japan time)</span>
                  <input type="datetime-local" id="mail-send-at" name="sendAt" min={japanLocalInput(new Date())} />
                </label>
                <button type="button" class="primary" id="mail-schedule" disabled={!canSend}>
                  リマインダーを予約 <span class="en">Schedule reminder</span>
                </button>
              </div>
              <p role="status" id="mail-status"></p>
            </form>
          </section>

          <section>
            <h2>
              予約・送信中 <small class="en">Waiting and sending</small>
            </h2>
            {overview.pending.length ? (
              <ul class="rounds" id="mail-pending">
                {overview.pending.map((r) => (
                  <li>
                    <strong>{KIND_LABELS[r.kind]}</strong>
                    <span>{dateTime(r.at)}</span>
                    <span class="badge">{r.state === 'sending' ? '送信中 sending' : '予約済み waiting'}</span>
                    {r.state === 'waiting' ? (
                      <button type="button" class="danger" data-cancel-round={r.id}>
                        取り消す <span class="en">Cancel</span>
                      </button>
                    ) : null}
                    <span class="subject">件名: {r.subject}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p class="empty">予約はありません。 <span class="en">Nothing waiting.</span></p>
            )}
          </section>

          <section>
            <h2>
              送信の記録 <small class="en">Messages</small>
            </h2>
            {overview.messages.length ? (
              <table class="counts">
                <tbody>
                  {overview.messages.map((m) => (
                    <tr><th>{KIND_LABELS[m.kind]}・{STATUS_LABELS[m.status] ?? m.status}</th><td class="n">{m.count}</td></tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p class="empty">まだ送信していません。 <span class="en">Nothing sent yet.</span></p>
            )}
            <div class="scroll">
              <table id="mail-units">
                <thead>
                  <tr><th>対象者番号</th><th>メールアドレス</th><th>回答状況</th><th>最後のメール</th></tr>
                </thead>
                <tbody>
                  {units.map((u) => {
                    const [kind, status] = u.last?.split(' ') ?? [];
                    return (
                      <tr>
                        <td><a href={`/staff/waves/${wave.id}/invitations/${encodeURIComponent(u.unitId)}/messages`}>{u.unitId}</a></td>
                        <td>{u.email}</td>
                        <td>{u.optedOutAt ? '配信停止' : (DISPOSITION_LABELS[u.disposition] ?? u.disposition)}</td>
                        <td>{kind ? `${KIND_LABELS[kind]}・${STATUS_LABELS[status] ?? status}` : '—'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {overview.units.withEmail > LISTED_UNITS ? <p class="hint">最初の {LISTED_UNITS} 件を表示しています。 <span class="en">First {LISTED_UNITS} shown.</span></p> : null}
          </section>
        </>
      ),
    });
  });

  app.get('/staff/waves/:id/invitations/:unitId/messages', editorsOnly, async (c) => {
    const { wave } = await loadOwnedWave(database, c.get('staff'), c.req.param('id'));
    const { unit, messages } = await unitMessages(database, wave.id, c.req.param('unitId'));
    return staffPage(c, {
      title: `送信履歴: ${unit.unitId}`,
      titleEn: 'E-mail history',
      active: 'results',
      children: (
        <>
          <WaveLinks waveId={wave.id} here="mail" canWrite />
          <style>{raw(STYLE)}</style>
          <p>
            <a href={`/staff/waves/${wave.id}/mail`}>← メール（{wave.name}） <span class="en">E-mail</span></a> ・{' '}
            <a href={`/staff/waves/${wave.id}/invitations/${encodeURIComponent(unit.unitId)}`}>この対象者のリンクとコード <span class="en">Link and code</span></a>
          </p>
          <dl class="meta">
            <dt>メールアドレス <span class="en">Address</span></dt>
            <dd>{unit.email ?? 'なし'}</dd>
            <dt>回答状況 <span class="en">Disposition</span></dt>
            <dd>{DISPOSITION_LABELS[unit.disposition] ?? unit.disposition}</dd>
            <dt>配信停止 <span class="en">Opted out</span></dt>
            <dd>{unit.optedOutAt ? dateTime(unit.optedOutAt) : 'していない'}</dd>
          </dl>
          {messages.length ? (
            <ul class="messages" id="unit-messages">
              {messages.map((m) => (
                <li data-status={m.status}>
                  <strong>{STATUS_LABELS[m.status] ?? m.status}</strong>
                  <span>{KIND_LABELS[m.kind]}</span>
                  <span class="meta">
                    {m.status === 'sent' ? `送信 ${dateTime(m.sentAt, { seconds: true })}` : `予定 ${dateTime(m.scheduledFor)}`}
                  </span>
                  {m.reason ? <span class="reason">{reasonLabel(m.reason)}</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p class="empty">この対象者にはまだメールを送っていません。 <span class="en">No e-mail yet.</span></p>
          )}
        </>
      ),
    });
  });

  return app;
}
