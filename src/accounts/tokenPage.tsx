/** /staff/tokens: the viewer's own API tokens for scripts and the CLI; create (secret shown once) and revoke. */
import { Hono } from 'hono';
import { roleAtLeast } from '../auth/staff.js';
import type { Database } from '../db/database.js';
import { dateTime } from '../web/staff/format.js';
import { staffPage } from '../web/staff/layout.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { listTokens } from './listings.js';
import { FormProblems, ROLES, RoleOptions, roleLabel } from './pageParts.js';

export function tokenPage(database: Database) {
  const app = new Hono<StaffPageEnv>();

  app.get('/staff/tokens', async (c) => {
    const staff = c.get('staff');
    const tokens = await listTokens(database.db, staff);
    // A token never carries more than its owner's role (the API refuses a higher one).
    const grantable = ROLES.filter((r) => roleAtLeast(staff.role, r.key)).map((r) => r.key);
    return staffPage(c, {
      title: 'APIトークン',
      titleEn: 'API tokens',
      active: 'tokens',
      page: 'tokens',
      scripts: ['accounts.js'],
      children: (
        <>
          <p class="hint">
            スクリプトやコマンドライン（CLI）から <code>/api</code> を使うための鍵です。ヘッダー <code>Authorization: Bearer &lt;トークン&gt;</code> で送ります。
            <br />
            <span class="en">Keys for scripts and the CLI, sent as Authorization: Bearer &lt;token&gt;.</span>
          </p>
          <section class="form-column">
            <h2>
              トークンを作成 <small class="en">Create a token</small>
            </h2>
            <form id="token-create" class="stack" data-form="token-create">
              <label>
                名前（用途） <span class="en">Label (what it is for)</span>
                <input name="label" required maxlength={100} autocomplete="off" placeholder="例: 集計スクリプト" />
              </label>
              <label>
                役割 <span class="en">Role</span>
                <select name="role">
                  <RoleOptions roles={grantable} selected={staff.role} />
                </select>
              </label>
              <FormProblems />
              <div class="actions">
                <button type="submit" class="primary">作成 <span class="en">Create</span></button>
              </div>
            </form>
            <div id="token-created" class="shown-once" hidden>
              <p class="problems">
                トークンは今だけ表示されます（保存されるのはハッシュだけです）。コピーして安全な場所に保管してください。
                <br />
                <span class="en">The token is shown only now; it is stored hashed. Copy it somewhere safe.</span>
              </p>
              <label>
                トークン <span class="en">Token</span>
                <input id="token-secret" class="code" readonly />
              </label>
              <div class="actions">
                <button type="button" data-action="copy-token">コピー <span class="en">Copy</span></button>
                <span role="status" id="token-copy-status"></span>
              </div>
            </div>
          </section>
          <section>
            <h2>
              あなたのトークン <small class="en">Your tokens</small>
            </h2>
            <table id="tokens">
              <thead>
                <tr>
                  <th>名前 <span class="en">Label</span></th>
                  <th>役割 <span class="en">Role</span></th>
                  <th>作成 <span class="en">Created</span></th>
                  <th>状態 <span class="en">State</span></th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr data-token-id={t.id} class={t.revokedAt ? 'revoked' : undefined}>
                    <td>{t.label}</td>
                    <td>{roleLabel(t.role)}</td>
                    <td>{dateTime(t.createdAt)}</td>
                    <td>{t.revokedAt ? `失効 revoked ${dateTime(t.revokedAt)}` : '有効 active'}</td>
                    <td>
                      {t.revokedAt ? null : (
                        <button type="button" class="danger" data-action="revoke-token" data-token-id={t.id} data-label={t.label}>
                          失効させる <span class="en">Revoke</span>
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p class="empty" id="tokens-empty" hidden={tokens.length > 0}>
              トークンはまだありません。 No tokens yet.
            </p>
          </section>
        </>
      ),
    });
  });

  return app;
}
