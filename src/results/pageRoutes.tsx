/** @jsxImportSource hono/jsx */
import { desc, eq, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { owned } from '../auth/scope.js';
import { loadOwnedWave } from '../collection/loaders.js';
import type { Database } from '../db/database.js';
import { studies, waves } from '../db/schema.js';
import { Problem } from '../http/problem.js';
import { codebook } from '../questionnaires/codebook.js';
import { staffPage } from '../web/staff/layout.js';
import { phaseLabel } from '../web/staff/wavePanel.js';
import { unresolvedKeyings } from '../collection/paperKeyings.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { crosstabTable, sharedK } from './crosstabTable.js';
import type { Sheet } from './sheets.js';
import { CrosstabPanel, Downloads, frameAttributes, PrePostPanel, RatesPanel, type CrosstabChoice } from './pages.js';
import { DUPLICATE_POLICIES } from '../../analysis/index.js';
import { frameValues } from './frameValues.js';
import { studyPrePost } from './prepost.js';
import { SummaryPicker, SummaryView } from './summaryView.js';
import { waveSummary, type WaveSummary } from './waveSummary.js';
import type { FC } from 'hono/jsx';
import { waveRates } from './rates.js';
import { prePostChart, studyReportPage, waveReportPage } from './report.js';

/**
 * Evaluator pages: one per wave (rates, cross-tabs, downloads) and one per study (pre/post).
 * Mounted through staffPages(), whose guard gives them the session's `staff` and `viewer`.
 */
export function resultPages(database: Database) {
  const app = new Hono<StaffPageEnv>();

  app.get('/staff/waves', async (c) => {
    const staff = c.get('staff');
    const rows = await database.db
      .select({
        wave: waves,
        study: studies.name,
        responses: sql<number>`(select count(*)::int from responses r where r.wave_id = ${waves.id})`,
      })
      .from(waves)
      .leftJoin(studies, eq(studies.id, waves.studyId))
      .where(owned(waves, staff))
      .orderBy(desc(waves.createdAt));
    return staffPage(c, {
      title: '結果',
      titleEn: 'Results',
      active: 'results',
      children: (
        <table>
          <thead><tr><th>回（wave）</th><th>調査（study）</th><th>時期</th><th>状態</th><th>回答数</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td><a href={`/staff/waves/${r.wave.id}/results`}>{r.wave.name}</a></td>
                <td>{r.wave.studyId ? <a href={`/staff/studies/${r.wave.studyId}/results`}>{r.study}</a> : '—'}</td>
                <td>{phaseLabel(r.wave.phase) ?? '—'}</td>
                <td>{r.wave.status === 'open' ? '受付中' : '終了'}</td>
                <td>{r.responses}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ),
    });
  });

  app.get('/staff/waves/:id/results', async (c) => {
    const staff = c.get('staff');
    const { wave, version } = await loadOwnedWave(database, staff, c.req.param('id'));
    const entries = codebook(version);
    const attributes = await frameAttributes(database, wave.id);
    const choice = { filter: c.req.query('filter') || undefined, by: c.req.query('by') || undefined, include: c.req.query('include') };
    let summary: WaveSummary | null = null;
    let error: string | undefined;
    try {
      summary = await waveSummary(database, wave, entries, version.scoring, {
        statuses: choice.include === 'all' ? ['complete', 'partial'] : ['complete'],
        filter: choice.filter,
        by: choice.by,
        texts: FREE_TEXTS_ON_PAGE,
      });
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      error = e.body.detail_ja ?? e.body.detail;
    }
    return staffPage(c, {
      title: `結果: ${wave.name}`,
      titleEn: 'Results',
      active: 'results',
      wide: true,
      children: (
        <>
          <WaveHeader wave={wave} version={version.version} current="summary" mismatches={(await unresolvedKeyings(database, staff, wave.id)).length} />
          <SummaryPicker entries={entries} attributes={attributes} frameValues={await frameValues(database, wave.id, attributes)} {...choice} />
          {error ? <p class="error" role="alert">{error}</p> : null}
          {summary ? (
            <>
              <SummaryView summary={summary} />
              <h2>ダウンロード <small>Download</small></h2>
              <p class="hint">この画面と同じ表（自由記述は件数のみ）。ダウンロードは記録されます。</p>
              <Downloads base={`/api/waves/${wave.id}/summary?${new URLSearchParams(Object.entries(choice).filter(([, v]) => v) as [string, string][])}`} />
            </>
          ) : null}
        </>
      ),
    });
  });

  app.get('/staff/waves/:id/tables', async (c) => {
    const staff = c.get('staff');
    const { wave, version } = await loadOwnedWave(database, staff, c.req.param('id'));
    const entries = codebook(version);
    const attributes = await frameAttributes(database, wave.id);
    const by = (c.req.query('by') ?? '').split(',').filter(Boolean).slice(0, 2);
    const pages = ((version.definition.pages as { name?: string }[] | undefined) ?? []).map((p) => String(p.name ?? ''));
    const rates = await waveRates(database, wave.id, by.filter((b) => attributes.includes(b)), pages);
    const choice: CrosstabChoice = {
      row: c.req.query('row') ?? entries.find((e) => e.shape === 'single' || e.shape === 'multiple')?.name,
      col: c.req.query('col') || undefined,
      missing: c.req.query('missing'),
      letters: c.req.query('letters'),
      suppress: c.req.query('suppress'),
      percent: c.req.query('percent'),
      include: c.req.query('include'),
    };
    const asked = Number(choice.suppress);
    const k = await sharedK(database, staff, Number.isInteger(asked) && asked >= 0 && asked <= 100 ? asked : undefined);
    let sheet: Sheet | null = null;
    let error: string | undefined;
    try {
      if (choice.row) {
        const table = await crosstabTable({ wave, version }, database, {
          row: choice.row,
          col: choice.col,
          include: choice.include === 'all' ? 'all' : 'complete',
          missing: choice.missing === 'exclude' ? 'exclude' : 'show',
          letters: choice.letters === 'holm' || choice.letters === 'bonferroni' ? choice.letters : 'none',
          percent: choice.percent === 'col' || choice.percent === 'total' ? choice.percent : 'row',
        }, k);
        sheet = table.sheet();
      }
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      error = e.body.detail_ja ?? e.body.detail;
    }
    return staffPage(c, {
      title: `結果: ${wave.name}`,
      titleEn: 'Results',
      active: 'results',
      wide: true,
      children: (
        <>
          <WaveHeader wave={wave} version={version.version} current="tables" />
          <RatesPanel waveId={wave.id} rates={rates} by={by} attributes={attributes} keep={choice} />
          <CrosstabPanel waveId={wave.id} entries={entries} attributes={attributes} choice={choice} k={k} sheet={sheet} error={error} keep={{ by: by.join(',') }} />
          <section>
            <h2>報告書 <small>Report</small></h2>
            <p>回収率と上のクロス集計を1つの Excel ファイルに（表ごとにシート、コードブックと注記付き）。 Rates and the cross-tab above in one workbook.</p>
            <Downloads
              base={`/api/waves/${wave.id}/report?${new URLSearchParams({ by: by.join(','), tables: choice.row ? `${choice.row}${choice.col ? `:${choice.col}` : ''}` : '', missing: choice.missing === 'exclude' ? 'exclude' : 'show' })}`}
              formats={['xlsx']}
            />
          </section>
          <section>
            <h2>回答データ <small>Raw responses</small></h2>
            <p>1行に1回答、各質問のコードとラベル。ダウンロードは記録されます。 One row per response with codes and labels; downloads are audited.</p>
            <Downloads base={`/api/waves/${wave.id}/responses`} />
          </section>
        </>
      ),
    });
  });

  app.get('/staff/waves/:id/report', (c) => waveReportPage(c, database));
  app.get('/staff/studies/:id/report', (c) => studyReportPage(c, database));

  app.get('/staff/studies/:id/results', async (c) => {
    const staff = c.get('staff');
    const query = new URLSearchParams(
      Object.entries({ score: c.req.query('score'), pre: c.req.query('pre'), post: c.req.query('post'), duplicates: c.req.query('duplicates') }).filter(([, v]) => v) as [string, string][],
    );
    const duplicates = DUPLICATE_POLICIES.find((policy) => policy === c.req.query('duplicates')) ?? 'exclude';
    let body;
    try {
      const report = await studyPrePost(database, staff, c.req.param('id'), { ...Object.fromEntries(query), duplicates });
      body = (
        <>
          <p><a class="button" href={`/staff/studies/${c.req.param('id')}/report?${query}`}>報告書（印刷用） <span class="en">Printable report</span></a></p>
          <PrePostPanel studyId={c.req.param('id')} report={report} query={query.toString()} chart={await prePostChart(report)} />
        </>
      );
    } catch (e) {
      if (!(e instanceof Problem) || e.status === 404) throw e;
      body = <p class="error" role="alert">{e.body.detail}</p>;
    }
    return staffPage(c, { title: '事前・事後比較', titleEn: 'Pre/post', active: 'results', wide: true, children: body });
  });

  return app;
}

/** Free-text answers listed per question on the summary page (staff only, never downloaded). */
const FREE_TEXTS_ON_PAGE = 200;

/** The wave's state, its neighbours and the results views, the same on each results page; `mismatches`: paper returns whose double entry is unresolved. */
export const WaveHeader: FC<{ wave: typeof waves.$inferSelect; version: number; current: 'summary' | 'tables' | 'national' ; mismatches?: number }> = ({ wave, version, current, mismatches }) => (
  <>
    <p>
      {wave.status === 'open' ? '受付中' : '終了'}・質問票 v{version}
      {wave.studyId ? <> ・ <a href={`/staff/studies/${wave.studyId}/results`}>事前・事後比較へ</a></> : null}
      {' ・ '}<a href={`/staff/waves/${wave.id}/frame`}>名簿と招待リンク</a>{' ・ '}<a href={`/staff/waves/${wave.id}/invitations`}>招待者一覧・印刷</a>{' ・ '}<a href={`/staff/waves/${wave.id}/entry`}>紙の回答を入力</a>
      {mismatches ? <> <a class="badge mismatch" href={`/staff/waves/${wave.id}/entry#mismatches`}>照合の不一致 {mismatches} 件</a></> : null}
    </p>
    <nav class="subnav" aria-label="集計の種類">
      <a href={`/staff/waves/${wave.id}/results`} aria-current={current === 'summary' ? 'page' : undefined}>単純集計 <span class="en">Summary</span></a>
      <a href={`/staff/waves/${wave.id}/tables`} aria-current={current === 'tables' ? 'page' : undefined}>クロス集計・回収率 <span class="en">Cross-tabs, rates</span></a>
      <a href={`/staff/waves/${wave.id}/national`} aria-current={current === 'national' ? 'page' : undefined}>全国調査との比較 <span class="en">National comparison</span></a>
      <a href={`/staff/waves/${wave.id}/report`}>報告書（印刷用） <span class="en">Printable report</span></a>
    </nav>
  </>
);
