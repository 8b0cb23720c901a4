/** @jsxImportSource hono/jsx */
/**
 * Participation pages: /staff/activities (the organisation's activities), /staff/activities/:id (its
 * indicators with definitions, targets against results, sessions, sign-in sheet import) and
 * /staff/sessions/:id/door (attendance at the door on a phone or tablet, offline). The pages render;
 * participation.js and door.js call the API with the session's CSRF token.
 */
import { asc } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { changeByParticipation, parseBands } from '../../analysis/changeByParticipation.js';
import { Problem } from '../http/problem.js';
import { sharedK } from '../results/crosstabTable.js';
import { studyLinkedScores } from '../results/prepost.js';
import { participationIndicators, TARGET_INDICATORS } from '../../analysis/participationIndicators.js';
import { owned } from '../auth/scope.js';
import type { Database } from '../db/database.js';
import { activities, studies } from '../db/schema.js';
import { SheetTable } from '../results/sheetView.js';
import { staffPage } from '../web/staff/layout.js';
import { editorsOnly } from '../web/staff/pageGuards.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { activityRecords, activityTargetRows, attendedSessions, loadOwnedActivity, loadOwnedSession, periodOf, type Activity } from './records.js';
import { participationReportPage } from './report.js';
import { indicatorSheets, outcomeSheet, targetResults } from './sheets.js';

export function participationPages(database: Database) {
  const app = new Hono<StaffPageEnv>();
  const { db } = database;

  app.get('/staff/activities', async (c) => {
    const staff = c.get('staff');
    const [list, studyList] = await Promise.all([
      db.select().from(activities).where(owned(activities, staff)).orderBy(asc(activities.createdAt)),
      db.select({ id: studies.id, name: studies.name }).from(studies).where(owned(studies, staff)).orderBy(asc(studies.name)),
    ]);
    const canWrite = c.get('viewer').role !== 'evaluator';
    return staffPage(c, {
      title: '参加の記録',
      titleEn: 'Participation',
      active: 'activities',
      page: 'activities',
      scripts: ['participation.js'],
      children: (
        <>
          <p class="lead">
            サロン・講座・居場所などの事業ごとに、開催回と参加を記録し、開催回数・延べ参加者数・実人数・新規などを定義つきで数えます。
            <span class="en"> Record sessions and attendance per activity; the indicators are counted from the records, each with its definition.</span>
          </p>
          {list.length ? (
            <ul class="cards">
              {list.map((a) => (
                <li class="card">
                  <h2>
                    <a href={`/staff/activities/${a.id}`}>{a.name}</a>
                  </h2>
                  <p class="hint">{a.studyId ? `調査「${studyList.find((s) => s.id === a.studyId)?.name ?? '—'}」と参加者コードでつながっています` : '調査とはつながっていません'}</p>
                </li>
              ))}
            </ul>
          ) : (
            <p class="empty">まだ事業がありません。 No activities yet.</p>
          )}
          {canWrite ? (
            <form class="stack form-column" data-form="activity-create">
              <h2>
                事業を追加 <span class="en">Add an activity</span>
              </h2>
              <label>
                事業名 <span class="en">Name</span>
                <input name="name" required maxlength={200} placeholder="例：ふれあいサロン" />
              </label>
              <label>
                つなげる調査（任意） <span class="en">Study (optional)</span>
                <select name="studyId">
                  <option value="">つなげない</option>
                  {studyList.map((s) => (
                    <option value={s.id}>{s.name}</option>
                  ))}
                </select>
              </label>
              <p class="hint">調査とつなげると、参加者コードが事前・事後アンケートと同じ方法で記録され、参加回数ごとの変化を見られます。コードそのものは保存しません。</p>
              <div class="problems" role="alert" hidden data-problems></div>
              <div class="actions">
                <button type="submit" class="primary">追加 <span class="en">Add</span></button>
              </div>
            </form>
          ) : null}
        </>
      ),
    });
  });

  app.get('/staff/activities/:id', async (c) => {
    const activity = await loadOwnedActivity(database, c.get('staff'), c.req.param('id'));
    const records = await activityRecords(database, activity);
    const { from, to } = periodOf(records.sessions, c.req.query('from'), c.req.query('to'));
    const targets = await activityTargetRows(database, activity);
    const sheets = records.sessions.length ? indicatorSheets(activity.name, participationIndicators({ ...records, period: { from, to } }), targetResults(records, targets)) : [];
    const present = new Map<string, number>();
    for (const a of records.attendances) present.set(a.sessionId, (present.get(a.sessionId) ?? 0) + 1);
    const canWrite = c.get('viewer').role !== 'evaluator';
    const query = new URLSearchParams({ from, to }).toString();
    const outcomes = activity.studyId ? await outcomesSection(c, activity, from, to) : null;
    return staffPage(c, {
      title: `参加の記録：${activity.name}`,
      titleEn: 'Participation',
      active: 'activities',
      page: 'activity',
      scripts: ['participation.js'],
      wide: true,
      children: (
        <div data-activity-id={activity.id}>
          <p>
            <a href="/staff/activities">← 事業の一覧 <span class="en">All activities</span></a>
          </p>
          <form method="get" class="row period">
            <label>
              期間の始め <span class="en">From</span>
              <input type="date" name="from" value={from} />
            </label>
            <label>
              終わり <span class="en">To</span>
              <input type="date" name="to" value={to} />
            </label>
            <button type="submit">この期間で数える <span class="en">Count</span></button>
          </form>
          {sheets.length ? (
            <>
              <p class="actions">
                <a class="button" href={`/api/activities/${activity.id}/indicators?${query}&format=xlsx`}>Excel (XLSX)</a>
                <a class="button" href={`/api/activities/${activity.id}/indicators?${query}&format=csv`}>CSV</a>
                <a class="button" href={`/staff/activities/${activity.id}/report?${query}`}>報告書（印刷用） <span class="en">Printable report</span></a>
                <span class="hint">画面の表と同じ内容です。ダウンロードは記録されます。</span>
              </p>
              {sheets.map((sheet) => (
                <section>
                  <h2>{sheet.title}</h2>
                  <SheetTable sheet={sheet} />
                </section>
              ))}
            </>
          ) : (
            <p class="empty">まだ開催回の記録がありません。下の「開催回を追加」か「出席簿を読み込む」から始めてください。</p>
          )}

          {outcomes}

          {canWrite ? (
            <form class="stack" data-form="targets">
              <h2>
                目標 <span class="en">Targets</span>
              </h2>
              <p class="hint">指標ごとに、期間と目標を入れます。実績と達成率（実績 ÷ 目標 × 100、小数第1位を四捨五入）は記録から計算します。</p>
              <div class="scroll">
              <table class="targets">
                <thead>
                  <tr>
                    <th>指標</th>
                    <th>目標</th>
                    <th>期間の始め</th>
                    <th>終わり</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  {[...targets, null].map((t) => (
                    <tr data-target-row>
                      <td>
                        <select name="indicator" aria-label="指標">
                          <option value="">—</option>
                          {Object.entries(TARGET_INDICATORS).map(([key, label]) => (
                            <option value={key} selected={t?.indicator === key}>
                              {label}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <input name="target" type="number" min={0} step="any" aria-label="目標" value={t ? String(t.target) : ''} />
                      </td>
                      <td>
                        <input name="from" type="date" aria-label="期間の始め" value={t?.periodFrom ?? from} />
                      </td>
                      <td>
                        <input name="to" type="date" aria-label="期間の終わり" value={t?.periodTo ?? to} />
                      </td>
                      <td>
                        <button type="button" data-action="remove-row" aria-label="この目標を削除">削除</button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              </div>
              <div class="problems" role="alert" hidden data-problems></div>
              <div class="actions">
                <button type="button" data-action="add-row">＋ 目標の行を追加</button>
                <button type="submit" class="primary">目標を保存 <span class="en">Save targets</span></button>
              </div>
            </form>
          ) : null}

          <h2>
            開催回 <span class="en">Sessions</span>
          </h2>
          {records.sessions.length ? (
            <div class="scroll">
              <table>
                <thead>
                  <tr>
                    <th>日付</th>
                    <th>会場</th>
                    <th>テーマ</th>
                    <th class="num">参加者</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  {[...records.sessions].reverse().map((s) => (
                    <tr>
                      <td>{s.heldOn}</td>
                      <td>{s.site ?? ''}</td>
                      <td>{s.theme ?? ''}</td>
                      <td class="num">{s.headcount !== null && s.headcount !== undefined ? `${s.headcount}人（人数のみ）` : `${present.get(s.id) ?? 0}人（コード）`}</td>
                      <td>
                        {canWrite ? (
                          <span class="actions">
                            {s.headcount === null || s.headcount === undefined ? <a href={`/staff/sessions/${s.id}/door`}>受付で記録</a> : null}
                            <button type="button" class="danger" data-action="delete-session" data-session-id={s.id} data-label={`${s.heldOn} ${s.site ?? ''}`}>
                              削除
                            </button>
                          </span>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}

          {canWrite ? (
            <div class="split-forms">
              <form class="stack form-column" data-form="session-create">
                <h3>
                  開催回を追加 <span class="en">Add a session</span>
                </h3>
                <label>
                  日付 <span class="en">Date</span>
                  <input name="heldOn" type="date" required />
                </label>
                <label>
                  会場 <span class="en">Site</span>
                  <input name="site" maxlength={200} />
                </label>
                <label>
                  テーマ <span class="en">Theme</span>
                  <input name="theme" maxlength={200} />
                </label>
                <label>
                  人数だけ記録する場合の人数（任意） <span class="en">Headcount, when no codes are taken</span>
                  <input name="headcount" type="number" min={0} />
                </label>
                <div class="row">
                  <label>
                    うち新規 <input name="new" type="number" min={0} />
                  </label>
                  <label>
                    うちリピーター <input name="repeat" type="number" min={0} />
                  </label>
                </div>
                <p class="hint">参加者コードで記録する回は人数を空欄にして、追加後に「受付で記録」を開きます。</p>
                <div class="problems" role="alert" hidden data-problems></div>
                <div class="actions">
                  <button type="submit" class="primary">追加 <span class="en">Add</span></button>
                </div>
              </form>
              <form class="stack form-column" data-form="sheet-import">
                <h3>
                  出席簿を読み込む（CSV） <span class="en">Import a sign-in sheet</span>
                </h3>
                <p class="hint">
                  1行目に列名を書きます：<code>日付, 会場, テーマ, 参加者コード</code>（1人1行）または <code>日付, 会場, テーマ, 人数, 新規, リピーター</code>（1回1行）。同じ表をもう一度読み込んでも二重には数えません。
                </p>
                <label>
                  ファイル <span class="en">File</span>
                  <input type="file" name="file" accept=".csv,text/csv" />
                </label>
                <label>
                  または貼り付け <span class="en">Or paste</span>
                  <textarea name="csv" rows={6} class="code" placeholder={'日付,会場,テーマ,参加者コード\n2025/06/01,本町,料理,A-001'}></textarea>
                </label>
                <div class="problems" role="alert" hidden data-problems></div>
                <p role="status" data-status></p>
                <div class="actions">
                  <button type="submit" class="primary">読み込む <span class="en">Import</span></button>
                </div>
              </form>
            </div>
          ) : null}
        </div>
      ),
    });
  });

  /** Pre/post change by sessions attended, for an activity linked to a study; a problem (no pre/post yet) is said, not thrown. */
  async function outcomesSection(c: Context<StaffPageEnv>, activity: Activity, from: string, to: string) {
    const given = c.req.query('bands') ?? '1-2,3-5,6-';
    let body;
    try {
      const linked = await studyLinkedScores(database, c.get('staff'), activity.studyId!, {});
      const result = changeByParticipation(linked.pairs, await attendedSessions(database, activity.id, from || undefined, to || undefined), parseBands(given), await sharedK(database, c.get('staff'), undefined));
      body = <SheetTable sheet={outcomeSheet(activity.name, linked.scaleLabel.ja, `${from}〜${to}`, result, linked.scaleDirection.text?.ja ?? null)} />;
    } catch (error) {
      const detail = error instanceof Problem ? (error.body.detail_ja ?? error.body.detail) : error instanceof RangeError ? '区分は「1-2,3-5,6-」のように、重ならないように小さい順に書いてください。' : null;
      if (detail === null) throw error;
      body = <p class="hint">{detail}</p>;
    }
    return (
      <section>
        <h2>
          参加回数と事前・事後の変化 <span class="en">Change by sessions attended</span>
        </h2>
        <form method="get" class="row period">
          <input type="hidden" name="from" value={from} />
          <input type="hidden" name="to" value={to} />
          <label>
            参加回数の区分 <span class="en">Bands</span>
            <input name="bands" value={given} maxlength={200} />
          </label>
          <button type="submit">区分を変える</button>
        </form>
        {body}
        <p class="actions">
          <a class="button" href={`/api/activities/${activity.id}/outcomes?${new URLSearchParams({ from, to, bands: given })}&format=xlsx`}>Excel (XLSX)</a>
          <a class="button" href={`/api/activities/${activity.id}/outcomes?${new URLSearchParams({ from, to, bands: given })}&format=csv`}>CSV</a>
        </p>
      </section>
    );
  }

  app.get('/staff/activities/:id/report', (c) => participationReportPage(c, database));

  app.get('/staff/sessions/:id/door', editorsOnly, async (c) => {
    const { session, activity } = await loadOwnedSession(database, c.get('staff'), c.req.param('id'));
    return staffPage(c, {
      title: `受付：${activity.name}`,
      titleEn: 'Attendance at the door',
      active: 'activities',
      page: 'door',
      scripts: ['door.js'],
      children: (
        <div id="door" data-session-id={session.id} data-activity-id={activity.id}>
          <p class="lead">
            {session.heldOn} {session.site ?? ''} {session.theme ?? ''}
          </p>
          <p class="hint">
            来た人のコードをタップするか入力します。通信が切れても端末に保存され、つながったときに一度だけ送ります。この端末で前に入力したコードが一覧に出ます（コードはこの端末だけに残り、サーバーには鍵付きハッシュだけが保存されます）。
            <span class="en"> Tap or type the codes of those present; works offline and sends once.</span>
          </p>
          <form id="door-add" class="row">
            <label class="grow">
              参加者コード <span class="en">Participant code</span>
              <input id="door-code" name="code" autocomplete="off" autocapitalize="characters" maxlength={64} inputmode="text" />
            </label>
            <button type="submit" class="primary">出席 <span class="en">Present</span></button>
          </form>
          <p id="door-status" role="status" aria-live="polite"></p>
          <ul id="door-known" class="door-codes" aria-label="この端末で入力したことのあるコード"></ul>
          <p>
            <a href={`/staff/activities/${activity.id}`}>← {activity.name}</a>
          </p>
        </div>
      ),
    });
  });

  return app;
}
