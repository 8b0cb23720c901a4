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
import { ScaleDefinitionSchema } from '../../analysis/scoringSchema.js';
import type { Database } from '../db/database.js';
import { problems } from '../http/problem.js';
import type { CodebookEntry } from '../questionnaires/codebook.js';
import { analyticRows } from './analyticQuery.js';
import { frameValues } from './frameValues.js';

/** A subgroup line of the 属性別 layout; the first group of every question is the whole (全体). */
export type SummaryGroup = { code: string | null; label: string; n: number };

export type QuestionSummary = { name: string; title: string; type: string } & (
  | { kind: 'choice'; groups: FrequencyTable[] }
  | { kind: 'matrix'; rows: { code: string; label: string; groups: FrequencyTable[] }[] }
  | { kind: 'number'; groups: (DistributionSummary & { noAnswer: number })[] }
  | { kind: 'text'; groups: { answered: number; n: number }[]; texts: { text: string; submittedAt: string }[] }
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
const OUTSIDE_FRAME = '名簿外（公開リンク等）';

type Variable = { name: string; label: string; value: SQL; needsFrame: boolean; categories: Category[]; contains?: boolean };

/**
 * A wave's 単純集計: every question at once, from one GROUP BY over the wave (each response's answers
 * unnested once), one more per scored instrument, and a short list per free-text question.
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
  const cells = await analyticRows<{ grp: string | null; kind: string; q: string; sub: string | null; code: string | null; count: number }>(
    database,
    sql`select ${group} as grp, v.kind, v.q, v.sub, v.code, count(*)::int as count
      ${from} cross join lateral (${unnestAnswers(counted)}) v(kind, q, sub, code)
      ${where} group by 1, 2, 3, 4, 5`,
    { hashAggregate: true },
  );

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
        return frequencyTable({ categories: e.categories, counts, n: g.n, answered, multiple });
      });
      questions.push({ ...base, kind: 'choice', groups: tables });
    } else if (e.shape === 'matrix') {
      const rows = e.rows.map((row) => ({
        ...row,
        groups: groups.map((g) => {
          const counts = codesOf(g.code, 'x', e.name, row.code);
          return frequencyTable({ categories: e.categories, counts, n: g.n, answered: g.n - get(g.code, 'x', e.name, row.code, null), multiple: false });
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
          return { ...stats, noAnswer: g.n - stats.n };
        }),
      });
    } else {
      const texts = choice.texts > 0 ? await freeTexts(database, from, where, e.name, choice.texts) : [];
      questions.push({ ...base, kind: 'text', groups: groups.map((g) => ({ n: g.n, answered: g.n - get(g.code, 't', e.name, null, null) })), texts });
    }
  }

  const scales = scoring.map((s) => ScaleDefinitionSchema.parse(s));
  const scores = await Promise.all(
    scales.map(async (scale) => {
      // Grouped by each item's answer, the pattern object built once per group rather than once per response
      // (building and hashing a jsonb object per row cost more than the scan); work_mem so that the patterns
      // (at most the product of the items' answer counts, ~120k for six 6-point items) stay in memory
      // instead of spilling the hash to disk at the 4MB default.
      const columns = scale.items.map((item, k) => sql`r.data->${item.question} as ${sql.identifier(`a${k}`)}`);
      const object = sql.join(scale.items.map((item, k) => sql`${item.question}::text, p.${sql.identifier(`a${k}`)}`), sql`, `);
      const positions = sql.raw(scale.items.map((_, k) => String(k + 2)).join(', '));
      const patterns = await analyticRows<{ grp: string | null; answers: Record<string, unknown> | string; count: number }>(
        database,
        sql`select p.grp, jsonb_build_object(${object}) as answers, p.count from (
          select ${group} as grp, ${sql.join(columns, sql`, `)}, count(*)::int as count ${from} ${where} group by 1, ${positions}) p`,
        { hashAggregate: true, workMem: '64MB' },
      );
      const parsed = patterns.map((p) => ({ grp: p.grp, answers: typeof p.answers === 'string' ? JSON.parse(p.answers) : p.answers, count: Number(p.count) }));
      return { groups: groups.map((g) => scoreDistribution(scale, g.code === TOTAL ? parsed : parsed.filter((p) => p.grp === g.code))) };
    }),
  );

  return {
    statuses: choice.statuses,
    filter: filter ? { variable: filter.variable.name, label: filter.variable.label, code: filter.code, codeLabel: filter.codeLabel } : null,
    by: by ? { variable: by.name, label: by.label } : null,
    groups: groups.map((g) => ({ ...g, code: g.code === TOTAL ? null : g.code })),
    questions,
    scores,
  };
}

/**
 * One row per counted thing of a response: (kind, question, matrix row, code). Kinds: s single choice,
 * m a selected option of a multiple choice, b whether a multiple choice was answered, x a matrix row,
 * n a number, t whether a text was written, r the respondent. A null code is "no answer".
 */
function unnestAnswers(entries: CodebookEntry[]): SQL {
  const values: SQL[] = [sql`('r'::text, ''::text, null::text, '1'::text)`];
  const selections: SQL[] = [];
  for (const e of entries) {
    const answer = sql`r.data->${e.name}`;
    const isArray = sql`jsonb_typeof(${answer}) = 'array'`;
    const text = sql`r.data->>${e.name}`;
    if (e.shape === 'single') values.push(sql`('s', ${e.name}::text, null, ${text})`);
    if (e.shape === 'multiple') {
      values.push(sql`('b', ${e.name}::text, null, case when ${isArray} and jsonb_array_length(${answer}) > 0 then '1' end)`);
      selections.push(sql`select 'm'::text, ${e.name}::text, null::text, o from jsonb_array_elements_text(case when ${isArray} then ${answer} else '[]'::jsonb end) o`);
    }
    if (e.shape === 'matrix') for (const row of e.rows) values.push(sql`('x', ${e.name}::text, ${row.code}::text, ${answer}->>${row.code})`);
    if (e.shape === 'number') values.push(sql`('n', ${e.name}::text, null, case when jsonb_typeof(${answer}) = 'number' then ${text} end)`);
    if (e.shape === 'text') values.push(sql`('t', ${e.name}::text, null, case when length(btrim(${text})) > 0 then '1' end)`);
  }
  return sql.join([sql`select * from (values ${sql.join(values, sql`, `)}) a`, ...selections], sql` union all `);
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

/** The latest free-text answers of one question, for staff only. */
async function freeTexts(database: Database, from: SQL, where: SQL, name: string, limit: number) {
  const rows = await database.rows<{ text: string; submittedAt: string | Date }>(sql`
    select r.data->>${name} as text, r.submitted_at as "submittedAt" ${from} ${where}
    and length(btrim(r.data->>${name})) > 0 order by r.submitted_at desc, r.id limit ${limit}`);
  return rows.map((r) => ({ text: r.text, submittedAt: new Date(r.submittedAt).toISOString() }));
}
