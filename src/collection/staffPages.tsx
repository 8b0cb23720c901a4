/** @jsxImportSource hono/jsx */
/**
 * Collection pages for intermediaries, so they need not use the API:
 *   /staff/waves/:id/frame  upload the frame of invited units (CSV) and get each unit's personal link (shown once),
 *                           and record dispositions of units that did not answer;
 *   /staff/waves/:id/entry  enter paper, mail or interview returns with the questionnaire's own questions (entryPage.tsx);
 *   /staff/waves/:id/paper  the paper questionnaire to print (paperPage.tsx).
 * The pages only render; frame.js and entry.js call POST /api/waves/:id/frame, /frame/dispositions and /responses with the
 * session's CSRF token (staff.js), so the API's checks (role, validation, idempotency) apply unchanged.
 */
import { Hono } from 'hono';
import type { Database } from '../db/database.js';
import { staffPage } from '../web/staff/layout.js';
import { editorsOnly } from '../web/staff/pageGuards.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { frameCounts } from './dispositions.js';
import { DispositionSection, FrameCounts } from './dispositionViews.js';
import { loadOwnedWave } from './loaders.js';
import { entryPage } from './entryPage.js';
import { paperPage } from './paperPage.js';
import { LinkWarning } from '../web/staff/linkWarning.js';

/** The pages of one wave; the invitation list and paper entry are for editors and admins. */
export function WaveLinks(props: { waveId: string; here: 'frame' | 'entry' | 'invitations' | 'paper' | 'mail'; canWrite: boolean }) {
  const links = [
    { key: 'results', href: `/staff/waves/${props.waveId}/results`, ja: '結果', en: 'Results' },
    { key: 'frame', href: `/staff/waves/${props.waveId}/frame`, ja: '名簿と招待リンク', en: 'Frame & links' },
    { key: 'invitations', href: `/staff/waves/${props.waveId}/invitations`, ja: '招待者一覧・印刷', en: 'Invitation list & print' },
    { key: 'mail', href: `/staff/waves/${props.waveId}/mail`, ja: 'メール', en: 'E-mail' },
    { key: 'paper', href: `/staff/waves/${props.waveId}/paper`, ja: '紙の質問票', en: 'Paper questionnaire' },
    { key: 'entry', href: `/staff/waves/${props.waveId}/entry`, ja: '紙の回答を入力', en: 'Enter returns' },
  ].filter((l) => props.canWrite || (l.key !== 'entry' && l.key !== 'paper' && l.key !== 'invitations' && l.key !== 'mail'));
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
                  1行目は見出しです。<code>unit_id</code>（または <code>対象者番号</code>）列が必要です（対象者ごとに重複しない番号。/ \ ? # は使えません）。ほかの列（例: <code>city</code>）は属性として保存され、回収率の内訳に使えます。別の回の招待者一覧（CSV）もそのまま登録できます。個人名や住所は入れないでください。
                  <br />
                  <span class="en">First line: headers; a unit_id (or 対象者番号) column is required (no / \ ? #); another wave's invitation list CSV can be uploaded as is. Other columns (e.g. city) become attributes for response rates. Do not include names or addresses.</span>
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

  app.get('/staff/waves/:id/entry', editorsOnly, (c) => entryPage(c, database, (waveId) => <WaveLinks waveId={waveId} here="entry" canWrite />));

  return app;
}
