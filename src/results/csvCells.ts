import { sql, type SQL } from 'drizzle-orm';
import type { CodebookEntry } from '../questionnaires/codebook.js';
import { neutralise } from './csv.js';
import { MODE_LABELS, SPOILED_CODE, SPOILED_LABEL, STATUS_LABELS, type ResponseTable } from './responseTable.js';

/**
 * The raw-responses CSV computed by the database: one SQL expression per column of responseColumns (same
 * order, same text), so a million rows leave PostgreSQL as finished cells and JavaScript only passes them
 * on. A cell is its text before CSV quoting — formula-like text already neutralised as csvCell does, null
 * for an empty cell.
 *
 * Where SQL could print a value differently from JavaScript (an object or list where a scalar belongs, a
 * number JavaScript prints otherwise, e.g. 1.50 or 1e-7) the cell holds UNSURE instead, and the caller
 * formats that row in JavaScript from the row itself, so every row stays byte-identical to csvCell's.
 */
export const UNSURE = '\u0001';
const unsure = sql.raw(`E'\\x01'`);

/** csvCell's rule for text (neutralise): = + - @ tab or CR first gets a ' so a spreadsheet shows it, not runs it. For a column. */
const neutralised = (column: SQL) => sql`case when left(${column}, 1) in ('=', '+', '-', '@', E'\t', E'\r') then '''' || ${column} else ${column} end`;
/** The same for an expression, read once. */
const neutralisedOnce = (text: SQL) => sql`regexp_replace(${text}, ${sql.raw(`E'^([-=+@\\t\\r])'`)}, ${sql.raw(`E'''\\\\1'`)})`;

/** Number text as jsonb prints it, where JavaScript's String(number) prints the same: ≤ 15 digits, no trailing zeros, no exponent. */
const sameNumber = (text: SQL) => sql`((strpos(${text}, '.') = 0 and length(${text}) <= 15 and ${text} <> '-0') or (length(${text}) <= 16 and ${text} ~ ${sql.raw(`'^(0|-?[1-9][0-9]{0,14}(\\.[0-9]*[1-9])?|-?0\\.0{0,5}[1-9]([0-9]*[1-9])?)$'`)}))`;

/** A category's label for the code text, or the text itself (labelOf), neutralised when asked. */
function labelled(entry: CodebookEntry, text: SQL, neutral = false): SQL {
  const fallback = neutral ? neutralised(text) : text;
  if (entry.categories.length === 0) return fallback;
  return sql`case ${text} ${sql.join(entry.categories.map((c) => sql`when ${c.code}::text then ${neutral ? neutralise(c.label) : c.label}::text`), sql` `)} else ${fallback} end`;
}

/** Named codes shown as their labels (status, mode), neutralised. */
function named(column: SQL, labels: Record<string, string>): SQL {
  return sql`case ${column} ${sql.join(Object.entries(labels).map(([code, label]) => sql`when ${code}::text then ${neutralise(label)}::text`), sql` `)} else ${neutralised(column)} end`;
}

/** A JSON value read once per row: its type and its text, for the cells that show it. */
type Source = { type: SQL; text: SQL; json: SQL };

/** As csvCell prints a JSON value: strings neutralised, numbers and booleans as they are, nothing for null. */
function valueCell(v: Source): SQL {
  return sql`case coalesce(${v.type}, 'null') when 'string' then ${neutralised(v.text)} when 'boolean' then ${v.text}
    when 'number' then case when ${sameNumber(v.text)} then ${v.text} else ${unsure} end
    when 'null' then null else ${unsure} end`;
}

/** labelOf's text, which csvCell always neutralises: the label, or the code where it has none. */
function labelCell(entry: CodebookEntry, v: Source): SQL {
  return sql`case when ${v.type} is null or ${v.type} = 'null' then null
    when ${v.type} in ('string', 'boolean') or (${v.type} = 'number' and ${sameNumber(v.text)}) then ${labelled(entry, v.text, true)}
    else ${unsure} end`;
}

/** A multiple-choice answer's codes, or their labels, joined with ';' as one text; empty when it is not a list. */
function listCell(entry: CodebookEntry, v: Source, labels: boolean): SQL {
  const text = sql`(e #>> '{}')`;
  const shown = labels ? labelled(entry, text) : text;
  const each = sql`case when jsonb_typeof(e) = 'string' or (jsonb_typeof(e) = 'number' and ${sameNumber(text)}) then ${shown} else ${unsure} end`;
  return sql`case when ${v.type} = 'array' then ${neutralisedOnce(sql`(select coalesce(string_agg(${each}, ';'), '') from jsonb_array_elements(${v.json}) e)`)} else '' end`;
}

/**
 * The wave's responses as rows of `id`, `submitted_at`, `position` (that time as the database holds it,
 * for paging), one column `c0`, `c1`, … per CSV cell and, when the questionnaire has scales, `items`: the
 * scales' answers for scoreInstrument. `where` and `tail` (e.g. a
 * LIMIT) choose the rows. Built in layers, each kept apart with OFFSET 0 so that PostgreSQL reads each
 * answer out of the JSON once a row rather than once for every place a cell uses it.
 */
export function csvCells(table: ResponseTable, where: SQL, tail: SQL = sql``): SQL {
  const sources: SQL[] = [];
  const read = (json: SQL): Source => {
    const k = sources.push(json) - 1;
    return { json: sql.raw(`j${k}`), type: sql.raw(`y${k}`), text: sql.raw(`t${k}`) };
  };
  const cells: SQL[] = [
    sql`id::text`,
    sql`to_char(submitted_at at time zone 'Asia/Tokyo', 'YYYY/MM/DD HH24:MI:SS')`,
    named(sql`status`, STATUS_LABELS),
    named(sql`mode`, MODE_LABELS),
    neutralised(sql`entered_by`),
    neutralised(sql`unit_id`),
    ...table.attributes.map((a) => valueCell(read(sql`attributes -> ${a}::text`))),
  ];
  const spoiledOr = (name: string, shown: string, cell: SQL) => sql`case when spoiled ? ${name}::text then ${shown}::text else ${cell} end`;
  for (const entry of table.entries) {
    const answer = sql`data -> ${entry.name}::text`;
    const pair = (v: Source) => {
      cells.push(spoiledOr(entry.name, SPOILED_CODE, valueCell(v)));
      cells.push(spoiledOr(entry.name, SPOILED_LABEL, labelCell(entry, v)));
    };
    switch (entry.shape) {
      case 'single':
        pair(read(answer));
        break;
      case 'multiple': {
        const v = read(answer);
        cells.push(spoiledOr(entry.name, SPOILED_CODE, listCell(entry, v, false)));
        cells.push(spoiledOr(entry.name, SPOILED_LABEL, listCell(entry, v, true)));
        break;
      }
      case 'matrix':
        for (const row of entry.rows) {
          // JavaScript reads answer?.[row]: a text or a list would be indexed by position, so those rows are left to it.
          pair(read(sql`case jsonb_typeof(${answer}) when 'object' then (${answer}) -> ${row.code}::text when 'string' then to_jsonb(${unsure}::text) when 'array' then to_jsonb(${unsure}::text) end`));
        }
        break;
      default:
        cells.push(spoiledOr(entry.name, SPOILED_CODE, valueCell(read(answer))));
    }
  }
  const list = (make: (k: number) => string) => sql.raw(sources.map((_, k) => `, ${make(k)}`).join(''));
  const rows = sql`select r.id, r.submitted_at, r.submitted_at::text as position, r.status, r.mode, r.spoiled, r.data, i.unit_id, i.attributes, coalesce(u.email, u.name) as entered_by
    from responses r left join invitations i on i.id = r.invitation_id left join users u on u.id = r.entered_by
    where ${where} order by r.submitted_at, r.id ${tail}`;
  const read1 = sql`select *${sources.length ? sql`, ${sql.join(sources.map((s, k) => sql`${s} as ${sql.raw(`j${k}`)}`), sql`, `)}` : sql``} from (${rows}) l0 offset 0`;
  const read2 = sql`select *${list((k) => `jsonb_typeof(j${k}) as y${k}, j${k} #>> '{}' as t${k}`)} from (${read1}) l1 offset 0`;
  const items = [...new Set(table.scales.flatMap((s) => s.items.map((item) => item.question)))];
  const scored = items.length ? sql`, jsonb_build_object(${sql.join(items.map((q) => sql`${q}::text, data -> ${q}::text`), sql`, `)}) as items` : sql``;
  return sql`select id, submitted_at, position, ${sql.join(cells.map((c, k) => sql`${c} as ${sql.raw(`c${k}`)}`), sql`, `)}${scored}
    from (${read2}) l2 offset 0`;
}

/** How many cells csvCells gives a row. */
export function csvCellCount(table: ResponseTable): number {
  return table.columns.length - 2 * table.scales.length;
}
