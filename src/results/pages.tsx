/** @jsxImportSource hono/jsx */
import { sql } from 'drizzle-orm';
import { raw } from 'hono/html';
import type { FC } from 'hono/jsx';
import type { Database } from '../db/database.js';
import type { CodebookEntry } from '../questionnaires/codebook.js';
import type { studyPrePost } from './prepost.js';
import { duplicateRows, POLICY_LABELS } from './prePostSheets.js';
import { PrePostReadingBlock } from './prePostReadingView.js';
import { dateTime } from '../web/japanTime.js';
import type { waveRates } from './rates.js';
import { fmt, PERCENT_BASES, ratesSheet, type Sheet } from './sheets.js';
import { SheetTable } from './sheetView.js';

type Rates = Awaited<ReturnType<typeof waveRates>>;
type PrePost = Awaited<ReturnType<typeof studyPrePost>>;

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${x.toFixed(2)}%`);

/** Attributes present on a wave's frame, for the "by" and column pickers. */
export async function frameAttributes(database: Database, waveId: string): Promise<string[]> {
  const rows = await database.rows<{ key: string }>(sql`
    select distinct jsonb_object_keys(attributes) as key from invitations where wave_id = ${waveId} order by 1`);
  return rows.map((r) => r.key);
}

export const Downloads: FC<{ base: string; formats?: string[] }> = ({ base, formats = ['csv', 'xlsx'] }) => (
  <p class="downloads">
    {formats.map((f) => (
      <a class="button" href={`${base}${base.includes('?') ? '&' : '?'}format=${f}`} download>
        {f.toUpperCase()} ダウンロード
      </a>
    ))}
  </p>
);

export const RatesPanel: FC<{ waveId: string; rates: Rates; by: string[]; attributes: string[]; keep: Record<string, string | undefined> }> = ({ waveId, rates, by, attributes, keep }) => {
  const query = by.length ? `?by=${encodeURIComponent(by.join(','))}` : '';
  return (
    <section>
      <h2>回収率 <small>Response rates</small></h2>
      {attributes.length > 0 && (
        <form method="get" class="picker">
          <Keep values={keep} />
          <label>
            内訳 (by){' '}
            <select name="by">
              <option value="">全体のみ</option>
              {attributes.map((a) => (
                <option value={a} selected={by[0] === a}>{a}</option>
              ))}
            </select>
          </label>
          <button type="submit">表示</button>
        </form>
      )}
      {rates.kind === 'frame' ? (
        <>
          <SheetTable sheet={ratesSheet(rates)} id="rates" />
          {rates.openLink.complete + rates.openLink.partial > 0 ? (
            <p class="note">
              名簿外（公開リンク）からの回答: 回答完了 {rates.openLink.complete} 件、途中まで {rates.openLink.partial} 件。回収率には含めていません。
              <span class="en"> Open-link responses outside the frame are not in the rates.</span>
            </p>
          ) : null}
          <img class="chart" alt="回収率のグラフ" src={`/api/waves/${waveId}/rates${query}${query ? '&' : '?'}format=svg`} />
          <Downloads base={`/api/waves/${waveId}/rates${query}`} />
        </>
      ) : (
        <>
          <p>オープンリンクのみのため回収率（分母）はありません。 Open link only: no frame, so no response rate.</p>
          <table>
            <tbody>
              <tr><th>回答完了 (complete)</th><td>{rates.completes}</td></tr>
              <tr><th>途中まで (partial)</th><td>{rates.partials}</td></tr>
              {rates.breakOffByPage.map((b) => (
                <tr><th>中断ページ: {b.page ?? '(不明)'}</th><td>{b.count}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
};

export type CrosstabChoice = { row?: string; col?: string; missing?: string; letters?: string; suppress?: string; percent?: string; include?: string };

const LETTERS: Record<string, string> = { none: 'なし', holm: 'あり（Holm 補正）', bonferroni: 'あり（Bonferroni 補正）' };

/**
 * The cross-tab picker and its table. The table is the download's own sheet (sheetView.tsx) at the same
 * k, so the screen shows exactly the cells, markers and notes that CSV and XLSX hold.
 */
export const CrosstabPanel: FC<{
  waveId: string;
  entries: CodebookEntry[];
  attributes: string[];
  choice: CrosstabChoice;
  k: number;
  sheet: Sheet | null;
  error?: string;
  keep: Record<string, string | undefined>;
}> = ({ waveId, entries, attributes, choice, k, sheet, error, keep }) => {
  const rowChoices = entries.filter((e) => e.shape === 'single' || e.shape === 'multiple');
  const colChoices = entries.filter((e) => e.shape === 'single');
  const params = new URLSearchParams(Object.entries({ ...choice, suppress: String(k) }).filter(([, v]) => v) as [string, string][]);
  const select = (name: keyof CrosstabChoice, options: Record<string, string>, fallback: string) => (
    <select name={name}>
      {Object.entries(options).map(([value, label]) => <option value={value} selected={(choice[name] ?? fallback) === value}>{label}</option>)}
    </select>
  );
  return (
    <section>
      <h2>クロス集計 <small>Cross-tabulation</small></h2>
      <form method="get" class="picker">
        <Keep values={keep} />
        <label>
          表側（行） <span class="en">Row</span>
          <select name="row" required>
            {rowChoices.map((e) => (
              <option value={e.name} selected={choice.row === e.name}>{short(e.title)}{e.shape === 'multiple' ? '（複数回答）' : ''}</option>
            ))}
          </select>
        </label>
        <label>
          表頭（列） <span class="en">Column</span>
          <select name="col">
            <option value="">（なし: 単純集計）</option>
            {attributes.map((a) => <option value={`frame.${a}`} selected={choice.col === `frame.${a}`}>名簿: {a}</option>)}
            {colChoices.map((e) => <option value={e.name} selected={choice.col === e.name}>{short(e.title)}</option>)}
          </select>
        </label>
        <label>% の基準 <span class="en">Percent of</span>{select('percent', PERCENT_BASES, 'row')}</label>
        <label>無回答 <span class="en">No answer</span>{select('missing', { show: '行・列として表示', exclude: '集計から除く' }, 'show')}</label>
        <label>列比較の記号 <span class="en">Column letters</span>{select('letters', LETTERS, 'none')}</label>
        <label>対象 <span class="en">Responses</span>{select('include', { complete: '回答完了のみ', all: '途中までの回答も含む' }, 'complete')}</label>
        <label>
          秘匿する件数 k <span class="en">Suppress below</span>
          <input type="number" name="suppress" min="0" max="100" value={String(k)} />
        </label>
        <button type="submit">集計</button>
      </form>
      <p class="hint">
        {k > 0 ? `${k} 件未満のセルと、そこから計算できるセルを「x」で隠しています（団体の設定 k 以上。ダウンロードも同じ表です）。` : '秘匿なし（団体の設定 k = 0）。'}
        列比較の記号は列%の横に付きます。
      </p>
      {error && <p class="error" role="alert">{error}</p>}
      {sheet && <SheetTable sheet={sheet} id="crosstab" />}
      {sheet && (
        <>
          <img class="chart" alt="クロス集計のグラフ" src={`/api/waves/${waveId}/crosstab?${params}&format=svg`} />
          <Downloads base={`/api/waves/${waveId}/crosstab?${params}`} />
        </>
      )}
    </section>
  );
};

/** Each picker keeps the other picker's choice, so changing one does not reset the other. */
const Keep: FC<{ values: Record<string, string | undefined> }> = ({ values }) => (
  <>{Object.entries(values).map(([name, value]) => (value ? <input type="hidden" name={name} value={value} /> : null))}</>
);

function short(title: string) {
  return title.length > 40 ? `${title.slice(0, 40)}…` : title;
}

const Warnings: FC<{ list: string[] }> = ({ list }) =>
  list.length ? (
    <ul class="warnings">
      {list.map((w) => <li>{w}</li>)}
    </ul>
  ) : null;

export const PrePostPanel: FC<{ studyId: string; report: PrePost; query: string; chart?: string }> = ({ studyId, report, query, chart }) => {
  const p = report.paired;
  const row = (label: string, pre: unknown, post?: unknown) => (
    <tr><th>{label}</th><td>{typeof pre === 'number' ? fmt(pre) : String(pre ?? '—')}</td><td>{post === undefined ? '' : typeof post === 'number' ? fmt(post) : String(post ?? '—')}</td></tr>
  );
  return (
    <section>
      <h2>事前・事後比較 <small>Pre/post: {report.scale.id}</small></h2>
      <PrePostReadingBlock report={report} />
      <div class="two">
        <table>
          <thead><tr><th></th><th>事前 {report.preWave.name}</th><th>事後 {report.postWave.name}</th></tr></thead>
          <tbody>
            {row('回答数 (responses)', report.pre.responses, report.post.responses)}
            {row('採点不能 (unscorable)', report.pre.unscorable, report.post.unscorable)}
            {row("Cronbach's α", report.pre.alpha.alpha, report.post.alpha.alpha)}
            {p && row('ペア数 (pairs)', p.n, p.n)}
            {p && row('事前のみ / 事後のみ', p.preOnly, p.postOnly)}
            {p && row('平均 (mean)', p.pre.mean, p.post.mean)}
            {p && row('標準偏差 (SD)', p.pre.sd, p.post.sd)}
            {p && row('平均差 (post − pre)', p.meanDiff)}
            {p && row('差の SD', p.sdDiff)}
            {p && row(`対応のある t 検定: t (df = ${p.tTest.df})`, p.tTest.t)}
            {p && row('p', p.tTest.p)}
            {p && row('95% CI', p.tTest.ci ? `${fmt(p.tTest.ci[0])} 〜 ${fmt(p.tTest.ci[1])}` : '—')}
            {p && row('効果量 dz / d_av', `${fmt(p.dz)} / ${fmt(p.dAv)}`)}
            {p && row('Wilcoxon V, p', `${fmt(p.wilcoxon.v)}, ${fmt(p.wilcoxon.p)}`)}
            {p && row('順位双列相関 r', p.rankBiserial)}
            {report.dichotomy && row('McNemar (exact) p', report.dichotomy.exact.p)}
            {report.unpaired && row('対応なし Welch t, p', `${fmt(report.unpaired.t)}, ${fmt(report.unpaired.p)}`)}
          </tbody>
        </table>
        {chart ? <figure class="chart" aria-label="事前・事後のペアプロット">{raw(chart)}</figure> : <img class="chart" alt="事前・事後のペアプロット" src={`/api/studies/${studyId}/prepost?${query}&format=svg`} />}
      </div>
      <p class="note">{report.method} {p ? `${p.tTest.method}. ${p.wilcoxon.method}.` : ''}</p>
      <Warnings list={[...report.warnings, ...(p?.warnings ?? [])]} />
      <DuplicatesPanel studyId={studyId} report={report} query={query} />
      <Downloads base={`/api/studies/${studyId}/prepost?${query}`} />
    </section>
  );
};

/** Codes that answered a wave twice: the choice of what to do with them, and their responses. */
const DuplicatesPanel: FC<{ studyId: string; report: PrePost; query: string }> = ({ studyId, report, query }) => {
  const rows = duplicateRows(report);
  const link = (policy: keyof typeof POLICY_LABELS) => {
    const params = new URLSearchParams(query);
    params.set('duplicates', policy);
    return `/staff/studies/${studyId}/results?${params}`;
  };
  return (
    <section>
      <h3>同じ参加者コードでの複数回答 <small>Codes that answered twice</small></h3>
      <p>
        扱い <span class="en">Treatment</span>:{' '}
        {(Object.keys(POLICY_LABELS) as (keyof typeof POLICY_LABELS)[]).map((policy) =>
          policy === report.duplicatePolicy ? <strong>{POLICY_LABELS[policy]} </strong> : <a href={link(policy)}>{POLICY_LABELS[policy]} </a>,
        )}
      </p>
      {rows.length === 0 ? (
        <p class="note">ありません。 None.</p>
      ) : (
        <table>
          <thead><tr><th>時期 wave</th><th>グループ key</th><th>response_id</th><th>回答日時 submitted</th><th>得点 score</th></tr></thead>
          <tbody>{rows.map((r) => <tr>{r.map((cell, i) => <td>{cell === null ? '—' : i === 3 ? dateTime(String(cell), { seconds: true }) : String(cell)}</td>)}</tr>)}</tbody>
        </table>
      )}
    </section>
  );
};
