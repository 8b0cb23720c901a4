import { sql, type SQL } from 'drizzle-orm';
import {
  distributionSummary,
  frequencyTable,
  scoreDistribution,
  type Category,
  type DistributionSummary,
  type FrequencyTable,
  type ScoreDistribution,
} from '../../analysis/index.js';
import { ScaleDefinitionSchema, type ScaleDefinition } from '../../analysis/scoringSchema.js';
import type { Database } from '../db/database.js';
import { problems } from '../http/problem.js';
import type { CodebookEntry } from '../questionnaires/codebook.js';
import { analyticRows } from './analyticQuery.js';
import { frameValues, OUTSIDE_FRAME } from './frameValues.js';

/** A subgroup line of the 属性別 layout; the first group of every question is the whole (全体). */
export type SummaryGroup = { code: string | null; label: string; n: number };

export type QuestionSummary = { name: string; title: string; type: string } & (
  | { kind: 'choice'; groups: FrequencyTable[] }
  | { kind: 'matrix'; rows: { code: string; label: string; groups: FrequencyTable[] }[] }
  | { kind: 'number'; groups: (DistributionSummary & { noAnswer: number; spoiled?: number })[] }
  | { kind: 'text'; groups: { answered: number; n: number; spoiled?: number }[]; texts: { text: string; submittedAt: string }[] }
);

export type WaveSummary = {
  statuses: ('complete' | 'partial')[];
  filter: { variable: string; label: string; code: string; codeLabel: string } | null;
  by: { variable: string; label: string } | null;
  /** 全体 first, then one group per category of `by`. */
  groups: SummaryGroup[];
  questions: QuestionSummary[];
  scores: { groups: ScoreDistribution[] }[];
};

export type SummaryChoice = {
  statuses: ('complete' | 'partial')[];
  /** `<question or frame.attribute>=<code>`: only respondents with that answer or attribute. */
  filter?: string;
  /** A single-choice question or `frame.<attribute>`: every table broken down by it. */
  by?: string;
  /** How many free-text answers to list per question (0 for shared outputs). */
  texts: number;
};

const TOTAL = '\u0000total';

type Variable = { name: string; label: string; value: SQL; needsFrame: boolean; categories: Category[]; contains?: boolean };

/**
 * A wave's 単純集計: every question at once and the scored instruments' answer patterns, from one scan of
 * the wave grouped by GROUPING SETS (countAnswers), and a short list per free-text question.
 */
export async function waveSummary(
  database: Database,
  wave: { id: string },
  entries: CodebookEntry[],
  scoring: unknown[],
  choice: SummaryChoice,
): Promise<WaveSummary> {
  const by = choice.by ? await variableOf(database, wave.id, entries, choice.by) : null;
  const filter = choice.filter ? await filterOf(database, wave.id, entries, choice.filter) : null;
  const needsFrame = !!by?.needsFrame || !!filter?.variable.needsFrame;
  const from = sql`from responses r ${needsFrame ? sql`left join invitations i on i.id = r.invitation_id` : sql``}`;
  const where = sql`where r.wave_id = ${wave.id} and r.status in (${sql.join(choice.statuses.map((s) => sql`${s}`), sql`, `)})
    ${filter ? sql`and ${filter.condition}` : sql``}`;
  const group = by ? by.value : sql`null::text`;

  const counted = entries.filter((e) => e.shape !== 'other');
  const scales = scoring.map((s) => ScaleDefinitionSchema.parse(s));
  const { cells, patterns } = await countAnswers(database, from, where, group, counted, scales);
  const count = new Map<string, number>();
  const key = (grp: string | null, kind: string, q: string, sub: string | null, code: string | null) => JSON.stringify([grp, kind, q, sub, code]);
  for (const c of cells) {
    for (const grp of [TOTAL, c.grp]) {
      const k = key(grp, c.kind, c.q, c.sub, c.code);
      count.set(k, (count.get(k) ?? 0) + Number(c.count));
    }
  }
  const get = (grp: string | null, kind: string, q: string, sub: string | null, code: string | null) => count.get(key(grp, kind, q, sub, code)) ?? 0;

  const groups = groupsOf(by, cells, get);
  // Only a question with answers marked 判読不能 somewhere gets the line, in every group alike.
  const spoiledCounts = await countSpoiled(database, from, where, group);
  const spoiledIn = (grp: string | null, q: string) => (spoiledCounts.has(JSON.stringify([TOTAL, q])) ? (spoiledCounts.get(JSON.stringify([grp, q])) ?? 0) : undefined);
  const codesOf = (grp: string | null, kind: string, q: string, sub: string | null) => {
    const out = new Map<string, number>();
    for (const c of cells) if (c.kind === kind && c.q === q && c.sub === sub && c.code !== null) out.set(c.code, get(grp, kind, q, sub, c.code));
    return out;
  };

  const questions: QuestionSummary[] = [];
  for (const e of counted) {
    const base = { name: e.name, title: e.title, type: e.type };
    if (e.shape === 'single' || e.shape === 'multiple') {
      const multiple = e.shape === 'multiple';
      const tables = groups.map((g) => {
        const counts = codesOf(g.code, multiple ? 'm' : 's', e.name, null);
        const answered = multiple ? g.n - get(g.code, 'b', e.name, null, null) : g.n - get(g.code, 's', e.name, null, null);
        return frequencyTable({ categories: e.categories, counts, n: g.n, answered, multiple, spoiled: spoiledIn(g.code, e.name) });
      });
      questions.push({ ...base, kind: 'choice', groups: tables });
    } else if (e.shape === 'matrix') {
      const rows = e.rows.map((row) => ({
        ...row,
        groups: groups.map((g) => {
          const counts = codesOf(g.code, 'x', e.name, row.code);
          return frequencyTable({ categories: e.categories, counts, n: g.n, answered: g.n - get(g.code, 'x', e.name, row.code, null), multiple: false, spoiled: spoiledIn(g.code, e.name) });
        }),
      }));
      questions.push({ ...base, kind: 'matrix', rows });
    } else if (e.shape === 'number') {
      questions.push({
        ...base,
        kind: 'number',
        groups: groups.map((g) => {
          const values = [...codesOf(g.code, 'n', e.name, null)].map(([value, n]) => ({ value: Number(value), count: n }));
          const stats = distributionSummary(values);
          const spoiled = spoiledIn(g.code, e.name);
          return { ...stats, noAnswer: g.n - stats.n - (spoiled ?? 0), ...(spoiled === undefined ? {} : { spoiled }) };
        }),
      });
    } else {
      const texts = choice.texts > 0 ? await freeTexts(database, from, where, e.name, choice.texts) : [];
      const counted = (g: (typeof groups)[number]) => {
        const spoiled = spoiledIn(g.code, e.name);
        return { n: g.n, answered: g.n - get(g.code, 't', e.name, null, null), ...(spoiled === undefined ? {} : { spoiled }) };
      };
      questions.push({ ...base, kind: 'text', groups: groups.map(counted), texts });
    }
  }

  const scores = scales.map((scale, s) => ({
    groups: groups.map((g) => scoreDistribution(scale, g.code === TOTAL ? patterns[s] : patterns[s].filter((p) => p.grp === g.code))),
  }));

  return {
    statuses: choice.statuses,
    filter: filter ? { variable: filter.variable.name, label: filter.variable.label, code: filter.code, codeLabel: filter.codeLabel } : null,
    by: by ? { variable: by.name, label: by.label } : null,
    groups: groups.map((g) => ({ ...g, code: g.code === TOTAL ? null : g.code })),
    questions,
    scores,
  };
}

type Cell = { grp: string | null; kind: string; q: string; sub: string | null; code: string | null; count: number };
type Pattern = { grp: string | null; answers: Record<string, unknown>; count: number };
type Column = { value: SQL; counted?: { kind: string; q: string; sub: string | null }; json?: boolean };

/**
 * Every count of the summary from one scan of the wave (two at once on PostgreSQL, each over part of the
 * grouping sets, as it never runs a grouping-sets aggregate in parallel): each response's answers are read once (one text
 * value per column) and counted in one grouping set per counted thing, each with the subgroup, plus one set
 * per scale over its items (its answer patterns, scored in JS). Kinds: s single choice, m a multiple choice
 * (the set is the answer's JSON; its options and whether it was answered (b) are read once per distinct answer),
 * x a matrix row, n a number, t whether a text was written, r the respondent. A null code is "no answer".
 * A grouping set keeps only its groups and reads no row twice, where the rows of a lateral VALUES per response
 * (one per question) cost more than the scan itself; everything comes back as one row of JSON (PGlite pays per row).
 */
async function countAnswers(database: Database, from: SQL, where: SQL, group: SQL, entries: CodebookEntry[], scales: ScaleDefinition[]) {
  const columns: Column[] = [];
  const singles = new Map<string, number>();
  for (const e of entries) {
    const answer = sql`r.data->${e.name}`;
    const text = sql`r.data->>${e.name}`;
    const counted = (kind: string, sub: string | null = null) => ({ kind, q: e.name, sub });
    if (e.shape === 'single') {
      singles.set(e.name, columns.length);
      columns.push({ value: text, counted: counted('s') });
    }
    if (e.shape === 'multiple') columns.push({ value: sql`(${answer})::text`, counted: counted('m') });
    if (e.shape === 'matrix') for (const row of e.rows) columns.push({ value: sql`${answer}->>${row.code}`, counted: counted('x', row.code) });
    if (e.shape === 'number') columns.push({ value: sql`case when jsonb_typeof(${answer}) = 'number' then ${text} end`, counted: counted('n') });
    if (e.shape === 'text') columns.push({ value: sql`case when length(btrim(${text})) > 0 then '1' end`, counted: counted('t') });
  }
  // A scale item is grouped by its answer's text (->>, the question's own column when it has one), which
  // scores as the answer itself unless a value map lists a string value (true vs "true", 1 vs "1"): then by its JSON.
  const extra = new Map<string, number>();
  const patternColumns = scales.map((scale) =>
    scale.items.map((item) => {
      const json = item.valueMap !== undefined && (scale.valueMaps?.[item.valueMap] ?? []).some((v) => typeof v.value !== 'number');
      if (!json && singles.has(item.question)) return singles.get(item.question)!;
      const key = `${json}:${item.question}`;
      if (!extra.has(key)) {
        extra.set(key, columns.length);
        columns.push({ value: json ? sql`(r.data->${item.question})::text` : sql`r.data->>${item.question}`, json });
      }
      return extra.get(key)!;
    }),
  );
  // One set per distinct item list; a one-item list that is a question's own set is read from that set.
  const c = (k: number) => sql.identifier(`c${k}`);
  const setOf = new Map<string, number>();
  const patternSets: number[][] = [];
  const patternSetOf = patternColumns.map((cols) => {
    const key = cols.join(',');
    if (cols.length === 1 && columns[cols[0]].counted) return -1 - cols[0];
    if (!setOf.has(key)) setOf.set(key, patternSets.push(cols) - 1);
    return setOf.get(key)!;
  });
  const countedColumns = columns.flatMap((col, k) => (col.counted ? [k] : []));
  // Every grouping set with the branch telling its output rows apart (patterns first, the larger first, as a
  // set's columns are grouped in larger sets too; the respondents' set (grp) has none: its id is null).
  const parts: Part[] = [
    { cols: [], cost: 1 },
    ...patternSets
      .map((cols, p) => ({ cols, id: -1 - p, cost: 2 * cols.length, code: sql`json_build_array(${sql.join(cols.map(c), sql`, `)})` }))
      .sort((x, y) => y.cols.length - x.cols.length),
    ...countedColumns.map((k) => ({
      cols: [k],
      id: k,
      cost: 1,
      code:
        columns[k].counted!.kind === 'm'
          ? sql`case when jsonb_typeof(${c(k)}::jsonb) = 'array' then (select json_agg(o) from jsonb_array_elements_text(${c(k)}::jsonb) o) end`
          : sql`to_json(${c(k)})`,
    })),
  ];
  // PostgreSQL never runs a grouping-sets aggregate in parallel: on it the sets are split into two queries
  // of about the same cost (heaviest first, each to the lighter query), run at once on two pooled connections.
  const queries = database.driver === 'postgres' ? balanced(parts, 2) : [parts];
  const results = await Promise.all(queries.map((subset) => countSets(database, from, where, group, columns, subset)));
  const rows = results.flatMap((json) => JSON.parse(json) as [string | null, number | null, unknown, number][]);

  const cells: Cell[] = [];
  const found: { grp: string | null; values: unknown[]; count: number }[][] = patternSets.map(() => []);
  for (const [grp, id, code, count] of rows) {
    if (id === null) cells.push({ grp, kind: 'r', q: '', sub: null, code: '1', count });
    else if (id >= 0) {
      const { kind, q, sub } = columns[id].counted!;
      if (kind !== 'm') cells.push({ grp, kind, q, sub, code: code as string | null, count });
      else {
        const options = (code ?? []) as (string | null)[];
        cells.push({ grp, kind: 'b', q, sub, code: options.length > 0 ? '1' : null, count });
        for (const option of options) cells.push({ grp, kind: 'm', q, sub, code: option, count });
      }
    } else {
      const cols = patternSets[-1 - id];
      const values = (code as (string | null)[]).map((v, i) => (v !== null && columns[cols[i]].json ? JSON.parse(v) : v));
      found[-1 - id].push({ grp, values, count });
    }
  }
  const patterns: Pattern[][] = scales.map((scale, s) => {
    const at = patternSetOf[s];
    const rows = at >= 0 ? found[at] : cells.filter((x) => x.kind === 's' && x.q === scale.items[0].question).map((x) => ({ grp: x.grp, values: [x.code], count: x.count }));
    return rows.map(({ grp, values, count }) => ({ grp, count, answers: Object.fromEntries(scale.items.map((item, i) => [item.question, values[i]])) }));
  });
  return { cells, patterns };
}

type Part = { cols: number[]; cost: number; id?: number; code?: SQL };

/** Splits the sets into n lists of about equal cost (each set, heaviest first, to the lightest list), none empty. */
function balanced(parts: Part[], n: number): Part[][] {
  const lists: { parts: Part[]; cost: number }[] = Array.from({ length: n }, () => ({ parts: [], cost: 0 }));
  for (const part of [...parts].sort((x, y) => y.cost - x.cost)) {
    const lightest = lists.reduce((a, b) => (b.cost < a.cost ? b : a));
    lightest.parts.push(part);
    lightest.cost += part.cost;
  }
  // Each list keeps the sets' order, on which the branches telling its rows apart depend.
  return lists.filter((l) => l.parts.length > 0).map((l) => parts.filter((p) => l.parts.includes(p)));
}

/**
 * One scan of the wave grouped by the given sets, as one row of JSON: [grp, set id, code, count] per group.
 * The planner guesses 200 values per answer and as many patterns as responses, so at the 4MB default (or
 * even 256MB on PostgreSQL 15 at 100k responses) it hashes only some sets and sorts the input again for each
 * of the others; at 1GB every set is hashed in the one pass. The memory used is that of the groups found
 * (~70MB for 100k responses of uniformly random LSNS-6 answers), and a hash spills to disk beyond it.
 */
async function countSets(database: Database, from: SQL, where: SQL, group: SQL, columns: Column[], parts: Part[]) {
  const c = (k: number) => sql.identifier(`c${k}`);
  const used = new Set(parts.flatMap((p) => p.cols));
  const sets = parts.map((p) => sql`(${sql.join([sql`grp`, ...p.cols.map(c)], sql`, `)})`);
  const grouped = (cols: number[]) => {
    const chunks: SQL[] = [];
    for (let i = 0; i < cols.length; i += 31) chunks.push(sql`grouping(${sql.join(cols.slice(i, i + 31).map(c), sql`, `)}) = 0`);
    return sql.join(chunks, sql` and `);
  };
  const branches = parts.filter((p) => p.code !== undefined);
  const which = (value: (p: Part) => SQL) =>
    branches.length > 0 ? sql`case ${sql.join(branches.map((x) => sql`when ${grouped(x.cols)} then ${value(x)}`), sql` `)} end` : sql`null`;
  const setId = which((x) => sql.raw(String(x.id)));
  const code = which((x) => x.code!);
  const values = [sql`${group} as grp`, ...columns.flatMap((col, k) => (used.has(k) ? [sql`${col.value} as ${c(k)}`] : []))];
  const query = sql`select grp, ${setId}::int as s, ${code} as code, count(*)::int as count
    from (select ${sql.join(values, sql`, `)} ${from} ${where}) v group by grouping sets (${sql.join(sets, sql`, `)})`;
  const [{ json }] = await analyticRows<{ json: string }>(
    database,
    sql`select coalesce(json_agg(json_build_array(t.grp, t.s, t.code, t.count)), '[]')::text as json from (${query}) t`,
    { hashAggregate: true, workMem: '1GB' },
  );
  return json;
}

/** A question (single choice) or `frame.<attribute>` to break down or filter by, with its categories in order. */
async function variableOf(database: Database, waveId: string, entries: CodebookEntry[], name: string): Promise<Variable> {
  if (name.startsWith('frame.')) {
    const attribute = name.slice('frame.'.length);
    if (!/^[\p{L}\p{N}_ -]{1,100}$/u.test(attribute)) throw badVariable(name);
    const values = (await frameValues(database, waveId, [attribute]))[attribute];
    if (values.length === 0) throw badVariable(name);
    return {
      name,
      label: attribute,
      // Open-link respondents have no frame line: kept apart (null), never counted as a missing attribute ('').
      value: sql`case when r.invitation_id is null then null else coalesce(i.attributes->>${attribute}, '') end`,
      needsFrame: true,
      categories: values.map((v) => ({ code: v, label: v })),
    };
  }
  const entry = entries.find((e) => e.name === name && (e.shape === 'single' || e.shape === 'multiple'));
  if (!entry) throw badVariable(name);
  return { name, label: entry.title, value: sql`r.data->>${name}`, needsFrame: false, categories: entry.categories, contains: entry.shape === 'multiple' };
}

async function filterOf(database: Database, waveId: string, entries: CodebookEntry[], filter: string) {
  const at = filter.indexOf('=');
  if (at <= 0) throw badVariable(filter);
  const variable = await variableOf(database, waveId, entries, filter.slice(0, at));
  const code = filter.slice(at + 1);
  const category = variable.categories.find((c) => c.code === code);
  if (!category) throw badVariable(filter);
  const answer = sql`r.data->${variable.name}`;
  const condition = variable.contains
    ? sql`jsonb_typeof(${answer}) = 'array' and ${answer} @> jsonb_build_array(${code}::text)`
    : variable.needsFrame
      ? sql`i.attributes->>${variable.name.slice('frame.'.length)} = ${code}`
      : sql`r.data->>${variable.name} = ${code}`;
  return { variable, code, codeLabel: category.label, condition };
}

function badVariable(name: string) {
  return problems.badRequest(`"${name}" is not a single- or multiple-choice question of this wave, or a frame attribute (frame.<name>) with values.`, {
    title_ja: '集計の条件が正しくありません',
    detail_ja: `「${name}」は、この回の選択式の質問、または名簿の属性（frame.属性名）ではありません。`,
  });
}

/** 全体, then each category of `by` (zero groups kept), then respondents outside them (no answer, outside the frame). */
function groupsOf(
  by: Variable | null,
  cells: { grp: string | null; kind: string }[],
  get: (grp: string | null, kind: string, q: string, sub: string | null, code: string | null) => number,
): { code: string | null; label: string; n: number }[] {
  const respondents = (grp: string | null) => get(grp, 'r', '', null, '1');
  const groups = [{ code: TOTAL as string | null, label: '全体', n: respondents(TOTAL) }];
  if (!by) return groups;
  if (by.contains) {
    // A multiple-choice breakdown would count a respondent in several groups; refused rather than mislead.
    throw problems.badRequest(`"${by.name}" is a multiple-choice question; break down by a single-choice question or a frame attribute.`, {
      title_ja: '集計の条件が正しくありません',
      detail_ja: '複数回答の質問では属性別に分けられません。単一回答の質問か名簿の属性を選んでください。',
    });
  }
  for (const c of by.categories) groups.push({ code: c.code, label: c.label, n: respondents(c.code) });
  const known = new Set(by.categories.map((c) => c.code));
  const seen = [...new Set(cells.filter((c) => c.kind === 'r').map((c) => c.grp))];
  for (const code of seen.filter((g) => g !== null && !known.has(g)).sort()) groups.push({ code, label: code || '属性なし', n: respondents(code) });
  if (seen.includes(null)) groups.push({ code: null, label: by.needsFrame ? OUTSIDE_FRAME : '無回答', n: respondents(null) });
  return groups;
}

/**
 * Answers marked 判読不能・無効 on paper returns, per group and question (the whole under TOTAL), keyed
 * [group, question]. Only returns with such marks are read, and they are few.
 */
async function countSpoiled(database: Database, from: SQL, where: SQL, group: SQL) {
  const rows = await database.rows<{ grp: string | null; q: string; count: number }>(sql`
    select grp, q, count(*)::int as count from (select ${group} as grp, s.q ${from}
      cross join lateral jsonb_array_elements_text(r.spoiled) as s(q) ${where} and jsonb_array_length(r.spoiled) > 0) v
    group by grp, q`);
  const counts = new Map<string, number>();
  for (const row of rows) {
    for (const grp of [TOTAL, row.grp]) counts.set(JSON.stringify([grp, row.q]), (counts.get(JSON.stringify([grp, row.q])) ?? 0) + Number(row.count));
  }
  return counts;
}

/** The latest free-text answers of one question, for staff only. */
async function freeTexts(database: Database, from: SQL, where: SQL, name: string, limit: number) {
  const rows = await database.rows<{ text: string; submittedAt: string | Date }>(sql`
    select r.data->>${name} as text, r.submitted_at as "submittedAt" ${from} ${where}
    and length(btrim(r.data->>${name})) > 0 order by r.submitted_at desc, r.id limit ${limit}`);
  return rows.map((r) => ({ text: r.text, submittedAt: new Date(r.submittedAt).toISOString() }));
}
