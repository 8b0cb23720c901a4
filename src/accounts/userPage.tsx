/**
 * /staff/users (admins): the organisation's users with role and study scoping; add, change, reset a
 * colleague's password (a temporary one made in the browser, shown once; PATCH /api/users/:id ends
 * their sessions), delete.
 */
import { Hono } from 'hono';
import { PASSWORD_MIN } from '../auth/password.js';
import { owned } from '../auth/scope.js';
import type { Database } from '../db/database.js';
import { studies } from '../db/schema.js';
import { dateTime } from '../web/japanTime.js';
import { staffPage } from '../web/staff/layout.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { adminOnly } from '../web/staff/pageGuards.js';
import { listUsers } from './listings.js';
import { FormProblems, RoleOptions, roleLabel } from './pageParts.js';

type Study = { id: string; name: string };

/** Checkboxes for limiting an evaluator to studies; none ticked means the whole organisation. */
function StudyChoice(props: { studies: Study[]; selected: string[]; enabled: boolean }) {
  return (
    <fieldset data-study-choice disabled={!props.enabled}>
      <legend>
        見られる調査（評価者のみ） <span class="en">Limit to studies (evaluators only)</span>
      </legend>
      {props.studies.length === 0 ? <p class="hint">調査はまだありません。 No studies yet.</p> : null}
      {props.studies.map((s) => (
        <label class="inline">
          <input type="checkbox" name="studyIds" value={s.id} checked={props.selected.includes(s.id)} /> {s.name}
        </label>
      ))}
      <p class="hint">
        選ばなければ団体全体を見られます。 <span class="en">None ticked: the whole organisation.</span>
      </p>
    </fieldset>
  );
}

export function userPage(database: Database) {
  const app = new Hono<StaffPageEnv>();

  app.get('/staff/users', adminOnly, async (c) => {
    const staff = c.get('staff');
    const people = await listUsers(database.db, staff);
    const studyList: Study[] = await database.db.select({ id: studies.id, name: studies.name }).from(studies).where(owned(studies, staff)).orderBy(studies.createdAt);
    const studyName = new Map(studyList.map((s) => [s.id, s.name]));
    return staffPage(c, {
      title: 'ユーザー',
      titleEn: 'Users',
      active: 'users',
      page: 'users',
      scripts: ['accounts.js'],
      wide: true,
      children: (
        <>
          <div id="user-password-reset" class="shown-once" hidden>
            <p class="problems">
              <span id="user-password-reset-who"></span> の仮パスワードです。今だけ表示されます。本人に伝え、ログイン後に変更してもらってください。その人のログイン中の端末はログアウトされました。
              <br />
              <span class="en">The temporary password, shown only now. Ask the user to change it after logging in; their sessions have ended.</span>
            </p>
            <label>
              仮パスワード <span class="en">Temporary password</span>
              <input id="user-reset-password" class="code" readonly />
            </label>
          </div>
          <div class="scroll">
            <table id="users">
              <thead>
                <tr>
                  <th>名前 <span class="en">Name</span></th>
                  <th>メール <span class="en">Email</span></th>
                  <th>役割 <span class="en">Role</span></th>
                  <th>見られる範囲 <span class="en">Access</span></th>
                  <th>登録 <span class="en">Added</span></th>
                  <th>変更 <span class="en">Change</span></th>
                </tr>
              </thead>
              <tbody>
                {people.map((u) => (
                  <tr data-email={u.email ?? ''}>
                    <td>
                      {u.name} {u.id === staff.userId ? <span class="badge">あなた you</span> : null}
                    </td>
                    <td>{u.email ?? '—'}</td>
                    <td>{roleLabel(u.role)}</td>
                    <td>{u.studyIds ? u.studyIds.map((id) => studyName.get(id) ?? id).join('、') || '（なし） none' : '団体全体 whole organisation'}</td>
                    <td>{dateTime(u.createdAt)}</td>
                    <td>
                      <details>
                        <summary>変更・削除 <span class="en">Change or delete</span></summary>
                        <form class="stack" data-form="user-update" data-user-id={u.id} data-user-label={u.email ?? u.name} data-self={u.id === staff.userId ? '' : undefined}>
                          <label>
                            役割 <span class="en">Role</span>
                            <select name="role">
                              <RoleOptions selected={u.role} />
                            </select>
                          </label>
                          <StudyChoice studies={studyList} selected={u.studyIds ?? []} enabled={u.role === 'evaluator'} />
                          <FormProblems />
                          <div class="actions">
                            <button type="submit" class="primary">保存 <span class="en">Save</span></button>
                            {u.id !== staff.userId ? (
                              <>
                                <button type="button" data-action="reset-password">
                                  パスワード再設定 <span class="en">Reset password</span>
                                </button>
                                <button type="button" class="danger" data-action="delete-user">
                                  削除 <span class="en">Delete</span>
                                </button>
                              </>
                            ) : null}
                          </div>
                        </form>
                      </details>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <section class="form-column">
            <h2>
              ユーザーを追加 <small class="en">Add a user</small>
            </h2>
            <form id="user-create" class="stack" data-form="user-create">
              <label>
                名前 <span class="en">Name</span>
                <input name="name" required maxlength={200} autocomplete="off" />
              </label>
              <label>
                メールアドレス（ログインID） <span class="en">Email (login)</span>
                <input name="email" type="email" required maxlength={254} autocomplete="off" />
              </label>
              <label>
                役割 <span class="en">Role</span>
                <select name="role">
                  <RoleOptions selected="editor" />
                </select>
              </label>
              <p class="hint">
                管理者: ユーザー・設定・データの権利を含むすべて。編集者: アンケート作成と回収。評価者: 結果の閲覧とダウンロード。
                <br />
                <span class="en">Admin: everything. Editor: questionnaires and collection. Evaluator: results and downloads.</span>
              </p>
              <StudyChoice studies={studyList} selected={[]} enabled={false} />
              <label>
                初期パスワード（任意・{PASSWORD_MIN}文字以上） <span class="en">Initial password (optional, at least {PASSWORD_MIN} characters)</span>
                <input name="password" type="password" autocomplete="new-password" />
              </label>
              <p class="hint">
                空欄なら仮パスワードを作って一度だけ表示します。 <span class="en">Leave empty to get a temporary password, shown once.</span>
              </p>
              <FormProblems />
              <div class="actions">
                <button type="submit" class="primary">追加 <span class="en">Add user</span></button>
              </div>
            </form>
            <div id="user-created" class="shown-once" hidden>
              <p class="problems">
                仮パスワードは今だけ表示されます。本人に伝え、ログイン後に変更してもらってください。
                <br />
                <span class="en">The temporary password is shown only now; ask the user to change it after logging in.</span>
              </p>
              <label>
                仮パスワード <span class="en">Temporary password</span>
                <input id="user-temporary-password" class="code" readonly />
              </label>
              <div class="actions">
                <button type="button" data-action="reload">確認しました <span class="en">Done</span></button>
              </div>
            </div>
          </section>
        </>
      ),
    });
  });

  return app;
}
