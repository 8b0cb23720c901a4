/** @jsxImportSource hono/jsx */
/**
 * Printable reports (issue 12): one per wave (overview, response rates, every question's 単純集計 with the
 * instrument scores, chosen cross-tabs, methods and data quality) and one per study (the pre/post
 * comparison with a plain reading). Staff pages laid out for A4: the browser prints them or saves a PDF.
 * Free-text answers are never in a report.
 */
import { eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { Child, FC } from 'hono/jsx';
import { DUPLICATE_POLICIES, formatPValue, ROUNDING_RULE } from '../../analysis/index.js';
import { ScaleDefinitionSchema, type ScaleDefinition } from '../../analysis/scoringSchema.js';
import { loadOwnedWave } from '../collection/loaders.js';
import type { Database } from '../db/database.js';
import { organisations, questionnaires, studies } from '../db/schema.js';
import { Problem, problems } from '../http/problem.js';
import { codebook } from '../questionnaires/codebook.js';
import { dateTime } from '../web/japanTime.js';
import { staffPage, type StaffNav } from '../web/staff/layout.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { pairedPlot } from './charts.js';
import { PrePostReadingBlock, type PrePost } from './prePostReadingView.js';
import { resolveVariable, runCrosstab } from './crosstabQuery.js';
import { frameAttributes } from './pages.js';
import { studyPrePost } from './prepost.js';
import { waveRates } from './rates.js';
import { crosstabSheet, fmt, ratesSheet, type Sheet } from './sheets.js';
import { SheetTable } from './sheetView.js';
import { SummaryView } from './summaryView.js';
import { waveSummary } from './waveSummary.js';
import { InstrumentComparisonView } from '../national/view.js';
import { waveComparison } from '../national/waveComparison.js';

const MODES = [
  { mode: 'web', ja: 'ウェブ', en: 'web' },
  { mode: 'paper', ja: '紙', en: 'paper' },
  { mode: 'mail', ja: '郵送', en: 'mail' },
  { mode: 'interview', ja: '聞き取り', en: 'interview' },
] as const;

/** At most this many cross-tabs in one report (`?tables=row:col,…`). */
const MAX_TABLES = 10;

/** A report as a staff page: the way back and the print button on screen, only the report on paper. Shared by every printable report. */
export function reportPage(c: Context<StaffPageEnv>, props: { title: string; titleEn: string; kind?: string; active?: StaffNav; back: Child; children: Child }) {
  return staffPage(c, {
    title: props.title,
    titleEn: props.titleEn,
    active: props.active ?? 'results',
    page: 'report',
    wide: true,
    children: (
      <article class={`report ${props.kind ?? ''}`.trim()}>
        <nav class="report-nav" aria-label="結果">{props.back}</nav>
        <PrintButton />
        {props.children}
      </article>
    ),
  });
}

const PrintButton: FC = () => (
  <p class="print-actions">
    <button type="button" class="primary" data-action="print">印刷・PDF保存 <span class="en">Print / save as PDF</span></button>
    <span class="hint">A4縦。ブラウザの印刷画面で「PDFに保存」を選ぶとPDFになります。</span>
  </p>
);

const short = (title: string) => (title.length > 12 ? `${title.slice(0, 12)}…` : title);

/** What the scale's missing-item rule does, in Japanese. */
function missingRuleText(scale: ScaleDefinition): string {
  const m = scale.missing;
  if (m.type === 'maxMissing') {
    return m.max === 0
      ? `${scale.label.ja}: 1項目でも無回答があると得点を算出しません（算出不可）。`
      : `${scale.label.ja}: 無回答が${m.max}項目までなら回答済み項目の合計で得点化し、それを超えると算出不可としています。`;
  }
  return `${scale.label.ja}: ${m.minAnswered}項目以上の回答があれば按分（合計 × 項目数 ÷ 回答項目数）で得点化し、それ未満は算出不可としています。`;
}

/**
 * A sheet too wide for A4 portrait as two tables, both with its label columns: the first `count` columns after
 * the labels, then the rest (with the notes). The cells are the download's, only laid out in two.
 */
function splitColumns(sheet: Sheet, labels: number, count: number): Sheet[] {
  const part = (from: number, to: number | undefined, notes: string[]): Sheet => ({
    ...sheet,
    header: [...sheet.header.slice(0, labels), ...sheet.header.slice(from, to)],
    rows: sheet.rows.map((row) => (row.length ? [...row.slice(0, labels), ...row.slice(from, to)] : row)),
    notes,
  });
  return [part(labels, labels + count, []), part(labels + count, undefined, sheet.notes)];
}

export async function waveReportPage(c: Context<StaffPageEnv>, database: Database) {
  const staff = c.get('staff');
  const { wave, version } = await loadOwnedWave(database, staff, c.req.param('id') ?? '');
  const entries = codebook(version);
  const attributes = await frameAttributes(database, wave.id);
  const pages = ((version.definition.pages as { name?: string }[] | undefined) ?? []).map((p) => String(p.name ?? ''));
  const asked = (c.req.query('by') ?? '').split(',').filter((b) => attributes.includes(b));
  const by = asked.length ? asked.slice(0, 2) : attributes.slice(0, 1);

  const [[questionnaire], [organisation], [study], counts, frame] = await Promise.all([
    database.db.select({ title: questionnaires.title }).from(questionnaires).where(eq(questionnaires.id, version.questionnaireId)),
    database.db.select({ k: organisations.suppressionK }).from(organisations).where(eq(organisations.id, staff.organisationId)),
    wave.studyId ? database.db.select({ name: studies.name }).from(studies).where(eq(studies.id, wave.studyId)) : Promise.resolve([]),
    database.rows<{ mode: string; status: string; count: number; first: string | Date | null; last: string | Date | null }>(sql`
      select mode, status, count(*)::int as count, min(submitted_at) as first, max(submitted_at) as last
      from responses where wave_id = ${wave.id} group by 1, 2`),
    database.rows<{ count: number }>(sql`select count(*)::int as count from invitations where wave_id = ${wave.id}`),
  ]);
  const k = organisation?.k ?? 0;
  const total = (f: (r: (typeof counts)[number]) => boolean) => counts.filter(f).reduce((s, r) => s + Number(r.count), 0);
  const complete = total((r) => r.status === 'complete');
  const partial = total((r) => r.status === 'partial');
  const frameSize = Number(frame[0]?.count ?? 0);
  const times = counts.flatMap((r) => [r.first, r.last]).filter((t): t is string | Date => !!t).map((t) => new Date(t).getTime());

  const [rates, summary, national] = await Promise.all([
    waveRates(database, wave.id, by, pages),
    waveSummary(database, wave, entries, version.scoring, { statuses: ['complete'], texts: 0 }),
    waveComparison(database, staff, { wave, version }, k),
  ]);
  const scales = version.scoring.map((s) => ScaleDefinitionSchema.parse(s));

  const tables: { sheet?: Sheet; heading?: string; error?: string; spec: string }[] = [];
  for (const spec of (c.req.query('tables') ?? '').split(',').filter(Boolean).slice(0, MAX_TABLES)) {
    const [rowName, colName] = spec.split(':');
    try {
      const row = resolveVariable(rowName, entries);
      if (row.kind !== 'question') throw problems.badRequest(`"${rowName}" is not a question.`, { detail_ja: `「${rowName}」は質問ではありません（表側には質問を選んでください）。` });
      const col = resolveVariable(colName || undefined, entries);
      const outcome = await runCrosstab(database, { waveId: wave.id, row, col, statuses: ['complete'], letters: 'none', noAnswer: 'auto', suppressBelow: k });
      const title = (v: typeof col) => (v.kind === 'question' ? v.entry.title : v.kind === 'frame' ? v.attribute : '全体');
      // The heading carries the full question texts; the table's corner cell a short form, so the columns keep their width.
      const heading = col.kind === 'total' ? title(row) : `${title(row)} × ${title(col)}`;
      tables.push({ spec, heading, sheet: crosstabSheet(outcome, short(title(row)), short(title(col))) });
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      tables.push({ spec, error: e.body.detail_ja ?? e.body.detail });
    }
  }

  const decimals = summary.questions.flatMap((q) => (q.kind === 'choice' ? [q.groups[0].decimals] : [])).find((d) => d !== undefined) ?? 1;
  const modesUsed = MODES.map((m) => ({ ...m, count: total((r) => r.mode === m.mode) })).filter((m) => m.count > 0);

  return reportPage(c, {
    title: `報告書: ${wave.name}`,
    titleEn: 'Report',
    back: <a href={`/staff/waves/${wave.id}/results`}>← 単純集計へ戻る <span class="en">Back to results</span></a>,
    children: (
      <>
        <section class="report-section" id="overview">
          <h2>1. 調査の概要 <span class="en">Overview</span></h2>
          <table class="facts">
            <tbody>
              <tr><th>回（wave）</th><td>{wave.name}{wave.phase ? `（${wave.phase}）` : ''}</td></tr>
              {study ? <tr><th>調査（study）</th><td>{study.name}</td></tr> : null}
              <tr><th>質問票</th><td>{questionnaire?.title ?? '—'}（第{version.version}版）</td></tr>
              <tr>
                <th>実施期間（日本時間）</th>
                <td>
                  {wave.opensAt || wave.closesAt ? `${dateTime(wave.opensAt)} 〜 ${dateTime(wave.closesAt)}` : '期間の指定なし'}
                  {times.length ? <><br /><small>回答の受付: {dateTime(new Date(Math.min(...times)))} 〜 {dateTime(new Date(Math.max(...times)))}</small></> : null}
                </td>
              </tr>
              <tr><th>状態</th><td>{wave.status === 'open' ? '受付中（数値は作成時点のもの）' : '終了'}</td></tr>
              <tr><th>回答方法</th><td>{modesUsed.length ? modesUsed.map((m) => `${m.ja} ${m.count}件`).join('、') : '回答なし'}</td></tr>
              <tr><th>名簿の対象数</th><td>{frameSize ? `${frameSize}件` : '名簿なし（公開リンクのみ）'}</td></tr>
              <tr><th>回答数</th><td>回答完了 {complete}件、途中まで {partial}件</td></tr>
              <tr><th>作成日時</th><td>{dateTime(new Date())}</td></tr>
            </tbody>
          </table>
          <div id="rates">
          <h3>回収状況 <span class="en">Response</span></h3>
          {rates.kind === 'frame' ? (
            <>
              {by.length ? <p>名簿の属性「{by.join('・')}」別の回収率です。</p> : null}
              {splitColumns(ratesSheet(rates), Math.max(1, by.length), 8).map((sheet, i) => <SheetTable sheet={sheet} id={`rates-table-${i + 1}`} />)}
              {rates.openLink.complete + rates.openLink.partial > 0 ? (
                <p class="note">名簿外（公開リンク）からの回答: 回答完了 {rates.openLink.complete} 件、途中まで {rates.openLink.partial} 件。回収率には含めていません。</p>
              ) : null}
            </>
          ) : (
            <p>名簿がない（公開リンクのみの）回のため、回収率（分母）はありません。回答完了 {rates.completes} 件、途中まで {rates.partials} 件。</p>
          )}
          </div>
        </section>

        <section class="report-section report-summary" id="summary">
          <h2>2. 単純集計と尺度得点 <span class="en">Summary of every question</span></h2>
          <SummaryView summary={summary} />
        </section>

        {tables.length ? (
          <section class="report-section" id="tables">
            <h2>3. クロス集計 <span class="en">Cross-tabulations</span></h2>
            {tables.map((t) =>
              t.sheet ? (
                <div class="report-table">
                  <h3>{t.heading}</h3>
                  <SheetTable sheet={t.sheet} />
                </div>
              ) : (
                <p class="error">{t.spec}: {t.error}</p>
              ),
            )}
          </section>
        ) : null}

        {national.instruments.length ? (
          <section class="report-section" id="national">
            <h2>{tables.length ? 4 : 3}. 全国調査との比較 <span class="en">Beside the national survey</span></h2>
            {national.instruments.map((comparison) => <InstrumentComparisonView comparison={comparison} waveName={wave.name} inReport />)}
          </section>
        ) : null}

        <section class="report-section" id="methods">
          <h2>{3 + (tables.length ? 1 : 0) + (national.instruments.length ? 1 : 0)}. 集計方法とデータの質 <span class="en">Methods and data quality</span></h2>
          <ul class="methods">
            <li>集計の対象は回答完了の {complete} 件です。途中までの回答（{partial} 件）は含めていません。</li>
            <li>無回答は各質問の「無回答」行に示し、% の分母（回答者数 n）に含めています。複数回答の % は回答者数に対する割合で、合計は100%を超えます。</li>
            {scales.map((s) => <li>{missingRuleText(s)}{s.direction ? ` ${s.direction.ja}。` : ''}</li>)}
            <li>% は小数第{decimals}位までの四捨五入（0.5は切り上げ）のため、合計が100.0%にならないことがあります。<span class="en"> {ROUNDING_RULE}.</span></li>
            <li>
              小さいセルの秘匿: この団体の基準は k = {k}
              {k > 0 ? `（${k}件未満の数値は共有用の表で隠す）` : '（秘匿なし）'}です。
              {tables.length && k > 0 ? 'クロス集計にはこの基準を適用しています。' : ''}
              単純集計と回収率の表には適用していないため、外部に配布する前に {k > 0 ? `${k}件未満` : '小さい'}の数値で個人が特定されないか確認してください。
            </li>
            <li>自由記述の回答は、個人が特定されるおそれがあるため、この報告書には含めていません（記入件数のみ）。</li>
            {rates.kind === 'frame' ? <li>回収率は AAPOR の定義によります（回収率 = 回答完了 ÷（対象数 − 対象外））。</li> : null}
          </ul>
        </section>
      </>
    ),
  });
}

/** The pre/post chart with the scale's name and direction on its axis, drawn on the server. */
export async function prePostChart(report: PrePost): Promise<string> {
  const label = (report.scaleLabel as { ja?: string } | undefined)?.ja ?? report.scale.id;
  const direction = report.scaleDirection.higherIs ? `（高いほど${report.scaleDirection.higherIs === 'worse' ? '悪い' : '良い'}）` : '';
  return pairedPlot(report.pairs, report.scale.range, [label, `${direction}`].filter(Boolean));
}

export async function studyReportPage(c: Context<StaffPageEnv>, database: Database) {
  const staff = c.get('staff');
  const duplicates = DUPLICATE_POLICIES.find((policy) => policy === c.req.query('duplicates')) ?? 'exclude';
  let report: PrePost | null = null;
  let error: string | undefined;
  try {
    report = await studyPrePost(database, staff, c.req.param('id') ?? '', { score: c.req.query('score') || undefined, duplicates });
  } catch (e) {
    if (!(e instanceof Problem) || e.status === 404) throw e;
    error = e.body.detail_ja ?? e.body.detail;
  }
  const chart = report ? await prePostChart(report) : null;
  return reportPage(c, {
    title: report ? `報告書: ${report.study.name}` : '報告書',
    titleEn: 'Pre/post report',
    kind: 'report-study',
    back: <a href={`/staff/studies/${c.req.param('id')}/results`}>← 事前・事後比較へ戻る <span class="en">Back</span></a>,
    children: (
      <>
        {error ? <p class="error" role="alert">{error}</p> : null}
        {report && chart ? <StudyReport report={report} chart={chart} /> : null}
      </>
    ),
  });
}

const StudyReport: FC<{ report: PrePost; chart: string }> = ({ report, chart }) => {
  const p = report.paired;
  const label = (report.scaleLabel as { ja?: string; en?: string } | undefined) ?? {};
  const n = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? '—' : fmt(x, d));
  return (
    <>
      <section class="report-section" id="overview">
        <h2>1. 比較の概要 <span class="en">What is compared</span></h2>
        <table class="facts">
          <tbody>
            <tr><th>調査（study）</th><td>{report.study.name}</td></tr>
            <tr><th>事前</th><td>{report.preWave.name}（回答 {report.pre.responses} 件）</td></tr>
            <tr><th>事後</th><td>{report.postWave.name}（回答 {report.post.responses} 件）</td></tr>
            <tr><th>尺度</th><td>{label.ja ?? report.scale.id}（{report.scale.range.min}〜{report.scale.range.max}点）</td></tr>
            <tr><th>点数の向き</th><td>{report.scaleDirection.text ? `${report.scaleDirection.text.ja}` : '尺度の説明を確認してください'}</td></tr>
            {p ? <tr><th>ペア数</th><td>{p.n} 組（事前のみ {p.preOnly} 人、事後のみ {p.postOnly} 人）</td></tr> : null}
          </tbody>
        </table>
      </section>
      <section class="report-section" id="result">
        <h2>2. 結果 <span class="en">Result</span></h2>
        <PrePostReadingBlock report={report} />
        <div class="report-prepost">
          <table class="stats">
            <thead><tr><th></th><th class="num">事前</th><th class="num">事後</th></tr></thead>
            <tbody>
              {p ? (
                <>
                  <tr><th>平均（ペア）</th><td class="num">{n(p.pre.mean)}</td><td class="num">{n(p.post.mean)}</td></tr>
                  <tr><th>標準偏差</th><td class="num">{n(p.pre.sd)}</td><td class="num">{n(p.post.sd)}</td></tr>
                  <tr><th>平均の差（事後 − 事前）</th><td class="num" colspan={2}>{n(p.meanDiff)}</td></tr>
                  <tr><th>95% 信頼区間</th><td class="num" colspan={2}>{p.tTest.ci ? `${n(p.tTest.ci[0])} 〜 ${n(p.tTest.ci[1])}` : '—'}</td></tr>
                  <tr><th>対応のある t 検定</th><td class="num" colspan={2}>{p.tTest.t === null ? '—' : `t(${p.tTest.df}) = ${n(p.tTest.t)}、${formatPValue(p.tTest.p, 'ja')}`}</td></tr>
                  <tr><th>効果量 dz / d_av</th><td class="num" colspan={2}>{n(p.dz)} / {n(p.dAv)}</td></tr>
                  <tr><th>Wilcoxon 符号付順位検定</th><td class="num" colspan={2}>{formatPValue(p.wilcoxon.p, 'ja')}</td></tr>
                </>
              ) : null}
              {report.dichotomy ? <tr><th>McNemar（正確検定）</th><td class="num" colspan={2}>{formatPValue(report.dichotomy.exact.p, 'ja')}</td></tr> : null}
              {report.unpaired ? <tr><th>対応なし（Welch）</th><td class="num" colspan={2}>t = {n(report.unpaired.t)}、{formatPValue(report.unpaired.p, 'ja')}</td></tr> : null}
              <tr><th>Cronbach の α</th><td class="num">{n(report.pre.alpha.alpha)}</td><td class="num">{n(report.post.alpha.alpha)}</td></tr>
              <tr><th>得点を算出できない回答</th><td class="num">{report.pre.unscorable}</td><td class="num">{report.post.unscorable}</td></tr>
            </tbody>
          </table>
          <figure class="chart">{raw(chart)}<figcaption>参加者ごとの事前→事後（灰色の線）と平均（赤）</figcaption></figure>
        </div>
      </section>
      <section class="report-section" id="methods">
        <h2>3. 方法と注意点 <span class="en">Methods and cautions</span></h2>
        <ul class="methods">
          <li>事前と事後の回答は参加者コードでつないでいます。両方に回答した人（ペア）だけが比較の対象です。</li>
          <li>対照群（プログラムに参加していない人）がない前後比較のため、変化がプログラムの効果によるものかは、この比較だけでは分かりません。季節や時間の経過、調査への慣れでも変化は起こります。</li>
          <li>95%信頼区間が0をまたぐ場合は「明確な変化は確認できません」としています。これは変化がなかったことの証明ではありません。</li>
          <li>効果量 dz の大きさの言葉（0.2 小さい、0.5 中程度、0.8 大きい）は Cohen の慣例的な目安です。</li>
          {report.warnings.map((w) => <li>{w}</li>)}
          {(p?.warnings ?? []).map((w) => <li>{w}</li>)}
          <li class="en">{report.method} {p ? `${p.tTest.method}. ${p.wilcoxon.method}.` : ''}</li>
        </ul>
      </section>
    </>
  );
};
