/**
 * Gathers what the national comparison of one wave needs: which national instruments its questionnaire
 * asks, the respondents grouped by sex, age band and answer (one grouped scan of the wave), and the
 * organisation's sex × age tables. Complete responses only, as the summary counts by default.
 */
import { and, eq, sql } from 'drizzle-orm';
import { SUPPRESSED_MARK } from '../../analysis/suppress.js';
import { scoreInstrument } from '../../analysis/scoreInstrument.js';
import { ScaleDefinitionSchema, type ScaleDefinition } from '../../analysis/scoringSchema.js';
import type { Staff } from '../auth/staff.js';
import { owned } from '../auth/scope.js';
import type { loadOwnedWave } from '../collection/loaders.js';
import type { Database } from '../db/database.js';
import { nationalReferenceTables } from '../db/schema.js';
import { codebook } from '../questionnaires/codebook.js';
import { analyticRows } from '../results/analyticQuery.js';
import { instrumentComparison, type AnswerGroup, type InstrumentComparison } from './comparison.js';
import { NATIONAL_INSTRUMENTS, NO_ANSWER, nationalReference, type NationalInstrument } from './reference.js';
import { ReferenceStratumSchema } from './referenceCsv.js';

/** The `profile` template's questions the breakdowns and the standardisation read. */
export const PROFILE_SEX = 'profile_gender';
export const PROFILE_AGE = 'profile_age_band';

export type WaveComparison = { n: number | string; k: number; instruments: InstrumentComparison[] };

type Wave = Awaited<ReturnType<typeof loadOwnedWave>>;

/** How an instrument's answer becomes a national category: the question's code, or the score's band. */
type Measure = { title: string; questions: string[]; categorise: (values: unknown[]) => string };

function measureOf(instrument: NationalInstrument, version: Wave['version']): Measure | null {
  const reference = nationalReference(instrument);
  const names = new Set(codebook(version).map((e) => e.name));
  if ('question' in reference.measure) {
    const question = reference.measure.question;
    if (!names.has(question)) return null;
    const keys = reference.categories.map((c) => c.key);
    const entry = codebook(version).find((e) => e.name === question)!;
    return { title: `${entry.title}（直接質問）`, questions: [question], categorise: ([v]) => (v !== null && keys.includes(String(v)) ? String(v) : NO_ANSWER) };
  }
  const id = reference.measure.scale;
  const found = (version.scoring as { id?: string }[]).find((s) => s?.id === id);
  if (!found) return null;
  const scale: ScaleDefinition = ScaleDefinitionSchema.parse(found);
  const questions = scale.items.map((i) => i.question);
  if (!questions.every((q) => names.has(q))) return null;
  return {
    title: scale.label.ja,
    questions,
    categorise: (values) => scoreInstrument(scale, Object.fromEntries(questions.map((q, i) => [q, values[i]]))).band?.id ?? NO_ANSWER,
  };
}

export async function waveComparison(database: Database, staff: Staff, { wave, version }: Wave, k: number): Promise<WaveComparison> {
  const names = new Set(codebook(version).map((e) => e.name));
  const profile = { sex: names.has(PROFILE_SEX), age: names.has(PROFILE_AGE) };
  const tables = await database.db.select().from(nationalReferenceTables).where(owned(nationalReferenceTables, staff));
  const n = await respondents(database, wave.id);
  const instruments: InstrumentComparison[] = [];
  for (const instrument of NATIONAL_INSTRUMENTS) {
    const measure = measureOf(instrument, version);
    if (!measure) continue;
    const table = tables.find((t) => t.instrument === instrument);
    instruments.push(
      instrumentComparison({
        reference: nationalReference(instrument),
        title: measure.title,
        answers: await answerGroups(database, wave.id, measure, profile),
        profile,
        strataTable: table ? { source: `${table.source}（${table.fileName}）`, strata: table.strata.map((s) => ReferenceStratumSchema.parse(s)) } : null,
        k,
      }),
    );
  }
  // The wave's n is every instrument's base: hidden where theirs is.
  return { n: instruments.some((c) => c.sample.n !== n) || (n > 0 && n < k) ? SUPPRESSED_MARK : n, k, instruments };
}

async function respondents(database: Database, waveId: string): Promise<number> {
  const [row] = await analyticRows<{ n: number }>(database, sql`select count(*)::int as n from responses where wave_id = ${waveId} and status = 'complete'`);
  return Number(row.n);
}

/** Respondents by sex, age band and the answers the measure reads, categorised here. */
async function answerGroups(database: Database, waveId: string, measure: Measure, profile: { sex: boolean; age: boolean }): Promise<AnswerGroup[]> {
  const text = (name: string) => sql`r.data->>${name}`;
  const rows = await analyticRows<{ sex: string | null; age: string | null; answers: unknown[]; count: number }>(
    database,
    sql`select ${profile.sex ? text(PROFILE_SEX) : sql`null`} as sex, ${profile.age ? text(PROFILE_AGE) : sql`null`} as age,
          jsonb_build_array(${sql.join(measure.questions.map((q) => sql`r.data->${q}`), sql`, `)}) as answers, count(*)::int as count
        from responses r where r.wave_id = ${waveId} and r.status = 'complete'
        group by 1, 2, 3`,
    { hashAggregate: true },
  );
  return rows.map((r) => ({ sex: r.sex, age: r.age, category: measure.categorise(typeof r.answers === 'string' ? JSON.parse(r.answers) : r.answers), count: Number(r.count) }));
}

/** The organisation's table of one instrument, if loaded. */
export async function referenceTableOf(database: Database, staff: Staff, instrument: NationalInstrument) {
  const [row] = await database.db
    .select()
    .from(nationalReferenceTables)
    .where(and(owned(nationalReferenceTables, staff), eq(nationalReferenceTables.instrument, instrument)));
  return row ?? null;
}
