import { sql, type SQL } from 'drizzle-orm';
import {
  bilingual,
  crosstab,
  multiResponseCrosstab,
  suppress,
  suppressMultiResponse,
  type Category,
  type CrosstabResult,
  type MultiResponseResult,
  type NoAnswerMode,
  type SuppressedCrosstab,
  type SuppressedMultiResponse,
} from '../../analysis/index.js';
import type { Database } from '../db/database.js';
import { problems } from '../http/problem.js';
import { analyticRows } from './analyticQuery.js';
import { frameValues, OUTSIDE_FRAME } from './frameValues.js';
import type { CodebookEntry } from '../questionnaires/codebook.js';

export type Variable =
  | { kind: 'question'; entry: CodebookEntry }
  | { kind: 'frame'; attribute: string }
  | { kind: 'total' };

export type CrosstabRequest = {
  waveId: string;
  row: Variable & { kind: 'question' };
  col: Variable;
  statuses: ('complete' | 'partial')[];
  letters?: 'none' | 'bonferroni' | 'holm';
  noAnswer?: NoAnswerMode;
  suppressBelow: number;
};

export type CrosstabOutcome =
  | { kind: 'single'; table: CrosstabResult; suppressed: SuppressedCrosstab | null }
  | { kind: 'multiple'; table: MultiResponseResult; suppressed: SuppressedMultiResponse | null };

const TOTAL: Category = { code: 'all', label: '全体' };

const ja = (detail_ja: string) => ({ title_ja: 'クロス集計の条件が正しくありません', detail_ja });

/** Resolves `row`/`col` names: a question of the version, `frame.<attribute>`, or nothing (one-way table). */
export function resolveVariable(name: string | undefined, entries: CodebookEntry[]): Variable {
  if (!name) return { kind: 'total' };
  if (name.startsWith('frame.')) {
    const attribute = name.slice('frame.'.length);
    if (!/^[\p{L}\p{N}_ -]{1,100}$/u.test(attribute)) throw problems.badRequest(`"${name}" is not a valid frame attribute name.`, ja(`「${name}」は名簿の属性名として使えません。`));
    return { kind: 'frame', attribute };
  }
  const entry = entries.find((e) => e.name === name);
  if (!entry) {
    throw problems.badRequest(`"${name}" is not a question of this wave's questionnaire. Use a question name or frame.<attribute>.`, ja(`「${name}」はこの回の質問票にない質問です。質問か名簿の属性（frame.属性名）を選んでください。`));
  }
  if (entry.shape !== 'single' && entry.shape !== 'multiple') {
    throw problems.badRequest(`"${name}" is a ${entry.type} question; cross-tabs need a single- or multiple-choice question.`, ja(`「${entry.title}」は選択式ではないため、クロス集計にできません。単一回答か複数回答の質問を選んでください。`));
  }
  return { kind: 'question', entry };
}

function valueOf(variable: Variable): SQL {
  // Open-link respondents have no frame line: their own column, never a stratum's 無回答.
  if (variable.kind === 'frame') return sql`case when r.invitation_id is null then ${OUTSIDE_FRAME}::text else i.attributes->>${variable.attribute} end`;
  if (variable.kind === 'question') return sql`r.data->>${variable.entry.name}`;
  return sql`'all'`;
}

/** Column categories: from the questionnaire, or the attribute's values in frame order (and 名簿外 when open-link respondents answered). */
async function categoriesOf(database: Database, waveId: string, variable: Variable): Promise<Category[]> {
  if (variable.kind === 'question') return variable.entry.categories;
  if (variable.kind === 'total') return [TOTAL];
  const [values, [outside]] = await Promise.all([
    frameValues(database, waveId, [variable.attribute]),
    database.rows<{ any: boolean }>(sql`select exists (select 1 from responses where wave_id = ${waveId} and invitation_id is null) as any`),
  ]);
  const categories = values[variable.attribute].map((v) => ({ code: v, label: v }));
  return outside?.any ? [...categories, { code: OUTSIDE_FRAME, label: OUTSIDE_FRAME }] : categories;
}

/**
 * Counts come from one GROUP BY in the database (hash-aggregated, see analyticQuery.ts), whatever the number of responses;
 * the table, percentages and tests are then computed by the pure analysis functions.
 */
export async function runCrosstab(database: Database, request: CrosstabRequest): Promise<CrosstabOutcome> {
  const { waveId, row, col } = request;
  if (col.kind === 'question' && col.entry.shape === 'multiple') {
    throw problems.badRequest('A multiple-choice question can be the row of a cross-tab, not its column.', ja('複数回答の質問は表側（行）には使えますが、表頭（列）には使えません。'));
  }
  const from = sql`from responses r ${col.kind === 'frame' ? sql`left join invitations i on i.id = r.invitation_id` : sql``}`;
  const where = sql`where r.wave_id = ${waveId} and r.status in (${sql.join(request.statuses.map((s) => sql`${s}`), sql`, `)})`;
  const colValue = valueOf(col);
  // The column's categories are read beside the counts, not before them: on PostgreSQL each query has its own connection.
  const categoriesRead = categoriesOf(database, waveId, col);
  categoriesRead.catch(() => {}); // awaited below; a failed count must not leave it unhandled

  if (row.entry.shape === 'multiple') {
    const name = row.entry.name;
    const answered = sql`jsonb_typeof(r.data->${name}) = 'array' and jsonb_array_length(r.data->${name}) > 0`;
    const [colCategories, selections, bases] = await Promise.all([
      categoriesRead,
      analyticRows<{ option: string; col: string | null; count: number }>(
        database,
        sql`
        select o.value as option, ${colValue} as col, count(*)::int as count
        ${from} cross join lateral jsonb_array_elements_text(case when jsonb_typeof(r.data->${name}) = 'array' then r.data->${name} else '[]'::jsonb end) o(value)
        ${where} group by 1, 2`,
        { hashAggregate: true },
      ),
      analyticRows<{ col: string | null; count: number }>(
        database,
        sql`select ${colValue} as col, count(*)::int as count ${from} ${where} and ${answered} group by 1`,
        { hashAggregate: true },
      ),
    ]);
    const colsPresent = colCategories.filter((c) => c.code !== null);
    const respondentsByCol = Object.fromEntries(colsPresent.map((c) => [c.code, 0]));
    for (const b of bases) if (b.col !== null && b.col in respondentsByCol) respondentsByCol[b.col] = Number(b.count);
    const table = multiResponseCrosstab({
      options: row.entry.categories,
      colCategories: colsPresent,
      respondentsByCol,
      selections: selections
        .filter((s) => s.col !== null && s.col in respondentsByCol && row.entry.categories.some((c) => c.code === s.option))
        .map((s) => ({ option: s.option, col: s.col!, count: Number(s.count) })),
    });
    const dropped = bases.filter((b) => b.col === null || !(b.col in respondentsByCol)).reduce((a, b) => a + Number(b.count), 0);
    if (dropped > 0) {
      table.warnings.push(bilingual(
        `表頭（列）の値がない、または質問票にない値の回答者 ${dropped} 人は、この表に含まれていません。`,
        `${dropped} respondent(s) with no or an unknown column value are not in this table.`,
      ));
    }
    return { kind: 'multiple', table, suppressed: request.suppressBelow > 0 ? suppressMultiResponse(table, request.suppressBelow) : null };
  }

  const [colCategories, cells] = await Promise.all([
    categoriesRead,
    analyticRows<{ row: string | null; col: string | null; count: number }>(
      database,
      sql`select ${valueOf(row)} as row, ${colValue} as col, count(*)::int as count ${from} ${where} group by 1, 2`,
      { hashAggregate: true },
    ),
  ]);
  const table = crosstab({
    rowCategories: row.entry.categories,
    colCategories,
    cells: cells.map((c) => ({ row: c.row, col: c.col, count: Number(c.count) })),
    noAnswer: request.noAnswer,
    columnComparison: request.letters && request.letters !== 'none' && col.kind !== 'total' ? { adjustment: request.letters } : undefined,
  });
  return { kind: 'single', table, suppressed: request.suppressBelow > 0 ? suppress(table, request.suppressBelow, { marker: 'single' }) : null };
}
