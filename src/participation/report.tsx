/** @jsxImportSource hono/jsx */
/**
 * The printable participation report of an activity (/staff/activities/:id/report): the same A4 frame as
 * the survey reports (reportPage), with the indicators and their definitions, targets against results and,
 * for an activity linked to a study, the change by sessions attended. The tables are the download's sheets.
 */
import type { Context } from 'hono';
import { changeByParticipation, parseBands } from '../../analysis/changeByParticipation.js';
import { participationIndicators } from '../../analysis/participationIndicators.js';
import type { Database } from '../db/database.js';
import { Problem } from '../http/problem.js';
import { sharedK } from '../results/crosstabTable.js';
import { studyLinkedScores } from '../results/prepost.js';
import { reportPage } from '../results/report.js';
import { SheetTable } from '../results/sheetView.js';
import type { Sheet } from '../results/sheets.js';
import { dateTime } from '../web/japanTime.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { activityRecords, activityTargetRows, attendedSessions, loadOwnedActivity, periodOf } from './records.js';
import { indicatorSheets, outcomeSheet, targetResults } from './sheets.js';

export async function participationReportPage(c: Context<StaffPageEnv>, database: Database) {
  const activity = await loadOwnedActivity(database, c.get('staff'), c.req.param('id') ?? '');
  const records = await activityRecords(database, activity);
  const { from, to } = periodOf(records.sessions, c.req.query('from'), c.req.query('to'));
  const indicators = participationIndicators({ ...records, period: { from, to } });
  const sheets = indicatorSheets(activity.name, indicators, targetResults(records, await activityTargetRows(database, activity)));
  let outcome: Sheet | string | null = null;
  if (activity.studyId) {
    try {
      const linked = await studyLinkedScores(database, c.get('staff'), activity.studyId, {});
      const result = changeByParticipation(linked.pairs, await attendedSessions(database, activity.id, from, to), parseBands(c.req.query('bands') ?? '1-2,3-5,6-'), await sharedK(database, c.get('staff'), undefined));
      outcome = outcomeSheet(activity.name, linked.scaleLabel.ja, `${from}〜${to}`, result, linked.scaleDirection.text?.ja ?? null);
    } catch (error) {
      if (error instanceof Problem) outcome = error.body.detail_ja ?? error.body.detail ?? '';
      else if (error instanceof RangeError) outcome = '参加回数の区分を読み取れません（例：1-2,3-5,6-）。';
      else throw error;
    }
  }
  const [main, ...rest] = sheets;
  const section = (n: number, sheet: Sheet) => (
    <section class="report-section">
      <h2>
        {n}. {sheet.title.replace(`${activity.name}：`, '')}
      </h2>
      <SheetTable sheet={sheet} />
    </section>
  );
  return reportPage(c, {
    title: `参加の記録: ${activity.name}`,
    titleEn: 'Participation report',
    kind: 'report-participation',
    active: 'activities',
    back: (
      <a href={`/staff/activities/${activity.id}?from=${from}&to=${to}`}>
        ← 参加の記録へ戻る <span class="en">Back</span>
      </a>
    ),
    children: (
      <>
        <section class="report-section">
          <h2>1. 事業の概要 <span class="en">Overview</span></h2>
          <table class="facts">
            <tbody>
              <tr><th>事業</th><td>{activity.name}</td></tr>
              <tr><th>期間</th><td>{from && to ? `${from} 〜 ${to}` : '記録なし'}</td></tr>
              <tr><th>開催回数</th><td>{indicators.sessions} 回（人数だけ記録した回 {indicators.countsOnlySessions} 回）</td></tr>
              <tr><th>記録のしかた</th><td>参加者コード（鍵付きハッシュで保存、コードそのものは保存しない）または人数</td></tr>
              <tr><th>作成日時</th><td>{dateTime(new Date())}</td></tr>
            </tbody>
          </table>
        </section>
        {section(2, main)}
        {rest.map((sheet, i) => section(i + 3, sheet))}
        {outcome ? (
          typeof outcome === 'string' ? (
            <section class="report-section">
              <h2>{rest.length + 3}. 参加回数と事前・事後の変化</h2>
              <p>{outcome}</p>
            </section>
          ) : (
            section(rest.length + 3, outcome)
          )
        ) : null}
      </>
    ),
  });
}
