/**
 * /staff/data-rights (admins): a participant's request to see or erase their answers, found by
 * invitation link or participant code, and how long each wave keeps answers. The page's script calls
 * POST /api/data-rights/export|delete and PUT /api/waves/:id/retention, which audit every use.
 */
import { desc, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { owned } from '../auth/scope.js';
import type { Database } from '../db/database.js';
import { studies, waves } from '../db/schema.js';
import { staffPage } from '../web/staff/layout.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { adminOnly } from '../web/staff/pageGuards.js';
import { FormProblems } from './pageParts.js';

export function dataRightsPage(database: Database) {
  const { db } = database;
  const app = new Hono<StaffPageEnv>();

  app.get('/staff/data-rights', adminOnly, async (c) => {
    const staff = c.get('staff');
    const [studyList, waveList] = await Promise.all([
      db.select({ id: studies.id, name: studies.name }).from(studies).where(owned(studies, staff)).orderBy(desc(studies.createdAt)),
      db
        .select({ id: waves.id, name: waves.name, studyId: waves.studyId, study: studies.name, status: waves.status, retentionDays: waves.retentionDays })
        .from(waves)
        .leftJoin(studies, eq(studies.id, waves.studyId))
        .where(owned(waves, staff))
        .orderBy(desc(waves.createdAt)),
    ]);
    // A participant code is kept per study, or per wave when the wave belongs to no study.
    const loneWaves = waveList.filter((w) => w.studyId === null);
    return staffPage(c, {
      title: 'データの開示・削除',
      titleEn: 'Data rights and retention',
      active: 'data-rights',
      page: 'data-rights',
      scripts: ['accounts.js'],
      children: (
        <>
          <section class="form-column">
            <h2>
              参加者の回答を開示・削除 <small class="en">Export or delete one participant's answers</small>
            </h2>
            <p class="hint">
              本人から申し出があったときに使います。開示も削除も操作記録に残ります。
              <br />
              <span class="en">For a participant's request; both are recorded in the audit log.</span>
            </p>
            <form id="subject" class="stack" data-form="subject">
              <fieldset>
                <legend>
                  探し方 <span class="en">Find by</span>
                </legend>
                <label class="inline">
                  <input type="radio" name="by" value="invitation" checked /> 招待リンク <span class="en">Invitation link</span>
                </label>
                <label class="inline">
                  <input type="radio" name="by" value="code" disabled={studyList.length + loneWaves.length === 0} /> 参加者コード{' '}
                  <span class="en">Participant code</span>
                </label>
              </fieldset>
              <label data-by="invitation">
                招待リンクまたはトークン <span class="en">Invitation link or token</span>
                <input name="invitationToken" autocomplete="off" placeholder="https://…/t/xxxxxxxx" />
              </label>
              <div data-by="code" class="stack" hidden>
                <label>
                  参加者コード <span class="en">Participant code</span>
                  <input name="participantCode" autocomplete="off" maxlength={64} />
                </label>
                <label>
                  調査または回 <span class="en">Study or wave</span>
                  <select name="scope">
                    {studyList.length ? (
                      <optgroup label="調査 study">
                        {studyList.map((s) => (
                          <option value={`studyId:${s.id}`}>{s.name}</option>
                        ))}
                      </optgroup>
                    ) : null}
                    {loneWaves.length ? (
                      <optgroup label="回（調査に属さない） wave">
                        {loneWaves.map((w) => (
                          <option value={`waveId:${w.id}`}>{w.name}</option>
                        ))}
                      </optgroup>
                    ) : null}
                  </select>
                </label>
              </div>
              <FormProblems />
              <div class="actions">
                <button type="submit" class="primary">開示（ダウンロード） <span class="en">Export</span></button>
                <button type="button" class="danger" data-action="delete-subject">
                  削除 <span class="en">Delete</span>
                </button>
              </div>
            </form>
            <div id="subject-result" hidden>
              <p role="status" id="subject-status"></p>
              <p>
                <a id="subject-download" class="button" href="#" download="participant-answers.json" hidden>
                  JSONをダウンロード <span class="en">Download JSON</span>
                </a>
              </p>
            </div>
          </section>
          <section>
            <h2>
              回答の保存期間 <small class="en">Retention per wave</small>
            </h2>
            <p class="hint">
              提出からこの日数が過ぎた回答は自動で削除されます。空欄なら期間を決めずに保存します。
              <br />
              <span class="en">Answers are deleted this many days after submission; empty keeps them.</span>
            </p>
            {waveList.length === 0 ? <p class="empty">回はまだありません。 No waves yet.</p> : null}
            <table id="retention">
              <thead>
                <tr>
                  <th>回 <span class="en">Wave</span></th>
                  <th>調査 <span class="en">Study</span></th>
                  <th>状態 <span class="en">Status</span></th>
                  <th>保存期間（日） <span class="en">Retention (days)</span></th>
                </tr>
              </thead>
              <tbody>
                {waveList.map((w) => (
                  <tr data-wave-id={w.id}>
                    <td>{w.name}</td>
                    <td>{w.study ?? '—'}</td>
                    <td>{w.status === 'open' ? '受付中 open' : '終了 closed'}</td>
                    <td>
                      <form class="row" data-form="retention" data-wave-id={w.id}>
                        <input name="retentionDays" type="number" min={1} max={36500} step={1} value={w.retentionDays === null ? '' : String(w.retentionDays)} aria-label={`${w.name} の保存期間（日）`} />
                        <button type="submit">保存 <span class="en">Save</span></button>
                      </form>
                      <FormProblems />
                      <span role="status"></span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      ),
    });
  });

  return app;
}
