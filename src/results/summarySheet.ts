import type { FrequencyTable } from '../../analysis/index.js';
import { pct, type Cell, type Sheet } from './sheets.js';
import type { WaveSummary } from './waveSummary.js';

/**
 * The 単純集計 as one sheet, question after question with the page's figures: counts and % of
 * respondents (and of answers for multiple choice), one line per group when broken down. Free-text
 * answers never go into a file; only how many wrote something.
 */
export function summarySheet(summary: WaveSummary): Sheet {
  const labels = summary.groups.map((g) => g.label);
  const rows: Cell[][] = [];
  const block = (lines: Cell[][]) => rows.push(...lines, []);
  const breakdown = (title: string, head: string, lines: { label: string; table: FrequencyTable }[]) => {
    const first = lines[0].table;
    block([
      [title],
      [head, 'n', ...first.lines.map((l) => l.label)],
      ...lines.map(({ label, table }) => [label, table.n, ...table.lines.map((l) => pct(l.percent, table.decimals))]),
      ['（件数）'],
      ...lines.map(({ label, table }) => [label, table.n, ...table.lines.map((l) => l.count)]),
    ]);
  };
  for (const s of summary.scores) {
    const scale = s.groups[0];
    block([
      [`${scale.label.ja}（${scale.range.min}〜${scale.range.max}点）`],
      ['', 'n', '平均', '標準偏差', '中央値', '最小', '最大', '算出不可', ...scale.bands.map((b) => b.label.ja)],
      ...s.groups.map((g, i) => [labels[i], g.n, g.mean, g.sd, g.median, g.min, g.max, g.unscorable, ...g.bands.map((b) => pct(b.percent, g.decimals))]),
    ]);
  }
  summary.questions.forEach((q, i) => {
    const title = `問${i + 1} ${q.title}`;
    if (q.kind === 'choice' && labels.length === 1) {
      const t = q.groups[0];
      block([
        [title + (t.multiple ? '（複数回答）' : '')],
        ['回答', '件数', '%', ...(t.multiple ? ['回答数に対する%'] : [])],
        ...t.lines.map((l) => [l.label, l.count, pct(l.percent, t.decimals), ...(t.multiple && l.code !== null ? [pct(l.percentOfAnswers, t.decimals)] : [])]),
        ['回答者数', t.n, pct(t.n ? 100 : null, t.decimals)],
      ]);
    } else if (q.kind === 'choice') {
      breakdown(title, '属性', q.groups.map((table, g) => ({ label: labels[g], table })));
    } else if (q.kind === 'matrix') {
      if (labels.length === 1) breakdown(title, '項目', q.rows.map((r) => ({ label: r.label, table: r.groups[0] })));
      else for (const r of q.rows) breakdown(`${title} — ${r.label}`, '属性', r.groups.map((table, g) => ({ label: labels[g], table })));
    } else if (q.kind === 'number') {
      const spoiled = q.groups[0].spoiled !== undefined;
      block([
        [title],
        ['', 'n', '平均', '標準偏差', '中央値', '最小', '最大', ...(spoiled ? ['判読不能'] : []), '無回答'],
        ...q.groups.map((g, k) => [labels[k], g.n, g.mean, g.sd, g.median, g.min, g.max, ...(spoiled ? [g.spoiled ?? 0] : []), g.noAnswer]),
      ]);
    } else {
      const spoiled = q.groups[0].spoiled !== undefined;
      block([[title], ['', '記入あり', ...(spoiled ? ['判読不能'] : []), 'n'], ...q.groups.map((g, k) => [labels[k], g.answered, ...(spoiled ? [g.spoiled ?? 0] : []), g.n])]);
    }
  });
  const conditions = [
    summary.statuses.includes('partial') ? '途中までの回答を含む' : '回答完了のみ',
    ...(summary.filter ? [`絞り込み: ${summary.filter.label} = ${summary.filter.codeLabel}`] : []),
    ...(summary.by ? [`属性別: ${summary.by.label}`] : []),
  ];
  return {
    name: '単純集計',
    title: `単純集計（n = ${summary.groups[0].n}、${conditions.join('、')}）`,
    header: [],
    rows: rows.slice(0, -1),
    notes: [
      '% は各表の回答者数（n、無回答を含む）に対する割合。複数回答の % は合計が100%を超えます。',
      ...(summary.questions.some(hasSpoiled) ? ['判読不能: 紙の回答で読み取れない・無効（二重回答など）と入力された回答。無回答とは別に数えます。'] : []),
      '自由記述の内容はファイルに含めていません（件数のみ）。',
    ],
  };
}

/** Whether the question has a 判読不能 line or column (answers marked spoiled on paper). */
function hasSpoiled(q: WaveSummary['questions'][number]): boolean {
  if (q.kind === 'choice') return q.groups[0].lines.some((l) => l.spoiled);
  if (q.kind === 'matrix') return q.rows.some((r) => r.groups[0].lines.some((l) => l.spoiled));
  return q.groups[0].spoiled !== undefined;
}
