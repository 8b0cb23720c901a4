/**
 * The national reference figures shipped beside two templates (`surveys/<template>/national.json`),
 * validated with zod when first used and checked against the template they describe: the question's
 * choices or the scale's bands. A malformed file is refused with an error naming the file and the field.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { collectSurveyQuestions, LocalisedTextSchema, ScaleDefinitionSchema } from '../../analysis/scoringSchema.js';
import { DEFAULT_SURVEYS_DIR, loadTemplateFolder } from '../questionnaires/templateLibrary.js';

/** The templates whose answers can be put beside the national survey. */
export const NATIONAL_INSTRUMENTS = ['loneliness-direct', 'ucla3-national'] as const;
export type NationalInstrument = (typeof NATIONAL_INSTRUMENTS)[number];

/** ✓ two or more sources agree, ◐ one source, ✗ rebuilt from a figure (only ever shown as 概数). */
export const CONFIDENCE = {
  confirmed: { mark: '✓', ja: '複数の資料で一致', en: 'two or more sources agree' },
  single: { mark: '◐', ja: '資料1件のみ', en: 'one source' },
  reconstructed: { mark: '✗', ja: '概数（白書の図から再構成）', en: 'approximate, rebuilt from a white-paper figure' },
} as const;

/** The line for answers the national survey counts as 無回答 (and a score that could not be computed). */
export const NO_ANSWER = 'noAnswer';

const PROFILE_AGES = ['16_19', '20_29', '30_39', '40_49', '50_59', '60_64', '65_69', '70_74', '75_79', '80_plus'] as const;
export const SexSchema = z.enum(['male', 'female']);
export const AgeBandSchema = z.enum(PROFILE_AGES);

/** A subgroup by the `profile` template's codes; none for the whole sample. */
const GroupSchema = z.object({ sex: SexSchema.optional(), ages: z.array(AgeBandSchema).min(1).optional() }).strict();

const RowSchema = z
  .object({
    wave: z.string().min(1),
    group: GroupSchema.optional(),
    /** Valid responses behind the row, when published. */
    n: z.number().int().positive().optional(),
    confidence: z.enum(['confirmed', 'single', 'reconstructed']),
    /** Published percentages by category, 無回答 (noAnswer) or total key; an unpublished one is absent. */
    percents: z.record(z.string(), z.number().min(0).max(100)).refine((p) => Object.keys(p).length > 0, 'at least one published figure'),
    source: z.string().min(1),
  })
  .strict();

export const NationalReferenceSchema = z
  .object({
    $comment: z.string().optional(),
    instrument: z.enum(NATIONAL_INSTRUMENTS),
    survey: z.object({ title: z.string().min(1), organiser: z.string().min(1), sample: z.string().min(1), mode: z.string().min(1) }).strict(),
    waves: z
      .array(
        z
          .object({
            id: z.string().min(1),
            label: z.string().min(1),
            surveyYear: z.number().int(),
            published: z.string().regex(/^\d{4}-\d{2}$/),
            responses: z.number().int().positive(),
            responseRate: z.number().min(0).max(100),
          })
          .strict(),
      )
      .min(1),
    /** The template's question (direct) or scale (score bands) the figures are for. */
    measure: z.union([z.object({ question: z.string() }).strict(), z.object({ scale: z.string() }).strict()]),
    /** Most lonely first, as the national tables print them. */
    categories: z.array(z.object({ key: z.string().min(1), label: LocalisedTextSchema }).strict()).min(2),
    /** Published sums of categories, e.g. 「ある」計. */
    totals: z.array(z.object({ key: z.string().min(1), label: LocalisedTextSchema, of: z.array(z.string()).min(2) }).strict()),
    rows: z.array(RowSchema).min(1),
    notes: z.array(z.string()).default([]),
  })
  .strict();
export type NationalReference = z.infer<typeof NationalReferenceSchema>;
export type NationalRow = z.infer<typeof RowSchema>;
export type NationalGroup = z.infer<typeof GroupSchema>;

export class NationalReferenceError extends Error {
  constructor(file: string, problem: string) {
    super(`National reference ${file}: ${problem}`);
    this.name = 'NationalReferenceError';
  }
}

/** Reads and checks one template folder's national.json against the template in the same folder. */
export function loadNationalReference(folder: string): NationalReference {
  const file = join(folder, 'national.json');
  if (!existsSync(file)) throw new NationalReferenceError(file, 'the file is missing.');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new NationalReferenceError(file, `not valid JSON (${(e as Error).message}).`);
  }
  const parsed = NationalReferenceSchema.safeParse(raw);
  if (!parsed.success) {
    throw new NationalReferenceError(file, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  const reference = parsed.data;
  const problems = checkAgainstTemplate(reference, folder);
  if (problems.length) throw new NationalReferenceError(file, problems.join('; '));
  return reference;
}

function checkAgainstTemplate(reference: NationalReference, folder: string): string[] {
  const template = loadTemplateFolder(folder);
  const problems: string[] = [];
  if (reference.instrument !== template.meta.id) problems.push(`instrument "${reference.instrument}" is not this folder's template "${template.meta.id}"`);
  let expected: string[] = [];
  if ('question' in reference.measure) {
    const name = reference.measure.question;
    const question = collectSurveyQuestions(template.survey).find((q) => q.name === name);
    if (!question) problems.push(`measure.question "${name}" is not a question of survey.json`);
    expected = (question?.choices ?? []).map(String);
  } else {
    const id = reference.measure.scale;
    const scale = (template.meta.scoring?.scales ?? []).find((s) => s.id === id);
    if (!scale) problems.push(`measure.scale "${id}" is not a scale of template.json`);
    expected = (scale ? ScaleDefinitionSchema.parse(scale).bands ?? [] : []).map((b) => b.id);
  }
  const keys = reference.categories.map((c) => c.key);
  if ([...keys].sort().join() !== [...expected].sort().join()) {
    problems.push(`categories ${JSON.stringify(keys)} must be exactly the measure's ${JSON.stringify(expected)}`);
  }
  const totals = reference.totals.map((t) => t.key);
  for (const t of reference.totals) for (const k of t.of) if (!keys.includes(k)) problems.push(`total "${t.key}" adds "${k}", which is not a category`);
  const known = new Set([...keys, ...totals, NO_ANSWER]);
  const waves = new Set(reference.waves.map((w) => w.id));
  reference.rows.forEach((row, i) => {
    if (!waves.has(row.wave)) problems.push(`rows.${i}.wave "${row.wave}" is not listed in waves`);
    for (const k of Object.keys(row.percents)) if (!known.has(k)) problems.push(`rows.${i}.percents has "${k}", which is neither a category, a total nor ${NO_ANSWER}`);
  });
  return problems;
}

const cache = new Map<NationalInstrument, NationalReference>();

/** The shipped reference of an instrument, read once. */
export function nationalReference(instrument: NationalInstrument): NationalReference {
  let reference = cache.get(instrument);
  if (!reference) {
    reference = loadNationalReference(join(DEFAULT_SURVEYS_DIR, instrument));
    cache.set(instrument, reference);
  }
  return reference;
}
