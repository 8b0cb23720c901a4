/** @jsxImportSource hono/jsx */
/**
 * /staff/waves/:id/paper — the paper questionnaire of the wave's published version, to print on A4
 * (the browser's print or Chromium's page.pdf()). A blank copy, or one copy per frame unit with its
 * unit id printed in the 対象者番号 box, for all units, those not yet answered, or a pasted list.
 * The picker is hidden in print; each copy starts on a new sheet.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Database } from '../db/database.js';
import { invitations, organisations } from '../db/schema.js';
import { deadlineText } from '../web/japanTime.js';
import { staffPage } from '../web/staff/layout.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { loadOwnedWave } from './loaders.js';
import { paperCopy } from './paperQuestionnaire.js';

/** More copies than this in one page would make the browser's print preview unusable. */
const MAX_COPIES = 500;

type Copies = 'blank' | 'pending' | 'all' | 'list';

const COPY_LABELS: Record<Copies, string> = {
  blank: '白紙（対象者番号なし）1部',
  pending: '名簿の未回答の対象者ごと（対象者番号入り）',
  all: '名簿の全員（対象者番号入り）',
  list: '対象者番号を指定',
};

const PAPER_STYLE = `
.paper-copy { background: #fff; color: #000; border: 1px solid var(--line, #ccc); padding: 1.2rem; margin: 0 0 1.5rem; max-width: 48rem; font-size: 1.05rem; line-height: 1.6; }
.p-head { display: flex; justify-content: space-between; align-items: flex-start; gap: 1rem; flex-wrap: wrap; border-bottom: 2px solid #000; padding-bottom: .4rem; }
.p-head h1 { font-size: 1.4rem; margin: 0; }
.unit-box { border: 1.5px solid #000; padding: .2rem .5rem; display: flex; gap: .5rem; align-items: center; min-width: 12rem; }
.p-boxes { display: flex; flex-direction: column; gap: .3rem; }
.unit-label { font-size: .8rem; }
.unit-id { font-size: 1.1rem; letter-spacing: .05em; }
.unit-blank { display: inline-block; min-width: 8rem; height: 1.4rem; }
.p-intro { margin: .8rem 0 1rem; font-size: .95rem; }
.p-intro div { display: flex; gap: .6rem; padding: .15rem 0; border-bottom: 1px dotted #999; }
.p-intro dt { flex: 0 0 6.5rem; font-weight: 700; }
.p-intro dd { margin: 0; }
.paper-copy h2 { font-size: 1.15rem; border-left: 5px solid #000; padding-left: .4rem; margin: 1rem 0 .4rem; }
.p-panel > h3 { font-size: 1.05rem; margin: .8rem 0 .3rem; }
.pq { margin: .7rem 0 1rem; break-inside: avoid; }
.pq-title { font-size: 1.02rem; margin: 0 0 .3rem; font-weight: 700; }
.pq-no { display: inline-block; border: 1.5px solid #000; padding: 0 .3rem; margin-right: .45rem; font-size: .95rem; }
.how { font-weight: 400; font-size: .9rem; white-space: nowrap; }
.only-if { margin: 0 0 .2rem; font-size: .9rem; font-weight: 700; }
.only-if::before { content: "▶ "; }
.go-to { margin: .2rem 0 0 1.2rem; font-size: .92rem; font-weight: 700; }
.pq[data-conditional] { border-left: 3px solid #000; padding-left: .6rem; }
.paper-copy .choices { list-style: none; padding: 0 0 0 1.2rem; margin: .2rem 0; display: flex; flex-wrap: wrap; gap: .15rem 1.6rem; }
.paper-copy .choices li { display: flex; align-items: baseline; gap: .3rem; }
.paper-copy .choices.two-columns { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); }
.paper-copy .box { font-size: 1.25rem; line-height: 1; }
.paper-copy .fill { display: inline-block; min-width: 10rem; border-bottom: 1px solid #000; }
.paper-copy .ranking .rank-box { display: inline-block; width: 2rem; height: 1.4rem; border: 1px solid #000; margin-right: .3rem; }
.paper-copy table { border-collapse: collapse; margin: .3rem 0 .3rem 1.2rem; width: auto; }
.paper-copy table th, .paper-copy table td { border: 1px solid #000; padding: .2rem .45rem; text-align: center; font-weight: 400; font-size: .9rem; }
.paper-copy table.grid tbody th { text-align: left; }
.paper-copy table.write td { min-width: 6rem; height: 1.8rem; }
.paper-copy .rate-ends { display: flex; justify-content: space-between; max-width: 30rem; margin: 0 0 0 1.2rem; font-size: .85rem; }
.paper-copy .write { margin: .2rem 0 .2rem 1.2rem; }
.paper-copy .write .line { display: block; border-bottom: 1px solid #000; height: 1.9rem; }
.paper-copy .number { margin: .2rem 0 .2rem 1.2rem; display: flex; align-items: center; gap: .6rem; }
.paper-copy .number-box { display: inline-block; width: 7rem; height: 2rem; border: 1.5px solid #000; }
.paper-copy .date { margin: .2rem 0 .2rem 1.2rem; border-bottom: 1px solid #000; display: inline-block; }
.paper-copy .items { margin: .2rem 0 .2rem 1.2rem; }
.paper-copy .items div { display: flex; gap: .5rem; align-items: flex-end; }
.paper-copy .items dd { flex: 1; margin: 0; }
.p-end { margin-top: 1.2rem; text-align: center; }
.p-html, .p-desc { font-size: .92rem; }
@media (max-width: 40rem) { .paper-copy { padding: .7rem; font-size: 1rem; } .p-intro div { flex-direction: column; gap: 0; } .p-intro dt { flex: none; } }
@media print {
  main > h1, .filters { display: none !important; }
  .paper-copy { border: 0; padding: 0; margin: 0; max-width: none; font-size: 10.5pt; }
  .paper-copy + .paper-copy { break-before: page; }
  .p-end { break-before: avoid; margin-top: .6rem; }
  .paper-copy table th, .paper-copy table td { font-size: 9.5pt; }
}
`;

/** The paper questionnaire page; `nav` is the wave's page links. */
export async function paperPage(c: Context<StaffPageEnv>, database: Database, nav: (waveId: string) => Child) {
  const staff = c.get('staff');
  const { wave, version } = await loadOwnedWave(database, staff, c.req.param('id')!);
  const copies = (['blank', 'pending', 'all', 'list'] as const).find((k) => k === c.req.query('copies')) ?? 'blank';
  const listed = (c.req.query('units') ?? '').split(/[\n,、]+/).map((s) => s.trim()).filter(Boolean);
  const [organisation] = await database.db.select().from(organisations).where(eq(organisations.id, wave.organisationId));
  const units = copies === 'blank' ? [] : await unitsToPrint(database, wave.id, copies, listed);
  const intro = {
    organisation: organisation?.name ?? '実施団体',
    purpose: wave.purpose,
    deadline: wave.closesAt ? deadlineText(wave.closesAt) : null,
    contact: organisation?.contact,
    askParticipantCode: wave.askParticipantCode,
  };
  const definition = version.definition as Record<string, unknown>;
  const shown = units.slice(0, MAX_COPIES);
  const printed = copies === 'blank' ? [paperCopy(definition, intro, null)] : shown.map((u) => paperCopy(definition, intro, u));
  const missing = copies === 'list' ? listed.filter((id) => !units.includes(id)) : [];
  return staffPage(c, {
    title: `紙の質問票: ${wave.name}`,
    titleEn: 'Paper questionnaire',
    active: 'results',
    page: 'paper',
    children: (
      <>
        {nav(wave.id)}
        <style>{raw(PAPER_STYLE)}</style>
        <form method="get" class="picker stack" id="paper-picker">
          <fieldset>
            <legend>印刷する部数 <span class="en">Copies</span></legend>
            {(Object.keys(COPY_LABELS) as Copies[]).map((k) => (
              <label class="choice">
                <input type="radio" name="copies" value={k} checked={copies === k} /> {COPY_LABELS[k]}
              </label>
            ))}
            <label>
              対象者番号（改行またはカンマ区切り） <span class="en">Unit ids, for 「対象者番号を指定」</span>
              <textarea name="units" rows={3} class="code">{listed.join('\n')}</textarea>
            </label>
          </fieldset>
          <div class="print-actions">
            <button type="submit">表示 <span class="en">Show</span></button>
            <button type="button" class="primary" data-action="print">印刷・PDF保存 <span class="en">Print</span></button>
            <span class="hint">
              質問票 v{version.version}・{printed.length} 部。問の番号は「紙の回答を入力」の画面と同じです。 <span class="en">{printed.length} copies; 問 numbers match the entry page.</span>
            </span>
          </div>
          {units.length > MAX_COPIES ? (
            <p class="problems">一度に印刷できるのは {MAX_COPIES} 部までです（該当 {units.length} 件）。対象者番号を指定して分けてください。</p>
          ) : null}
          {missing.length ? <p class="problems">名簿にない対象者番号: {missing.join('、')}</p> : null}
          {copies !== 'blank' && units.length === 0 ? <p class="problems">印刷する対象者がいません。 No units to print.</p> : null}
        </form>
        {raw(printed.join(''))}
      </>
    ),
  });
}

/** Unit ids of the frame to print, in frame order: all, those not yet answered, or a pasted list. */
async function unitsToPrint(database: Database, waveId: string, copies: Exclude<Copies, 'blank'>, listed: string[]): Promise<string[]> {
  if (copies === 'list' && listed.length === 0) return [];
  const which =
    copies === 'pending'
      ? inArray(invitations.disposition, ['pending', 'partial'])
      : copies === 'list'
        ? inArray(invitations.unitId, listed.slice(0, 5000))
        : undefined;
  const rows = await database.db
    .select({ unitId: invitations.unitId })
    .from(invitations)
    .where(and(eq(invitations.waveId, waveId), which))
    .orderBy(asc(invitations.createdAt), asc(invitations.id));
  return rows.map((r) => r.unitId);
}
