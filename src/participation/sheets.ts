import {
  ACHIEVEMENT_RULE,
  achievement,
  INDICATOR_DEFINITIONS,
  participationIndicators,
  TARGET_INDICATORS,
  type AttendanceRecord,
  type GroupFigures,
  type Indicators,
  type SessionRecord,
  type TargetIndicator,
} from '../../analysis/participationIndicators.js';
import { roundHalfUp } from '../../analysis/rounding.js';
import type { changeByParticipation } from '../../analysis/changeByParticipation.js';
import { pct, type Cell, type Sheet } from '../results/sheets.js';

export type TargetRow = { indicator: string; target: number; periodFrom: string; periodTo: string };
export type TargetResult = { indicator: TargetIndicator; label: string; from: string; to: string; target: number; actual: number | null; achievement: number | null };

/** Each target beside the figure its own period gives. */
export function targetResults(records: { sessions: SessionRecord[]; attendances: AttendanceRecord[] }, targets: TargetRow[]): TargetResult[] {
  return targets.map((t) => {
    const indicator = t.indicator as TargetIndicator;
    const actual = participationIndicators({ ...records, period: { from: t.periodFrom, to: t.periodTo } })[indicator];
    return { indicator, label: TARGET_INDICATORS[indicator], from: t.periodFrom, to: t.periodTo, target: t.target, actual, achievement: achievement(actual, t.target) };
  });
}

const shown = (value: number | null) => value ?? '—';
/** Japanese names of the breakdown categories the entry form and import write. */
const CATEGORY_NAMES: Record<string, string> = { status: '新規・リピーター', age: '年代', sex: '性別' };
const VALUE_NAMES: Record<string, string> = { new: '新規', repeat: 'リピーター' };
const GROUP_HEADER = ['開催回数', '延べ参加者数', '実人数', '新規', 'リピーター', '1回平均', '全回出席', '継続率'];
const groupRows = (groups: GroupFigures[]): Cell[][] =>
  groups.map((g) => [g.group, g.sessions, g.attendances, shown(g.unique), shown(g.newcomers), shown(g.returning), shown(g.averagePerSession), shown(g.everySession), pct(g.continuation, 1)]);

/** The indicators page's tables, exactly as the CSV and XLSX downloads hold them. */
export function indicatorSheets(activityName: string, r: Indicators, targets: TargetResult[]): Sheet[] {
  const d = INDICATOR_DEFINITIONS;
  const period = `${r.period.from}〜${r.period.to}`;
  const countsOnly = r.countsOnlySessions
    ? [`人数だけ記録した回が ${r.countsOnlySessions} 回あります。その回の参加者は実人数・全回出席に含まれず、新規・リピーターはその回に記録した内訳だけを足しています。`]
    : [];
  const sheets: Sheet[] = [
    {
      name: '参加の指標',
      title: `${activityName}：参加の指標（${period}）`,
      header: ['指標', '値', '定義'],
      rows: [
        ['開催回数', r.sessions, d.sessions.ja],
        ['延べ参加者数', r.attendances, d.attendances.ja],
        ['実人数', shown(r.unique), d.unique.ja],
        ['新規', shown(r.newcomers), d.newcomers.ja],
        ['リピーター', shown(r.returning), d.returning.ja],
        ['1回平均', shown(r.averagePerSession), d.averagePerSession.ja],
        ['全回出席', shown(r.everySession), d.everySession.ja],
        ['継続率（期間全体）', pct(r.continuation, 1), '継続率（期間全体）：連続する月の組を合わせた「翌月も参加した人 ÷ その月の参加者」（%、小数第1位、四捨五入）。月ごとの値は「継続率」の表'],
      ],
      notes: [...countsOnly, '—：記録からは数えられない指標です（例：参加者コードを取っていない回だけのとき）。', '四捨五入：画面・ファイルとも、0.5 は 0 から遠い方へ丸めます（手計算と同じ十進の値で）。'],
    },
    {
      name: '月別',
      title: `${activityName}：月別（${period}）`,
      header: ['月', '開催回数', '延べ参加者数', '実人数', '1回平均'],
      rows: r.perMonth.map((m) => [m.month, m.sessions, m.attendances, shown(m.unique), shown(m.averagePerSession)]),
      notes: ['実人数はその月に1回以上参加した人の数です（月の実人数を足しても期間の実人数にはなりません）。'],
    },
    {
      name: '継続率',
      title: `${activityName}：継続率（翌月も参加した人の割合）`,
      header: ['月', '翌月', 'その月の参加者', '翌月も参加', '継続率'],
      rows: r.retention.map((x) => [x.from, x.to, x.base, x.continued, pct(x.percent, 1)]),
      notes: [d.retention.ja, '連続しない月（開催のない月をはさむ）は表にしません。'],
    },
    {
      name: '会場別',
      title: `${activityName}：会場別（${period}）`,
      header: ['会場', ...GROUP_HEADER],
      rows: groupRows(r.bySite),
      notes: ['会場ごとに、その会場の回だけで数えます（2か所に来た人は両方に数え、新規は「その会場に初めて来た人」です）。', '継続率（会場・テーマ別）：期間中の連続する月の組を合わせた「翌月も参加した人 ÷ その月の参加者」。'],
    },
    {
      name: 'テーマ別',
      title: `${activityName}：テーマ別（${period}）`,
      header: ['テーマ', ...GROUP_HEADER],
      rows: groupRows(r.byTheme),
      notes: ['テーマごとに、そのテーマの回だけで数えます（新規は「そのテーマに初めて来た人」です）。'],
    },
  ];
  const breakdown = Object.entries(r.countsOnlyBreakdown);
  if (breakdown.length) {
    sheets.push({
      name: '人数の内訳',
      title: `${activityName}：人数だけ記録した回の内訳（延べ、${period}）`,
      header: ['区分', '値', '延べ人数'],
      rows: breakdown.flatMap(([category, counts]) => Object.entries(counts).map(([value, n]) => [CATEGORY_NAMES[category] ?? category, VALUE_NAMES[value] ?? value, n] as Cell[])),
      notes: ['人数だけ記録した回（参加者コードなし）で、受付が数えた内訳の合計です。同じ人が2回来れば2と数えます。'],
    });
  }
  if (targets.length) {
    sheets.push({
      name: '目標と実績',
      title: `${activityName}：目標と実績`,
      header: ['指標', '期間', '目標', '実績', '達成率'],
      rows: targets.map((t) => [t.label, `${t.from}〜${t.to}`, t.target, shown(t.actual), pct(t.achievement, 1)]),
      notes: [ACHIEVEMENT_RULE.ja, '実績は各目標の期間の記録から数えます。'],
    });
  }
  return sheets;
}

export type OutcomeRows = ReturnType<typeof changeByParticipation>;

/** Change of a score by sessions attended, as the page shows it and the download holds it. */
export function outcomeSheet(activityName: string, scale: string, period: string, result: OutcomeRows, direction: string | null): Sheet {
  const dp = (x: number | null) => (x === null ? '—' : roundHalfUp(x, 2));
  return {
    name: '参加回数と変化',
    title: `${activityName}：参加回数別の「${scale}」の変化（${period}）`,
    header: ['参加回数', 'n（事前・事後がそろった人）', '事前の平均', '事後の平均', '変化の平均（事後−事前）', '95%信頼区間（下限）', '95%信頼区間（上限）'],
    rows: result.rows.map((r) => (r.suppressed ? [r.label, r.n, 'x', 'x', 'x', 'x', 'x'] : [r.label, r.n, dp(r.preMean), dp(r.postMean), dp(r.meanChange), dp(r.ci?.[0] ?? null), dp(r.ci?.[1] ?? null)])),
    notes: [
      result.note,
      '参加回数は、期間中にこの事業の回で参加者コードが記録された回数です。事前・事後の回答と同じ参加者コードでつないでいます（コードそのものは保存していません）。',
      ...(direction ? [`得点の向き：${direction}`] : []),
      ...(result.rows.some((r) => r.suppressed) ? [`x：${result.suppressBelow} 人未満の区分は、平均と変化を表示しません（参加回数から個人が分かるため）。区分を広げると表示できます。`] : []),
      ...(result.outside ? [`どの区分にも入らない人（例：参加の記録がない）${result.outside} 人は表に含めていません。`] : []),
      '信頼区間は対応のある t 検定による（n が 2 未満の区分は計算できません）。数値は小数第2位に四捨五入（四捨五入は0から遠い方へ）。',
    ],
  };
}
