/** @jsxImportSource hono/jsx */
/**
 * /staff/waves/:id/entry — staff key paper, mail and interview returns with the questionnaire's own
 * questions, numbered 問1… as on the paper questionnaire. Each question can be marked 判読不能・無効; a
 * return with blanks may be saved as complete (blanks are missing). The entered returns are listed with
 * their answers by 問 number, and opened again for:
 *   ?response=<id>  correction (the same form, saved with PATCH /api/responses/:id);
 *   ?keying=<id>    double entry: a second person keys the same paper (POST …/keyings);
 *   ?resolve=<id>   the questions the two keyings disagree on, to choose the right reading.
 * entry.js sends everything through the API, so its checks and audit apply unchanged.
 */
import { inArray } from 'drizzle-orm';
import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Database } from '../db/database.js';
import { paperKeyings } from '../db/schema.js';
import { dateTime } from '../web/japanTime.js';
import { staffPage } from '../web/staff/layout.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { needsSurveyJs, renderPages } from '../web/surveyForm.js';
import { keyedLines } from './enteredAnswers.js';
import { enteredReturns } from './entryRoutes.js';
import { loadOwnedWave } from './loaders.js';
import { mismatches } from './paperKeyings.js';

const MODE_LABELS: Record<string, string> = { paper: '紙（手渡し・回収箱）', mail: '郵送', interview: '聞き取り' };

// Styles for the server-rendered questionnaire (participant.css is for phones, not the staff shell).
const ENTRY_STYLE = `
#entry .q { margin: 0 0 .2rem; }
#entry .row { flex-wrap: wrap; }
#entry .row .grow { min-width: 11rem; }
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
#entry label.spoil { display: inline-flex; gap: .35rem; align-items: center; font-weight: normal; font-size: .9rem; color: var(--muted); margin: 0 0 1rem; }
#entry .q.spoiled { opacity: .45; }
.answers { margin: .3rem 0 0; padding-left: 0; list-style: none; font-size: .9rem; }
.answers li { display: flex; gap: .5rem; }
.answers .no { flex: 0 0 3.2rem; color: var(--muted); }
#entries td { vertical-align: top; }
#entries td:first-child { white-space: nowrap; }
#mismatch-table label.choice { display: flex; gap: .4rem; align-items: baseline; font-weight: normal; }
#mismatch-table .which { display: none; color: var(--muted); }
/* On a phone each entered return and each mismatch is a block of its own, not a squeezed table row. */
@media (max-width: 40rem) {
  #entries thead, #mismatch-table thead { display: none; }
  #entries, #entries tbody, #entries tr, #entries td, #mismatch-table, #mismatch-table tbody, #mismatch-table tr, #mismatch-table th, #mismatch-table td { display: block; width: auto; }
  #entries tr, #mismatch-table tr { border-bottom: 1px solid var(--line, #ddd); padding: .5rem 0; }
  #entries td, #mismatch-table th, #mismatch-table td { border: 0; padding: .1rem 0; }
  #entries td.actions { display: flex; }
  #mismatch-table .which { display: inline; }
}
`;

/** The entry page; `nav` is the wave's page links. */
export async function entryPage(c: Context<StaffPageEnv>, database: Database, nav: (waveId: string) => Child) {
  const staff = c.get('staff');
  const { wave, version } = await loadOwnedWave(database, staff, c.req.param('id')!);
  const definition = version.definition as Record<string, unknown>;
  const entries = await enteredReturns(database, staff, wave.id);
  const keyings = entries.length
    ? await database.db.select().from(paperKeyings).where(inArray(paperKeyings.responseId, entries.map((e) => e.id)))
    : [];
  const keyingOf = new Map(keyings.map((k) => [k.responseId, k]));
  const pick = (param: string) => (c.req.query(param) ? entries.find((e) => e.id === c.req.query(param)) : undefined);
  const correcting = pick('response');
  const verifying = pick('keying');
  const resolving = pick('resolve');
  const unresolved = entries.filter((e) => keyingOf.get(e.id) && !keyingOf.get(e.id)!.resolvedAt);
  const form = renderPages(definition, { lang: 'ja', values: correcting?.data, numbered: true, spoilable: { spoiled: correcting?.spoiled ?? [] } });
  const which = (e: (typeof entries)[number]) => `${e.unitId ?? '（対象者番号なし）'}・${MODE_LABELS[e.mode] ?? e.mode}・${dateTime(e.submittedAt)}`;

  return staffPage(c, {
    title: correcting ? `入力した回答を訂正: ${wave.name}` : verifying ? `2回目の入力（照合）: ${wave.name}` : resolving ? `入力の不一致を解決: ${wave.name}` : `紙の回答を入力: ${wave.name}`,
    titleEn: 'Enter paper, mail or interview returns',
    active: 'results',
    page: 'entry',
    scripts: ['formAnswers.js', 'entry.js'],
    children: (
      <>
        {nav(wave.id)}
        <style>{raw(ENTRY_STYLE)}</style>
        {wave.status !== 'open' ? <p class="problems">この回は終了しています。 This wave is closed.</p> : null}
        {unresolved.length && !resolving ? (
          <section class="problems" id="mismatches">
            <strong>照合の不一致があります（{unresolved.length} 件）</strong> <span class="en">Double-entry mismatches to resolve</span>
            <ul>
              {unresolved.map((e) => (
                <li><a href={`/staff/waves/${wave.id}/entry?resolve=${e.id}`}>{which(e)}</a></li>
              ))}
            </ul>
          </section>
        ) : null}
        {resolving ? <Resolution waveId={wave.id} entry={resolving} label={which(resolving)} definition={definition} keying={keyingOf.get(resolving.id)} /> : (
          <>
            {needsSurveyJs(definition) ? (
              <p class="problems">
                この質問票には条件分岐などがあり、ここでは一部の質問を入力できない場合があります。
                <span class="en">This questionnaire uses logic or question types this form cannot show; some answers may not be enterable here.</span>
              </p>
            ) : null}
            {correcting ? (
              <p class="problems">
                {which(correcting)} に入力された回答を訂正しています。保存すると置き換わり、変更前の内容は監査ログに残ります。
                <span class="en">Correcting an entered return: saving replaces it; the audit log keeps what it was.</span> <a href={`/staff/waves/${wave.id}/entry`}>やめる Cancel</a>
              </p>
            ) : null}
            {verifying ? (
              <p class="problems">
                {which(verifying)} の用紙を、最初に入力した人（{verifying.enteredBy ?? '—'}）とは別の人がもう一度入力します。前の入力は見せません。違う問は照合の一覧に出ます。
                <span class="en">Double entry: key the same paper again without seeing the first keying.</span> <a href={`/staff/waves/${wave.id}/entry`}>やめる Cancel</a>
              </p>
            ) : null}
            <form id="entry" class="stack" data-wave-id={wave.id} data-response-id={correcting?.id} data-keying-id={verifying?.id} novalidate>
              <fieldset>
                <legend>受付 <span class="en">Return</span></legend>
                <div class="row">
                  <label class="grow">
                    方法 <span class="en">Mode</span>
                    <select id="entry-mode" name="__mode" disabled={Boolean(verifying)}>
                      {Object.entries(MODE_LABELS).map(([value, label]) => (
                        <option value={value} selected={(correcting ?? verifying)?.mode === value}>{label} {value}</option>
                      ))}
                    </select>
                  </label>
                  <label class="grow">
                    対象者番号（unit_id・任意） <span class="en">Unit id (optional)</span>
                    <input id="entry-unit" name="__unitId" type="text" maxlength={200} autocomplete="off" value={(correcting ?? verifying)?.unitId ?? ''} disabled={Boolean(correcting ?? verifying)} />
                  </label>
                  {wave.askParticipantCode && !verifying ? (
                    <label class="grow">
                      参加者コード（用紙の記入どおり） <span class="en">Participant code</span>
                      {/* The stored code is only a keyed hash: a correction can set it again, not show it. */}
                      <input id="entry-code" name="__participantCode" type="text" maxlength={64} autocomplete="off" placeholder={correcting ? '空欄なら変更しません' : undefined} />
                    </label>
                  ) : null}
                  <label class="grow">
                    状態 <span class="en">Status</span>
                    <select id="entry-status" name="__status" disabled={Boolean(verifying)}>
                      <option value="complete">完了（空欄は無回答） complete</option>
                      <option value="partial" selected={correcting?.status === 'partial'}>途中まで partial</option>
                    </select>
                  </label>
                </div>
                <p class="hint">
                  名簿の対象者番号を入れると、その対象者は「回答済み」になります。{wave.askParticipantCode ? '参加者コードは用紙の記入どおりに入れます。空欄でも保存できますが、その回答は事前・事後の対応づけには使われません。' : ''}空欄の問があっても返送された用紙は「完了」で保存でき、空欄は無回答になります。二重回答や読めない記入は、その問の「判読不能・無効」に✓をつけます。
                  <br />
                  <span class="en">A unit id marks that unit as answered. A returned paper with blanks is complete; blanks are missing. Mark double or unreadable answers as unreadable.</span>
                </p>
              </fieldset>
              <div id="entry-questions">{raw(form.html)}</div>
              <div id="entry-problems" class="problems" role="alert" hidden></div>
              <p role="status" id="entry-status-line"></p>
              <div class="actions">
                <button type="submit" class="primary">
                  {verifying ? '照合のために保存' : '保存'} <span class="en">{verifying ? 'Save second keying' : 'Save this return'}</span>
                </button>
                <span class="meta">
                  保存した件数 <strong id="entry-count">0</strong> <span class="en">saved on this page</span>
                </span>
              </div>
            </form>
          </>
        )}
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
                  <tr><th>入力日時 <span class="en">Entered</span></th><th>対象者番号 <span class="en">Unit</span></th><th>方法 <span class="en">Mode</span></th><th>状態 <span class="en">Status</span></th><th>入力者 <span class="en">By</span></th><th>回答 <span class="en">Answers</span></th><th></th></tr>
                </thead>
                <tbody>
                  {entries.map((e) => {
                    const keying = keyingOf.get(e.id);
                    return (
                      <tr data-response-id={e.id}>
                        <td>{dateTime(e.submittedAt)}</td>
                        <td>{e.unitId ?? '—'}</td>
                        <td>{MODE_LABELS[e.mode] ?? e.mode}</td>
                        <td>
                          {e.status === 'complete' ? '完了' : '途中まで'}
                          {keying ? <><br /><span class="badge">{keying.resolvedAt ? '照合済み' : '不一致あり'}</span></> : null}
                        </td>
                        <td>{e.enteredBy ?? '—'}</td>
                        <td>
                          <details>
                            <summary>問ごとの回答を表示</summary>
                            <ul class="answers">
                              {keyedLines(definition, e.data, e.spoiled).map((line) => (
                                <li><span class="no">問{line.no}</span><span>{line.answer}</span></li>
                              ))}
                            </ul>
                          </details>
                        </td>
                        <td class="actions">
                          <a class="button" href={`/staff/waves/${wave.id}/entry?response=${e.id}`}>訂正 <span class="en">Correct</span></a>
                          {keying ? null : <a class="button" href={`/staff/waves/${wave.id}/entry?keying=${e.id}`}>2回目の入力 <span class="en">Key again</span></a>}
                          {keying && !keying.resolvedAt ? <a class="button" href={`/staff/waves/${wave.id}/entry?resolve=${e.id}`}>不一致を解決 <span class="en">Resolve</span></a> : null}
                          <button type="button" class="danger" data-action="delete-entry" data-response-id={e.id}>削除 <span class="en">Delete</span></button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </>
    ),
  });
}

type Entered = Awaited<ReturnType<typeof enteredReturns>>[number];
type Keying = typeof paperKeyings.$inferSelect;

/** The questions two keyings disagree on: both readings side by side, the editor choosing the right one. */
function Resolution(props: { waveId: string; entry: Entered; label: string; definition: Record<string, unknown>; keying: Keying | undefined }) {
  const { keying } = props;
  if (!keying || keying.resolvedAt) {
    return <p class="hint">この回答に解決する不一致はありません。 <a href={`/staff/waves/${props.waveId}/entry`}>戻る Back</a></p>;
  }
  const found = mismatches(props.definition, props.entry, keying);
  return (
    <form id="resolve" class="stack" data-wave-id={props.waveId} data-response-id={props.entry.id}>
      <p>
        {props.label} の用紙で、1回目と2回目の入力が {found.length} 問で違います。用紙を見て、正しい方を選んでください。選んだ内容で回答が訂正され、監査ログに残ります。
        <br />
        <span class="en">The two keyings differ on these questions: check the paper and choose the right reading.</span>
      </p>
      <div class="scroll">
        <table id="mismatch-table">
          <thead>
            <tr><th>問</th><th>質問 <span class="en">Question</span></th><th>1回目 <span class="en">First</span></th><th>2回目 <span class="en">Second</span></th></tr>
          </thead>
          <tbody>
            {found.map((m) => (
              <tr data-question={m.name}>
                <th>{m.label}</th>
                <td>{m.title}</td>
                <td><label class="choice"><input type="radio" name={m.name} value="first" required /> <span><span class="which">1回目: </span>{m.first}</span></label></td>
                <td><label class="choice"><input type="radio" name={m.name} value="second" required /> <span><span class="which">2回目: </span>{m.second}</span></label></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div id="entry-problems" class="problems" role="alert" hidden></div>
      <div class="actions">
        <button type="submit" class="primary">選んだ内容で確定 <span class="en">Resolve</span></button>
        <a class="button" href={`/staff/waves/${props.waveId}/entry`}>やめる Cancel</a>
      </div>
    </form>
  );
}

