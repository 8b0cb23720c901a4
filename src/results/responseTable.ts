import type { CodebookEntry } from '../questionnaires/codebook.js';

export type ResponseRow = {
  id: string;
  submittedAt: Date;
  status: string;
  mode: string;
  /** Email of the staff member who entered a paper, mail or interview return. */
  enteredBy: string | null;
  unitId: string | null;
  data: Record<string, unknown>;
};

export type Column = { header: string; value: (row: ResponseRow) => unknown };

function labelOf(entry: CodebookEntry, code: unknown): string {
  if (code === undefined || code === null) return '';
  return entry.categories.find((c) => c.code === String(code))?.label ?? String(code);
}

/** One column per question with codes, and beside it the answer labels; matrices get one pair per row. */
export function responseColumns(entries: CodebookEntry[]): Column[] {
  const columns: Column[] = [
    { header: 'response_id', value: (r) => r.id },
    { header: 'submitted_at', value: (r) => r.submittedAt.toISOString() },
    { header: 'status', value: (r) => r.status },
    { header: 'mode', value: (r) => r.mode },
    { header: 'entered_by', value: (r) => r.enteredBy },
    { header: 'unit_id', value: (r) => r.unitId },
  ];
  for (const entry of entries) {
    const answer = (r: ResponseRow) => r.data[entry.name];
    switch (entry.shape) {
      case 'single':
        columns.push({ header: entry.name, value: answer });
        columns.push({ header: `${entry.name}_label`, value: (r) => labelOf(entry, answer(r)) });
        break;
      case 'multiple': {
        const list = (r: ResponseRow) => (Array.isArray(answer(r)) ? (answer(r) as unknown[]) : []);
        columns.push({ header: entry.name, value: (r) => list(r).join(';') });
        columns.push({ header: `${entry.name}_label`, value: (r) => list(r).map((c) => labelOf(entry, c)).join(';') });
        break;
      }
      case 'matrix':
        for (const row of entry.rows) {
          const cell = (r: ResponseRow) => (answer(r) as Record<string, unknown> | undefined)?.[row.code];
          columns.push({ header: `${entry.name}.${row.code}`, value: cell });
          columns.push({ header: `${entry.name}.${row.code}_label`, value: (r) => labelOf(entry, cell(r)) });
        }
        break;
      default:
        columns.push({ header: entry.name, value: answer });
    }
  }
  return columns;
}
