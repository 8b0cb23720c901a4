/** @jsxImportSource hono/jsx */
/**
 * Staff pages of the invitation list (editors and admins: a link lets whoever holds it answer as the unit):
 *   /staff/waves/:id/invitations          the units a page at a time, filtered by disposition or unit id,
 *                                         with link and access code; downloads and printed matter
 *   /staff/waves/:id/invitations/:unitId  one unit: QR code, link and code again, re-issue, attribute correction
 * Writes go through the API (invitations.js with the session's CSRF token), so its checks and audit apply.
 */
import { Hono } from 'hono';
import { raw } from 'hono/html';
import { DISPOSITIONS } from '../collection/dispositionViews.js';
import { loadOwnedWave } from '../collection/loaders.js';
import { WaveLinks } from '../collection/staffPages.js';
import type { Database } from '../db/database.js';
import { problems } from '../http/problem.js';
import { validate } from '../http/json.js';
import { dateTime } from '../web/japanTime.js';
import { staffPage } from '../web/staff/layout.js';
import { LinkWarning } from '../web/staff/linkWarning.js';
import { editorsOnly } from '../web/staff/pageGuards.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { oneUnit, unitPage, type ListedUnit } from './listQuery.js';
import { PurposeForm, PrintLinks } from './printLinks.js';
import { listQuery } from './schemas.js';
import { auditLinksShown, qrSvg, shortAddress, shownLink } from './shownLinks.js';
import { dispositionJa, REISSUE_NEEDED } from './unitSheet.js';

const PER_PAGE = 50;

// Links are long unbroken strings: they wrap anywhere rather than widen a phone's page.
const PAGE_STYLE = `
#units .link-cell, .unit-link dd { overflow-wrap: anywhere; word-break: break-all; }
#units .link-cell { min-width: 12rem; }
.access-code { font-family: ui-monospace, monospace; letter-spacing: .08em; white-space: nowrap; }
.unit-link .qr { width: 100%; max-width: 15rem; }
.unit-link .qr svg { display: block; width: 100%; height: auto; }
.unit-link dd { margin: 0 0 .5rem; }
.print-setup { display: grid; grid-template-columns: 1fr 1fr; gap: 0 2rem; }
@media (max-width: 900px) { .print-setup { grid-template-columns: 1fr; } }
#unit-filter { flex-wrap: wrap; }
#unit-filter label { flex: 1 1 14rem; }
#units td:first-child { white-space: nowrap; }
/* A phone lists each unit as a short block instead of a table wider than the screen. */
@media (max-width: 600px) {
  #units thead { display: none; }
  #units tr { display: block; border-bottom: 1px solid var(--line); padding: .4rem 0; }
  #units td { display: block; border: 0; padding: .1rem .6rem; }
  #units td:first-child { font-weight: 700; }
}
`;

const attributeText = (attributes: ListedUnit['attributes']) =>
  Object.entries(attributes)
    .map(([k, v]) => `${k}: ${v ?? '—'}`)
    .join('、');

export function invitationPages(database: Database, hashKey: string, publicUrl: (path: string) => string) {
  const app = new Hono<StaffPageEnv>();

  app.get('/staff/waves/:id/invitations', editorsOnly, async (c) => {
    const { wave } = await loadOwnedWave(database, c.get('staff'), c.req.param('id'));
    const q = validate(listQuery, { ...c.req.query(), perPage: String(PER_PAGE) });
    const filter = { disposition: q.disposition, search: q.q };
    const { units, total } = await unitPage(database, wave.id, filter, { offset: (q.page - 1) * PER_PAGE, limit: PER_PAGE });
    await auditLinksShown(database, c.get('staff'), wave.id, { via: 'list', units: units.map((u) => u.unitId) });
    const pages = Math.max(1, Math.ceil(total / PER_PAGE));
    const chosen = q.disposition[0] ?? '';
    const query = (extra: Record<string, string>) => {
      const params = new URLSearchParams({ ...(chosen ? { disposition: chosen } : {}), ...(q.q ? { q: q.q } : {}), ...extra });
      return params.toString() ? `?${params}` : '';
    };
    const base = `/staff/waves/${wave.id}`;
    return staffPage(c, {
      title: `招待者一覧: ${wave.name}`,
      titleEn: 'Invitation list',
      active: 'results',
      page: 'invitations',
      scripts: ['invitations.js'],
      wide: true,
      children: (
        <>
          <WaveLinks waveId={wave.id} here="invitations" canWrite />
          <style>{raw(PAGE_STYLE)}</style>
          <LinkWarning sample={publicUrl('/t/')} />
          <div class="print-setup">
            <PrintLinks wave={wave} />
            <PurposeForm wave={wave} />
          </div>
          <section>
            <h2>
              対象者 <small class="en">Units</small>
            </h2>
            <form method="get" class="row" id="unit-filter">
              <label class="grow">
                回答状況 <span class="en">Disposition</span>
                <select name="disposition">
                  <option value="">すべて All</option>
                  {DISPOSITIONS.map((d) => (
                    <option value={d.key} selected={chosen === d.key}>
                      {d.ja} {d.en}
                    </option>
                  ))}
                </select>
              </label>
              <label class="grow">
                対象者番号（前方一致） <span class="en">Unit id starts with</span>
                <input name="q" value={q.q ?? ''} maxlength={200} autocomplete="off" />
              </label>
              <button type="submit">絞り込む <span class="en">Filter</span></button>
            </form>
            <p>
              <strong id="unit-total">{total}</strong> 件 <span class="en">units</span>
              {total > PER_PAGE ? ` ・ ${q.page} / ${pages} ページ` : ''} ・ 対象者を追加するときは<a href={`${base}/frame`}>名簿と招待リンク</a>のページから登録します。
            </p>
            <p class="actions">
              <a class="button" href={`/api/waves/${wave.id}/invitations/export${query({ format: 'xlsx' })}`}>Excel (XLSX)</a>
              <a class="button" href={`/api/waves/${wave.id}/invitations/export${query({ format: 'csv' })}`}>CSV（差し込み印刷用）</a>
              <a class="button primary" href={`${base}/print/letters${query({})}`}>
                この条件で案内状を印刷 <span class="en">Print letters</span>
              </a>
            </p>
            <p class="hint">
              この一覧の表示、ダウンロードと印刷は操作記録に残ります。リンクを持つ人はその対象者として回答できるため、取り扱いに注意してください。
              <span class="en"> Viewing this list, downloads and printing are audited.</span>
            </p>
            <div class="scroll">
              <table id="units">
                <thead>
                  <tr>
                    <th>対象者番号 <span class="en">Unit</span></th>
                    <th>属性 <span class="en">Attributes</span></th>
                    <th>回答状況 <span class="en">Disposition</span></th>
                    <th>最終更新 <span class="en">Last activity</span></th>
                    <th>アクセスコード・リンク <span class="en">Code, link</span></th>
                  </tr>
                </thead>
                <tbody>
                  {units.map((u) => {
                    const link = shownLink(hashKey, publicUrl, u);
                    return (
                      <tr data-unit-id={u.unitId}>
                        <td>
                          <a href={`${base}/invitations/${encodeURIComponent(u.unitId)}`}>{u.unitId}</a>
                        </td>
                        <td>{attributeText(u.attributes)}</td>
                        <td>{dispositionJa(u.disposition)}</td>
                        <td>{dateTime(u.updatedAt)}</td>
                        <td class="link-cell">
                          {link ? (
                            <>
                              <strong class="access-code">{link.accessCode}</strong>
                              <br />
                              <a href={link.url} class="meta" rel="noreferrer">{link.url}</a>
                            </>
                          ) : (
                            <span class="meta">{REISSUE_NEEDED}</span>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {pages > 1 ? (
              <nav class="filters" aria-label="ページ">
                {q.page > 1 ? <a href={query({ page: String(q.page - 1) })}>← 前へ Previous</a> : null}
                <span class="meta">{q.page} / {pages}</span>
                {q.page < pages ? <a href={query({ page: String(q.page + 1) })}>次へ Next →</a> : null}
              </nav>
            ) : null}
          </section>
        </>
      ),
    });
  });

  app.get('/staff/waves/:id/invitations/:unitId', editorsOnly, async (c) => {
    const { wave } = await loadOwnedWave(database, c.get('staff'), c.req.param('id'));
    const unit = await oneUnit(database, wave.id, c.req.param('unitId'));
    if (!unit) throw problems.notFound('Unit', `対象者番号「${c.req.param('unitId')}」はこの調査回の名簿にありません。`);
    const link = shownLink(hashKey, publicUrl, unit);
    await auditLinksShown(database, c.get('staff'), wave.id, { via: 'unit', units: [unit.unitId] });
    const base = `/staff/waves/${wave.id}`;
    return staffPage(c, {
      title: `対象者 ${unit.unitId}`,
      titleEn: 'Invited unit',
      active: 'results',
      page: 'invitation',
      scripts: ['invitations.js'],
      children: (
        <>
          <WaveLinks waveId={wave.id} here="invitations" canWrite />
          <style>{raw(PAGE_STYLE)}</style>
          <LinkWarning sample={publicUrl('/t/')} />
          <p>
            <a href={`${base}/invitations`}>← 招待者一覧 Invitation list</a>
          </p>
          <section>
            <p>
              回答状況 <strong>{dispositionJa(unit.disposition)}</strong> ・ 最終更新 {dateTime(unit.updatedAt)}
              {unit.email ? <> ・ メール {unit.email}（<a href={`${base}/invitations/${encodeURIComponent(unit.unitId)}/messages`}>送信履歴 <span class="en">history</span></a>）</> : null}
            </p>
            {link ? (
              <div class="unit-link">
                <div class="qr" role="img" aria-label={`QRコード: ${link.url}`}>{raw(await qrSvg(link.url))}</div>
                <dl>
                  <dt>アクセスコード <span class="en">Access code</span></dt>
                  <dd><strong class="access-code">{link.accessCode}</strong>（{shortAddress(publicUrl)} で入力）</dd>
                  <dt>招待リンク <span class="en">Link</span></dt>
                  <dd><a href={link.url} rel="noreferrer">{link.url}</a></dd>
                </dl>
                <p>
                  <a class="button" href={`${base}/print/letters?units=${encodeURIComponent(unit.unitId)}`}>この対象者の案内状を印刷 <span class="en">Print letter</span></a>
                </p>
              </div>
            ) : (
              <p class="problems">{REISSUE_NEEDED}。再発行すると新しいリンクとアクセスコードを表示・印刷できます。</p>
            )}
          </section>
          <section>
            <h2>リンクを再発行 <small class="en">Re-issue the link</small></h2>
            <p class="hint">
              新しいリンクとアクセスコードを作ります。以前のリンクとコードは使えなくなります（無効なリンクと同じ表示になります）。案内状をなくした・他人に渡った場合に使います。回答済みの内容は消えません。
              <br />
              <span class="en">Makes a new link and code; the old ones stop working. Answers already given are kept.</span>
            </p>
            <button type="button" class="danger" data-action="reissue" data-wave-id={wave.id} data-unit-id={unit.unitId}>
              再発行する <span class="en">Re-issue</span>
            </button>
            <div id="reissue-problems" class="problems" role="alert" hidden></div>
          </section>
          <section>
            <h2>属性を訂正 <small class="en">Correct attributes</small></h2>
            <p class="hint">1行に1つ「名前: 値」の形で書きます。空の行は無視します。変更前と変更後は操作記録に残ります。 <span class="en">One “name: value” per line; audited with before and after.</span></p>
            <form id="attributes-form" class="stack" data-wave-id={wave.id} data-unit-id={unit.unitId}>
              <textarea id="attributes-text" class="code" rows={Math.max(4, Object.keys(unit.attributes).length + 1)} spellcheck={false}>
                {Object.entries(unit.attributes).map(([k, v]) => `${k}: ${v ?? ''}`).join('\n')}
              </textarea>
              <div id="attributes-problems" class="problems" role="alert" hidden></div>
              <p role="status" id="attributes-status"></p>
              <div class="actions">
                <button type="submit" class="primary">訂正を保存 <span class="en">Save</span></button>
              </div>
            </form>
          </section>
        </>
      ),
    });
  });

  return app;
}
