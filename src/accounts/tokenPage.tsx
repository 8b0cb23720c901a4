/**
 * /staff/tokens: the viewer's own API tokens for scripts and the CLI; create (secret shown once) and
 * revoke. Admins also see every token of the organisation, with its owner, and can revoke any of them
 * (a lost laptop, a colleague who left), as DELETE /api/tokens/:id allows them.
 */
import { Hono } from 'hono';
import { roleAtLeast } from '../auth/staff.js';
import type { Database } from '../db/database.js';
import { dateTime } from '../web/japanTime.js';
import { staffPage } from '../web/staff/layout.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { listTokens, listUsers } from './listings.js';
import { FormProblems, ROLES, RoleOptions, roleLabel } from './pageParts.js';

type Token = Awaited<ReturnType<typeof listTokens>>[number];

/** A token table; with `owners` (user id → name), an owner column for the organisation's list. */
function TokenTable(props: { id: string; tokens: Token[]; owners?: Map<string, string> }) {
  const { owners } = props;
  return (
    <table id={props.id}>
      <thead>
        <tr>
          {owners ? <th>持ち主 <span class="en">Owner</span></th> : null}
          <th>名前 <span class="en">Label</span></th>
          <th>役割 <span class="en">Role</span></th>
          <th>作成 <span class="en">Created</span></th>
          <th>状態 <span class="en">State</span></th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        {props.tokens.map((t) => (
          <tr data-token-id={t.id} class={t.revokedAt ? 'revoked' : undefined}>
            {owners ? <td>{owners.get(t.userId) ?? '—'}</td> : null}
            <td>{t.label}</td>
            <td>{roleLabel(t.role)}</td>
            <td>{dateTime(t.createdAt)}</td>
            <td data-state>{t.revokedAt ? `失効 revoked ${dateTime(t.revokedAt)}` : '有効 active'}</td>
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
  );
}

export function tokenPage(database: Database) {
  const app = new Hono<StaffPageEnv>();

  app.get('/staff/tokens', async (c) => {
    const staff = c.get('staff');
    const viewer = c.get('viewer');
    const [tokens, organisationTokens, people] = await Promise.all([
      listTokens(database.db, staff),
      viewer.administers ? listTokens(database.db, staff, true) : [],
      viewer.administers ? listUsers(database.db, staff) : [],
    ]);
    const owners = new Map(people.map((u) => [u.id, u.email ?? u.name]));
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
                  <RoleOptions roles={grantable} selected="evaluator" />
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
            <TokenTable id="tokens" tokens={tokens} />
            <p class="empty" id="tokens-empty" hidden={tokens.length > 0}>
              トークンはまだありません。 No tokens yet.
            </p>
          </section>
          {viewer.administers ? (
            <section>
              <h2>
                団体のすべてのトークン <small class="en">All of the organisation's tokens</small>
              </h2>
              <p class="hint">
                使われなくなったトークン（退職した人、なくした端末）はここで失効させてください。
                <br />
                <span class="en">Revoke tokens that are no longer needed: a colleague who left, a lost device.</span>
              </p>
              <TokenTable id="organisation-tokens" tokens={organisationTokens} owners={owners} />
            </section>
          ) : null}
        </>
      ),
    });
  });

  return app;
}
