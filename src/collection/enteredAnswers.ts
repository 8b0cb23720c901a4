import { allQuestions, choicesOf, loc, questionNumbers } from '../web/surveyForm.js';

type Json = Record<string, unknown>;

/** One question of a keyed return as staff read it back against the paper: 問N and what was keyed. */
export type KeyedLine = { no: number; name: string; title: string; answer: string };

const NO_ANSWER = '—（無回答）';
export const SPOILED_TEXT = '判読不能・無効';

/**
 * The answers of an entered return in questionnaire order, each under its 問 number with choice labels
 * (not codes), so staff can check a return against the paper it came from; 判読不能 and blanks said so.
 */
export function keyedLines(definition: Json, data: Record<string, unknown>, spoiled: readonly string[]): KeyedLine[] {
  const numbers = questionNumbers(definition);
  return allQuestions(definition).map(({ q, name }) => ({
    no: numbers.get(q)!,
    name,
    title: loc(q.title, 'ja') || name,
    answer: spoiled.includes(name) ? SPOILED_TEXT : answerText(q, data[name], data[`${name}-Comment`]),
  }));
}

function answerText(q: Json, value: unknown, other: unknown): string {
  if (value === undefined || value === null || value === '') return NO_ANSWER;
  const choices = choicesOf(q, 'ja');
  const label = (v: unknown) => {
    const text = choices.find((c) => String(c.value) === String(v))?.text ?? String(v);
    return v === 'other' && typeof other === 'string' ? `${text}（${other}）` : text;
  };
  if (Array.isArray(value)) return value.map(label).join('・');
  if (q.type === 'matrix' && typeof value === 'object') {
    const columns = (Array.isArray(q.columns) ? q.columns : []).map((c): Json => (c && typeof c === 'object' ? (c as Json) : { value: c }));
    const column = (v: unknown) => loc(columns.find((c) => String(c.value) === String(v))?.text, 'ja') || String(v);
    return Object.entries(value as Json).map(([row, v]) => `${row}: ${column(v)}`).join('・');
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return choices.length ? label(value) : String(value);
}
