/**
 * /staff/organisation: the organisation's name, small-cell suppression k and the contacts participants see
 * (everyone reads, admins edit);
 * /staff/account: the viewer's own password and "log out everywhere".
 */
import { Hono } from 'hono';
import { PASSWORD_MIN } from '../auth/password.js';
import type { Database } from '../db/database.js';
import { staffPage } from '../web/staff/layout.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { organisationSettings } from './listings.js';
import { FormProblems, roleLabel } from './pageParts.js';

export function settingsPages(database: Database) {
  const app = new Hono<StaffPageEnv>();

  app.get('/staff/organisation', async (c) => {
    const organisation = await organisationSettings(database.db, c.get('staff'));
    const editable = c.get('viewer').administers;
    return staffPage(c, {
      title: '団体設定',
      titleEn: 'Organisation',
      active: 'organisation',
      page: 'organisation',
      scripts: ['accounts.js'],
      children: (
        <form id="organisation" class="stack form-column" data-form="organisation">
          <fieldset disabled={!editable}>
            <legend>
              団体 <span class="en">Organisation</span>
            </legend>
            <label>
              団体名 <span class="en">Name</span>
              <input name="name" required maxlength={200} value={organisation.name} />
            </label>
            <label>
              少数セルの秘匿 k <span class="en">Small-cell suppression k</span>
              <input name="suppressionK" type="number" min={0} max={100} step={1} required value={String(organisation.suppressionK)} />
            </label>
            <p class="hint">
              共有用のダウンロードでは、回答数が k 未満の集計セルと、そこから計算で分かってしまうセルを「x」にし、その % も表示しません（0 で秘匿しない）。画面の集計表も同じ k で表示します。回答者が特定されないよう、通常は 5 以上にします。
              <br />
              <span class="en">Shared downloads hide table cells with fewer than k answers (0: no suppression); 5 or more is usual.</span>
            </p>
          </fieldset>
          <fieldset disabled={!editable}>
            <legend>
              回答者に見せる連絡先 <span class="en">Contacts participants see</span>
            </legend>
            <label>
              問い合わせ先（担当者・電話・メールなど） <span class="en">Contact for questions</span>
              <textarea name="contact" rows={3} maxlength={1000} placeholder="例）〇〇支援センター 担当 山田　電話 0226-00-0000（平日9時〜17時）">
                {organisation.contact ?? ''}
              </textarea>
            </label>
            <p class="hint">
              アンケートの最初の画面と案内状に表示します。知らない人からの案内を疑うよう教わっている高齢の方も、連絡先があれば安心して答えられます。
              <br />
              <span class="en">Shown on the survey's first screen and on letters.</span>
            </p>
            <label>
              相談窓口（回答後の画面に表示） <span class="en">Support contacts on the thank-you page</span>
              <textarea name="supportContacts" rows={4} placeholder="名前 | 説明 | https://…（1行に1件）">
                {(organisation.supportContacts ?? []).map((s) => [s.name, s.detail ?? '', s.url ?? ''].join(' | ')).join('\n')}
              </textarea>
            </label>
            <p class="hint">
              1行に1件、「名前 | 説明 | ウェブアドレス」の形で書きます（説明とアドレスは省略可）。空欄のときは、国の相談窓口の案内「あなたはひとりじゃない」（内閣府）を表示します。
              <br />
              <span class="en">One per line: name | what it offers | web address. Empty: the national portal 「あなたはひとりじゃない」.</span>
            </p>
          </fieldset>
          {editable ? (
            <>
              <FormProblems />
              <p role="status" data-status></p>
              <div class="actions">
                <button type="submit" class="primary">保存 <span class="en">Save</span></button>
              </div>
            </>
          ) : (
            <p class="hint">
              変更は管理者が行います。 <span class="en">Only admins can change these.</span>
            </p>
          )}
        </form>
      ),
    });
  });

  app.get('/staff/account', (c) => {
    const viewer = c.get('viewer');
    return staffPage(c, {
      title: 'アカウント',
      titleEn: 'Your account',
      active: 'account',
      page: 'account',
      scripts: ['accounts.js'],
      children: (
        <>
          <p>
            {viewer.userName} · {viewer.email ?? '—'} · {roleLabel(viewer.role)}
          </p>
          <form id="password" class="stack form-column" data-form="password">
            <h2>
              パスワードの変更 <small class="en">Change password</small>
            </h2>
            <label>
              今のパスワード <span class="en">Current password</span>
              <input name="currentPassword" type="password" required autocomplete="current-password" />
            </label>
            <label>
              新しいパスワード（{PASSWORD_MIN}文字以上） <span class="en">New password (at least {PASSWORD_MIN} characters)</span>
              <input name="newPassword" type="password" required minlength={PASSWORD_MIN} autocomplete="new-password" />
            </label>
            <label>
              新しいパスワード（確認） <span class="en">New password again</span>
              <input name="newPasswordAgain" type="password" required autocomplete="new-password" />
            </label>
            <p class="hint">
              変更するとすべての端末でログアウトします。 <span class="en">Changing it logs you out everywhere.</span>
            </p>
            <FormProblems />
            <div class="actions">
              <button type="submit" class="primary">変更 <span class="en">Change</span></button>
            </div>
          </form>
          <form id="logout-everywhere" class="stack form-column" data-form="logout-everywhere">
            <h2>
              すべての端末からログアウト <small class="en">Log out everywhere</small>
            </h2>
            <p class="hint">
              パソコンやスマートフォンを紛失したときなどに、あなたのすべてのログインを終了します。
              <br />
              <span class="en">Ends every login session of yours, e.g. after losing a device.</span>
            </p>
            <label class="inline">
              <input type="checkbox" name="revokeTokens" /> APIトークンもすべて失効させる <span class="en">Also revoke all my API tokens</span>
            </label>
            <FormProblems />
            <div class="actions">
              <button type="submit" class="danger">すべての端末からログアウト <span class="en">Log out everywhere</span></button>
            </div>
          </form>
        </>
      ),
    });
  });

  return app;
}
