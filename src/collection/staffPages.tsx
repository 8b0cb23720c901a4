/** @jsxImportSource hono/jsx */
/**
 * Collection pages for intermediaries, so they need not use the API:
 *   /staff/waves/:id/frame  upload the frame of invited units (CSV) and get each unit's personal link (shown once),
 *                           and record dispositions of units that did not answer;
 *   /staff/waves/:id/entry  enter paper, mail or interview returns with the questionnaire's own questions.
 * The pages only render; frame.js and entry.js call POST /api/waves/:id/frame, /frame/dispositions and /responses with the
 * session's CSRF token (staff.js), so the API's checks (role, validation, idempotency) apply unchanged.
 */
import { Hono } from 'hono';
import { raw } from 'hono/html';
import type { Database } from '../db/database.js';
import { needsSurveyJs, renderPages } from '../web/surveyForm.js';
import { staffPage } from '../web/staff/layout.js';
import { editorsOnly } from '../web/staff/pageGuards.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { frameCounts } from './dispositions.js';
import { DispositionSection, FrameCounts } from './dispositionViews.js';
import { loadOwnedWave } from './loaders.js';
import { paperPage } from './paperPage.js';
import { enteredReturns } from './entryRoutes.js';
import { dateTime } from '../web/japanTime.js';
import { LinkWarning } from '../web/staff/linkWarning.js';

/** The pages of one wave; the invitation list and paper entry are for editors and admins. */
export function WaveLinks(props: { waveId: string; here: 'frame' | 'entry' | 'invitations' | 'paper'; canWrite: boolean }) {
  const links = [
    { key: 'results', href: `/staff/waves/${props.waveId}/results`, ja: '結果', en: 'Results' },
    { key: 'frame', href: `/staff/waves/${props.waveId}/frame`, ja: '名簿と招待リンク', en: 'Frame & links' },
    { key: 'invitations', href: `/staff/waves/${props.waveId}/invitations`, ja: '招待者一覧・印刷', en: 'Invitation list & print' },
    { key: 'paper', href: `/staff/waves/${props.waveId}/paper`, ja: '紙の質問票', en: 'Paper questionnaire' },
    { key: 'entry', href: `/staff/waves/${props.waveId}/entry`, ja: '紙の回答を入力', en: 'Enter returns' },
  ].filter((l) => props.canWrite || (l.key !== 'entry' && l.key !== 'paper' && l.key !== 'invitations'));
  return (
    <nav class="filters" aria-label="この回のページ">
      {links.map((l) => (
        <a href={l.href} aria-current={l.key === props.here ? 'true' : undefined}>
          {l.ja} <span class="en">{l.en}</span>
        </a>
      ))}
    </nav>
  );
}

// Styles for the server-rendered questionnaire (participant.css is for phones, not the staff shell).
const MODE_LABELS: Record<string, string> = { paper: '紙（手渡し・回収箱）', mail: '郵送', interview: '聞き取り' };

const ENTRY_STYLE = `
#entry .q { margin: 0 0 1rem; }
#entry .q-title { font-weight: 700; display: block; }
#entry .q-no { color: var(--muted); margin-right: .3rem; }
#entry .req { font-size: .75rem; color: var(--danger); font-weight: 600; }
#entry .q-desc, #entry .rate-ends { color: var(--muted); font-size: .9rem; margin: .2rem 0; }
#entry .rate-ends { display: flex; justify-content: space-between; }
#entry .choices { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; margin-top: .3rem; }
#entry label.choice { display: inline-flex; gap: .35rem; align-items: center; font-weight: normal; }
#entry .m-row { border: 0; padding: .2rem 0; margin: 0; }
#entry .m-row legend { font-weight: 600; padding: 0; }
#entry .unsupported { border: 1px dashed var(--danger); padding: .5rem; border-radius: 6px; }
`;

export function collectionPages(database: Database, publicUrl: (path: string) => string) {
  const app = new Hono<StaffPageEnv>();

  app.get('/staff/waves/:id/frame', async (c) => {
    const { wave } = await loadOwnedWave(database, c.get('staff'), c.req.param('id'));
    const counts = await frameCounts(database, wave.id);
    const total = Object.values(counts).reduce((s, n) => s + n, 0);
    // Evaluators see the frame's counts; adding units and recording dispositions is for editors.
    const canWrite = c.get('viewer').role !== 'evaluator';
    return staffPage(c, {
      title: `名簿と招待リンク: ${wave.name}`,
      titleEn: 'Frame and invitation links',
      active: 'results',
      page: 'frame',
      scripts: canWrite ? ['frame.js'] : [],
      children: (
        <>
          <WaveLinks waveId={wave.id} here="frame" canWrite={canWrite} />
          {canWrite ? <LinkWarning sample={publicUrl('/t/')} /> : null}
          <section>
            <h2>
              現在の名簿 <small class="en">Current frame</small>
            </h2>
            <p>
              登録済み <strong id="frame-total">{total}</strong> 件 <span class="en">units in the frame</span>
            </p>
            <FrameCounts counts={counts} total={total} />
          </section>
          {canWrite ? (
            <>
              <section>
                <h2>
                  名簿を追加 <small class="en">Add units</small>
                </h2>
                <p class="hint">
                  1行目は見出しです。<code>unit_id</code> 列が必要です（対象者ごとに重複しない番号）。ほかの列（例: <code>city</code>）は属性として保存され、回収率の内訳に使えます。個人名や住所は入れないでください。
                  <br />
                  <span class="en">First line: headers; a unit_id column is required. Other columns (e.g. city) become attributes for response rates. Do not include names or addresses.</span>
                </p>
                <form id="frame-form" class="stack" data-wave-id={wave.id}>
                  <label>
                    CSVファイルを選ぶ <span class="en">Choose a CSV file</span>
                    <input type="file" id="frame-file" accept=".csv,text/csv,text/plain" />
                  </label>
                  <label>
                    CSV <span class="en">(or paste here)</span>
                    <textarea id="frame-csv" name="csv" class="code" rows={10} spellcheck={false} placeholder={'unit_id,city\nA0001,気仙沼市\nA0002,大船渡市'}></textarea>
                  </label>
                  <div id="frame-problems" class="problems" role="alert" hidden></div>
                  <div class="actions">
                    <button type="submit" class="primary">
                      登録して招待リンクを作成 <span class="en">Add and create links</span>
                    </button>
                  </div>
                </form>
              </section>
              <section id="frame-result" hidden>
                <h2>
                  招待リンク <small class="en">Invitation links</small>
                </h2>
                <p class="hint">
                  リンクとアクセスコードは<a href={`/staff/waves/${wave.id}/invitations`}>招待者一覧</a>でいつでも再表示・再発行・印刷できます。
                  <br />
                  <span class="en">Links and access codes can be shown again, re-issued and printed on the invitation list.</span>
                </p>
                <p role="status" id="frame-status"></p>
                <p>
                  <a id="frame-download" class="button primary" href="#" download={`invitations-${wave.id}.csv`}>
                    リンクをCSVでダウンロード <span class="en">Download links as CSV</span>
                  </a>
                </p>
                <table id="frame-links">
                  <thead>
                    <tr><th>unit_id</th><th>招待リンク <span class="en">Link</span></th></tr>
                  </thead>
                  <tbody></tbody>
                </table>
              </section>
              <DispositionSection waveId={wave.id} />
            </>
          ) : (
            <p class="hint">
              名簿の追加と回答状況の記録は、編集者と管理者が行います。
              <br />
              <span class="en">Editors and admins add units and record dispositions.</span>
            </p>
          )}
        </>
      ),
    });
  });

  app.get('/staff/waves/:id/paper', editorsOnly, (c) => paperPage(c, database, (waveId) => <WaveLinks waveId={waveId} here="paper" canWrite />));

  app.get('/staff/waves/:id/entry', editorsOnly, async (c) => {
    const staff = c.get('staff');
    const { wave, version } = await loadOwnedWave(database, staff, c.req.param('id'));
    const definition = version.definition as Record<string, unknown>;
    const entries = await enteredReturns(database, staff, wave.id);
    // ?response=<id>: the form again with that return's answers, saved as a correction.
    const correcting = c.req.query('response') ? entries.find((e) => e.id === c.req.query('response')) : undefined;
    const form = renderPages(definition, { lang: 'ja', values: correcting?.data, numbered: true });
    return staffPage(c, {
      title: correcting ? `入力した回答を訂正: ${wave.name}` : `紙の回答を入力: ${wave.name}`,
      titleEn: 'Enter paper, mail or interview returns',
      active: 'results',
      page: 'entry',
      scripts: ['formAnswers.js', 'entry.js'],
      children: (
        <>
          <WaveLinks waveId={wave.id} here="entry" canWrite />
          <style>{raw(ENTRY_STYLE)}</style>
          {wave.status !== 'open' ? <p class="problems">この回は終了しています。 This wave is closed.</p> : null}
          {needsSurveyJs(definition) ? (
            <p class="problems">
              この質問票には条件分岐などがあり、ここでは一部の質問を入力できない場合があります。
              <span class="en">This questionnaire uses logic or question types this form cannot show; some answers may not be enterable here.</span>
            </p>
          ) : null}
          {correcting ? (
            <p class="problems">
              {correcting.unitId ?? '（対象者番号なし）'}・{MODE_LABELS[correcting.mode] ?? correcting.mode}・{dateTime(correcting.submittedAt)} に入力された回答を訂正しています。保存すると置き換わり、変更前の内容は監査ログに残ります。
              <span class="en">Correcting an entered return: saving replaces it; the audit log keeps what it was.</span> <a href={`/staff/waves/${wave.id}/entry`}>やめる Cancel</a>
            </p>
          ) : null}
          <form id="entry" class="stack" data-wave-id={wave.id} data-response-id={correcting?.id} novalidate>
            <fieldset>
              <legend>受付 <span class="en">Return</span></legend>
              <div class="row">
                <label class="grow">
                  方法 <span class="en">Mode</span>
                  <select id="entry-mode" name="__mode">
                    {Object.entries(MODE_LABELS).map(([value, label]) => (
                      <option value={value} selected={correcting?.mode === value}>{label} {value}</option>
                    ))}
                  </select>
                </label>
                <label class="grow">
                  対象者番号（unit_id・任意） <span class="en">Unit id (optional)</span>
                  <input id="entry-unit" name="__unitId" type="text" maxlength={200} autocomplete="off" value={correcting?.unitId ?? ''} disabled={Boolean(correcting)} />
                </label>
                <label class="grow">
                  状態 <span class="en">Status</span>
                  <select id="entry-status" name="__status">
                    <option value="complete">完了 complete</option>
                    <option value="partial" selected={correcting?.status === 'partial'}>途中まで partial</option>
                  </select>
                </label>
              </div>
              <p class="hint">
                名簿の対象者番号を入れると、その対象者は「回答済み」になります。 <span class="en">A unit id marks that frame unit as answered.</span>
              </p>
            </fieldset>
            <div id="entry-questions">{raw(form.html)}</div>
            <div id="entry-problems" class="problems" role="alert" hidden></div>
            <p role="status" id="entry-status-line"></p>
            <div class="actions">
              <button type="submit" class="primary">
                保存 <span class="en">Save this return</span>
              </button>
              <span class="meta">
                保存した件数 <strong id="entry-count">0</strong> <span class="en">saved on this page</span>
              </span>
            </div>
          </form>
          <section>
            <h2>
              入力済みの回答 <span class="en">Entered returns</span> <small>{entries.length} 件</small>
            </h2>
            {entries.length === 0 ? (
              <p class="hint">まだありません。 None yet.</p>
            ) : (
              <div class="scroll">
                <table id="entries">
                  <thead>
                    <tr><th>入力日時 <span class="en">Entered</span></th><th>対象者番号 <span class="en">Unit</span></th><th>方法 <span class="en">Mode</span></th><th>状態 <span class="en">Status</span></th><th>入力者 <span class="en">By</span></th><th></th></tr>
                  </thead>
                  <tbody>
                    {entries.map((e) => (
                      <tr data-response-id={e.id}>
                        <td>{dateTime(e.submittedAt)}</td>
                        <td>{e.unitId ?? '—'}</td>
                        <td>{MODE_LABELS[e.mode] ?? e.mode}</td>
                        <td>{e.status === 'complete' ? '完了' : '途中まで'}</td>
                        <td>{e.enteredBy ?? '—'}</td>
                        <td class="actions">
                          <a class="button" href={`/staff/waves/${wave.id}/entry?response=${e.id}`}>訂正 <span class="en">Correct</span></a>
                          <button type="button" class="danger" data-action="delete-entry" data-response-id={e.id}>削除 <span class="en">Delete</span></button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      ),
    });
  });

  return app;
}
