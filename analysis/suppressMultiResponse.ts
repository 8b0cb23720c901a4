import { bilingual } from './bilingual.js';
import type { MultiResponseResult } from './multiResponse.js';
import { SUPPRESSED_MARK, type PercentWithheld, type SuppressionFlag } from './suppress.js';
import type { ResultMeta } from './types.js';

export interface SuppressedMultiResponse extends ResultMeta {
  k: number;
  /** Respondents per column; a base below k is shown as "<k" and its whole column is hidden. */
  bases: (number | string)[];
  counts: (number | string)[][];
  totals: (number | string)[];
  /** Ticks per column: hidden when a cell of the column is hidden, since they add up to it. */
  answers: (number | string)[];
  percentOfRespondents: (number | null)[][];
  percentOfAnswers: (number | null)[][];
  /** Why each entry is hidden: 'primary' = a count 1…k−1; 'secondary' = hidden to protect another entry. */
  flags: SuppressionFlag[][];
  baseFlags: SuppressionFlag[];
  totalFlags: SuppressionFlag[];
  answerFlags: SuppressionFlag[];
  /** Why a percentage is null: its count is hidden ('count') or its base is ('base'). */
  percentOfRespondentsWithheld: PercentWithheld[][];
  percentOfAnswersWithheld: PercentWithheld[][];
}

/**
 * Small-cell suppression of a multi-response table for shared outputs. Options are not additive
 * across rows, so only the lines that do add up are protected: an option's total over columns and a
 * column's count of ticks are hidden ("x") whenever one of their cells is.
 */
export function suppressMultiResponse(table: MultiResponseResult, k = 5): SuppressedMultiResponse {
  const small = (x: number) => k > 0 && x > 0 && x < k;
  const hiddenColumn = table.bases.map((b) => small(b));
  const hidden = table.rows.map((r) => r.counts.map((x, j) => hiddenColumn[j] || small(x)));
  // One marker for every hidden count, as in suppress(): "<k" would say more than "hidden".
  const mark = SUPPRESSED_MARK;
  let primary = 0;
  const counts = table.rows.map((r, i) => r.counts.map((x, j) => (hidden[i][j] ? (primary++, mark) : x)));
  const totals = table.rows.map((r, i) => (small(r.total) || hidden[i].some(Boolean) ? mark : r.total));
  const answers = table.answers.map((a, j) => (hidden.some((row) => row[j]) ? mark : a));
  const flags = table.rows.map((r, i) => r.counts.map((x, j): SuppressionFlag => (small(x) ? 'primary' : hidden[i][j] ? 'secondary' : null)));
  const withheld = (i: number, j: number, baseHidden: boolean): PercentWithheld => (hidden[i][j] ? 'count' : baseHidden ? 'base' : null);
  return {
    k,
    bases: table.bases.map((b) => (small(b) ? mark : b)),
    counts,
    totals,
    answers,
    percentOfRespondents: table.rows.map((r, i) => r.percentOfRespondents.map((p, j) => (hidden[i][j] ? null : p))),
    percentOfAnswers: table.rows.map((r, i) => r.percentOfAnswers.map((p, j) => (hidden[i][j] || answers[j] === mark ? null : p))),
    flags,
    baseFlags: table.bases.map((b) => (small(b) ? 'primary' : null)),
    totalFlags: table.rows.map((r, i) => (small(r.total) ? 'primary' : hidden[i].some(Boolean) ? 'secondary' : null)),
    answerFlags: answers.map((a) => (a === mark ? 'secondary' : null)),
    percentOfRespondentsWithheld: table.rows.map((r, i) => r.counts.map((_, j) => withheld(i, j, hiddenColumn[j]))),
    percentOfAnswersWithheld: table.rows.map((r, i) => r.counts.map((_, j) => withheld(i, j, answers[j] === mark))),
    method: bilingual(
      `小さいセルの秘匿（k = ${k}）: 1〜${k - 1} 件と、それを明かしてしまう選択肢の合計・列の選択数を「${mark}」で示し、その % は表示しません。`,
      `Counts 1…${k - 1}, and option totals and column tick counts that would reveal them, shown as "${mark}"; their percentages omitted.`,
    ),
    warnings: primary > 0
      ? [bilingual(`小さいセルを守るため ${primary} 個のセルを隠しました（k = ${k}）。`, `${primary} cell(s) hidden for small-cell protection (k = ${k}).`)]
      : [],
  };
}
