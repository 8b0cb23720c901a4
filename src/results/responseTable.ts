import { scoreInstrument, type ScoreResult } from '../../analysis/scoreInstrument.js';
import { ScaleDefinitionSchema, type ScaleDefinition } from '../../analysis/scoringSchema.js';
import type { Database } from '../db/database.js';
import { codebook, type CodebookEntry } from '../questionnaires/codebook.js';
import { frameAttributes } from './pages.js';

export type ResponseRow = {
  id: string;
  submittedAt: Date;
  status: string;
  mode: string;
  /** Email of the staff member who entered a paper, mail or interview return. */
  enteredBy: string | null;
  unitId: string | null;
  /** The frame line's attributes; null for an open-link respondent (no frame line). */
  attributes: Record<string, string | null> | null;
  data: Record<string, unknown>;
  /** Questions marked 判読不能・無効 on a paper return. */
  spoiled?: string[];
};

export type Column = {
  /** Variable name, stable for scripts: the second header row (question name, `_label`, `frame.`, `_score`). */
  name: string;
  /** What an evaluator reads: the question text, or a Japanese name for the column; the first header row. */
  title: string;
  value: (row: ResponseRow) => unknown;
  /** A time (a Date value): an Excel date cell in XLSX, Japan-time text in CSV. */
  time?: boolean;
};

/** The raw-responses download of one wave: its columns, and what the codebook sheet lists. */
export type ResponseTable = { waveId: string; entries: CodebookEntry[]; scales: ScaleDefinition[]; attributes: string[]; columns: Column[] };

/** Status and mode as the staff pages name them (rates page: 回答完了 / 途中まで; entry page: 紙 / 郵送 / 聞き取り). */
export const STATUS_LABELS: Record<string, string> = { complete: '回答完了', partial: '途中まで' };
export const MODE_LABELS: Record<string, string> = { web: 'ウェブ', paper: '紙', mail: '郵送', interview: '聞き取り' };
/**
 * The missing code of an answer marked 判読不能・無効 on paper, in the code column (its label column says
 * 判読不能); 無回答 stays empty. Text, so no script can average it as an answer. Listed in the codebook sheet.
 */
export const SPOILED_CODE = 'spoiled';
export const SPOILED_LABEL = '判読不能';

function labelOf(entry: CodebookEntry, code: unknown): string {
  if (code === undefined || code === null) return '';
  return entry.categories.find((c) => c.code === String(code))?.label ?? String(code);
}

/** The columns of a wave's download: the frame's attributes (now) and the version's questions and scales. */
export async function responseTable(
  database: Database,
  waveId: string,
  version: { id: string; status: string; definition: Record<string, unknown>; scoring: unknown[] },
): Promise<ResponseTable> {
  const entries = codebook(version);
  const scales = version.scoring.map((s) => ScaleDefinitionSchema.parse(s));
  const attributes = await frameAttributes(database, waveId);
  return { waveId, entries, scales, attributes, columns: responseColumns(entries, scales, attributes) };
}

/**
 * One row per response: who and when; the frame line (unit id and each attribute, empty for open-link
 * respondents); each question with its code and beside it the answer label (matrices get one pair per
 * row); then each scale's score and band as scoreInstrument gives them.
 */
export function responseColumns(entries: CodebookEntry[], scales: ScaleDefinition[] = [], attributes: string[] = []): Column[] {
  const columns: Column[] = [
    { name: 'response_id', title: '回答ID', value: (r) => r.id },
    { name: 'submitted_at', title: '回答日時（日本時間）', value: (r) => r.submittedAt, time: true },
    { name: 'status', title: '回答状況', value: (r) => STATUS_LABELS[r.status] ?? r.status },
    { name: 'mode', title: '回答方法', value: (r) => MODE_LABELS[r.mode] ?? r.mode },
    { name: 'entered_by', title: '入力者', value: (r) => r.enteredBy },
    { name: 'unit_id', title: '対象者番号', value: (r) => r.unitId },
    ...attributes.map((a): Column => ({ name: `frame.${a}`, title: `属性：${a}`, value: (r) => r.attributes?.[a] ?? null })),
  ];
  for (const entry of entries) {
    const spoiled = (r: ResponseRow) => r.spoiled?.includes(entry.name) ?? false;
    const answer = (r: ResponseRow) => r.data[entry.name];
    // A spoiled answer reads as its missing code in the code column and 判読不能 in the label column.
    const orSpoiled = (code: (r: ResponseRow) => unknown, label: (r: ResponseRow) => unknown) => ({
      code: (r: ResponseRow) => (spoiled(r) ? SPOILED_CODE : code(r)),
      label: (r: ResponseRow) => (spoiled(r) ? SPOILED_LABEL : label(r)),
    });
    const pair = (name: string, title: string, code: (r: ResponseRow) => unknown) => {
      const read = orSpoiled(code, (r) => labelOf(entry, code(r)));
      columns.push({ name, title: `${title}（コード）`, value: read.code });
      columns.push({ name: `${name}_label`, title, value: read.label });
    };
    switch (entry.shape) {
      case 'single':
        pair(entry.name, entry.title, answer);
        break;
      case 'multiple': {
        const list = (r: ResponseRow) => (Array.isArray(answer(r)) ? (answer(r) as unknown[]) : []);
        const read = orSpoiled((r) => list(r).join(';'), (r) => list(r).map((c) => labelOf(entry, c)).join(';'));
        columns.push({ name: entry.name, title: `${entry.title}（コード）`, value: read.code });
        columns.push({ name: `${entry.name}_label`, title: entry.title, value: read.label });
        break;
      }
      case 'matrix':
        for (const row of entry.rows) {
          pair(`${entry.name}.${row.code}`, `${entry.title}：${row.label}`, (r) => (answer(r) as Record<string, unknown> | undefined)?.[row.code]);
        }
        break;
      default:
        columns.push({ name: entry.name, title: entry.title, value: orSpoiled(answer, answer).code });
    }
  }
  for (const scale of scales) {
    // The band column follows the score column for the same row: score once.
    let scored: { row: ResponseRow; result: ScoreResult } | null = null;
    const score = (r: ResponseRow) => (scored?.row === r ? scored.result : (scored = { row: r, result: scoreInstrument(scale, r.data) }).result);
    columns.push({ name: `${scale.id}_score`, title: `${scale.label.ja}：得点`, value: (r) => score(r).score });
    columns.push({ name: `${scale.id}_band`, title: `${scale.label.ja}：区分`, value: (r) => score(r).band?.label.ja ?? null });
  }
  return columns;
}

/** A response for the JSON download: times in ISO, codes as stored, with its frame attributes and scores. */
export function jsonRow(table: ResponseTable, row: ResponseRow) {
  const scores = Object.fromEntries(
    table.scales.map((scale) => {
      const result = scoreInstrument(scale, row.data);
      return [scale.id, { score: result.score, band: result.band?.id ?? null }];
    }),
  );
  const { id, submittedAt, status, mode, enteredBy, unitId, attributes, data } = row;
  return { id, submittedAt, status, mode, enteredBy, unitId, attributes, data, spoiled: row.spoiled ?? [], scores };
}
