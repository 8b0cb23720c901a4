import { bilingual } from './bilingual.js';
import { percent, ROUNDING_RULE } from './rounding.js';
import type { Category, ResultMeta } from './types.js';

export interface FrequencyLine {
  /** null for the no-answer line. */
  code: string | null;
  label: string;
  count: number;
  /** % of respondents (the base n), the figure a Japanese 単純集計 prints. */
  percent: number | null;
  /** Multiple choice only: % of all answers given (selections), which adds to 100. */
  percentOfAnswers?: number | null;
  /** The 判読不能 line (code null too): answers on paper that could not be read or were invalid. */
  spoiled?: true;
}

export interface FrequencyTable extends ResultMeta {
  /** Respondents asked: the base of every percentage, no-answer included. */
  n: number;
  /** Respondents who gave an answer. */
  answered: number;
  multiple: boolean;
  /** The questionnaire's categories in order, codes found only in the data after them, then 無回答. */
  lines: FrequencyLine[];
  /** Multiple choice: all selections, the base of percentOfAnswers. */
  selections?: number;
  decimals: number;
  rounding: string;
}

export interface FrequencyInput {
  categories: Category[];
  /** Count per answer code (for multiple choice: respondents who chose it). */
  counts: ReadonlyMap<string, number>;
  /** Respondents asked. */
  n: number;
  /** Respondents who answered; for single choice the sum of counts. */
  answered: number;
  multiple: boolean;
  noAnswerLabel?: string;
  decimals?: number;
  /** Respondents whose answer was marked 判読不能・無効 on paper: a line of its own before 無回答 when given. */
  spoiled?: number;
}

/**
 * One question's 単純集計: counts and % of respondents over the questionnaire's categories (zero lines
 * kept), with a no-answer line (and a 判読不能 line before it when spoiled answers are counted), and for
 * multiple choice also % of answers.
 */
export function frequencyTable(input: FrequencyInput): FrequencyTable {
  const decimals = input.decimals ?? 1;
  const known = new Set(input.categories.map((c) => c.code));
  // An answer code no longer in the questionnaire is shown under its code, never dropped.
  const unknown = [...input.counts.keys()].filter((code) => !known.has(code)).sort();
  const categories = [...input.categories, ...unknown.map((code) => ({ code, label: code }))];
  const selections = input.multiple ? categories.reduce((sum, c) => sum + (input.counts.get(c.code) ?? 0), 0) : undefined;
  const lines: FrequencyLine[] = categories.map((c) => {
    const count = input.counts.get(c.code) ?? 0;
    return {
      code: c.code,
      label: c.label,
      count,
      percent: percent(count, input.n, decimals),
      ...(input.multiple ? { percentOfAnswers: percent(count, selections!, decimals) } : {}),
    };
  });
  const spoiled = input.spoiled ?? 0;
  if (input.spoiled !== undefined) lines.push({ code: null, label: '判読不能', count: spoiled, percent: percent(spoiled, input.n, decimals), spoiled: true });
  const noAnswer = input.n - input.answered - spoiled;
  lines.push({ code: null, label: input.noAnswerLabel ?? '無回答', count: noAnswer, percent: percent(noAnswer, input.n, decimals) });
  const warnings = unknown.length
    ? [bilingual(`回答に質問票にないコードがあります: ${unknown.join(', ')}。`, `Answer code(s) not in the questionnaire: ${unknown.join(', ')}.`)]
    : [];
  return {
    method: input.multiple
      ? bilingual('複数回答: 回答者数に対する% と、回答総数（選択数）に対する%。', 'multiple choice: % of respondents and % of answers')
      : bilingual('単一回答: 回答者数に対する%。', 'single choice: % of respondents'),
    warnings,
    n: input.n,
    answered: input.answered,
    multiple: input.multiple,
    lines,
    ...(input.multiple ? { selections } : {}),
    decimals,
    rounding: ROUNDING_RULE,
  };
}
