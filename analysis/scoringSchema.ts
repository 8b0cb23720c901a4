/**
 * Template metadata and instrument scoring schema ("templates are data").
 *
 * Every `surveys/<id>/template.json` is validated with `TemplateMetaSchema`. The optional
 * `scoring.scales` describe how item answers become a score: items (question names), reverse
 * keys or per-item value maps, the answer value range, the score range, the missing-item rule,
 * subscales, bands/cut-offs with their source, and the dichotomy used for paired yes/no tests.
 *
 * Pure module: zod schemas, inferred types and consistency helpers, no I/O.
 */
import { z } from 'zod';

export const LocalisedTextSchema = z
  .object({ ja: z.string().min(1), en: z.string().min(1) })
  .strict();
export type LocalisedText = z.infer<typeof LocalisedTextSchema>;

/** A choice value as stored in SurveyJS answers: a number for scale items, an ascii code otherwise. */
export const AnswerValueSchema = z.union([z.number(), z.string().min(1)]);
export type AnswerValue = z.infer<typeof AnswerValueSchema>;

const IdSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'ids use lower-case ascii, digits, "_" and "-"');
const QuestionNameSchema = z.string().regex(/^[a-z0-9_]+$/, 'question names use lower-case ascii, digits and "_"');

/**
 * Where a band, cut-off or dichotomy comes from. `kind` says how much weight it can bear:
 * - validated: a cut-off validated against an external criterion in the cited study;
 * - author: recommended or used by the instrument's authors (manual, scoring syntax);
 * - reported: as reported by the survey publisher, not yet checked against the official release;
 * - convention: a common convention in the literature, not a validated cut-off;
 * - template: a choice made by this template (e.g. a conversion factor), to be reviewed by the user.
 */
export const SourceSchema = z
  .object({
    kind: z.enum(['validated', 'author', 'reported', 'convention', 'template']),
    text: z.string().min(1),
  })
  .strict();
export type Source = z.infer<typeof SourceSchema>;

export const ValueMapEntrySchema = z.object({ value: AnswerValueSchema, score: z.number() }).strict();
export type ValueMapEntry = z.infer<typeof ValueMapEntrySchema>;

export const ScaleItemSchema = z
  .object({
    /** SurveyJS question name. */
    question: QuestionNameSchema,
    /** Reverse-keyed numeric item: score = answerValues.min + answerValues.max − answer. */
    reverse: z.boolean().optional(),
    /** Name of an entry of `valueMaps`: the answer is mapped to an item score instead of used as a number. */
    valueMap: z.string().min(1).optional(),
  })
  .strict()
  .refine((i) => !(i.reverse && i.valueMap), { message: 'an item has either reverse or valueMap, not both' });
export type ScaleItem = z.infer<typeof ScaleItemSchema>;

export const MissingRuleSchema = z.discriminatedUnion('type', [
  z
    .object({
      /** Score is missing when more than `max` items are missing; otherwise the answered items are summed. */
      type: z.literal('maxMissing'),
      max: z.number().int().min(0),
      /** Who says so, used in the explanation ("the De Jong Gierveld rule"). */
      ruleName: z.string().min(1).optional(),
    })
    .strict(),
  z
    .object({
      /** Prorated sum: sum × itemCount / answered, when at least `minAnswered` items are answered.
       *  Only where the instrument's source prescribes prorating. */
      type: z.literal('prorate'),
      minAnswered: z.number().int().min(1),
      rounding: z.enum(['none', 'nearest']),
      ruleName: z.string().min(1).optional(),
    })
    .strict(),
]);
export type MissingRule = z.infer<typeof MissingRuleSchema>;

export const RangeSchema = z
  .object({ min: z.number(), max: z.number() })
  .strict()
  .refine((r) => r.min <= r.max, { message: 'range min must not exceed max' });
export type Range = z.infer<typeof RangeSchema>;

/** A band is [min, max] inclusive, or [min, lessThan) for scores that need not be integers. */
export const BandSchema = z
  .object({
    id: IdSchema,
    label: LocalisedTextSchema,
    min: z.number().optional(),
    max: z.number().optional(),
    lessThan: z.number().optional(),
    source: SourceSchema,
  })
  .strict()
  .refine((b) => !(b.max !== undefined && b.lessThan !== undefined), {
    message: 'a band has max (inclusive) or lessThan (exclusive), not both',
  })
  .refine((b) => b.min !== undefined || b.max !== undefined || b.lessThan !== undefined, {
    message: 'a band needs at least one bound',
  });
export type Band = z.infer<typeof BandSchema>;

export const DichotomySchema = z
  .object({
    id: IdSchema,
    /** What "yes" means, e.g. "lonely". */
    label: LocalisedTextSchema,
    /** Band ids counted as "yes"; every other band is "no". */
    yesBands: z.array(IdSchema).min(1),
    source: SourceSchema,
  })
  .strict();
export type Dichotomy = z.infer<typeof DichotomySchema>;

export const SubscaleSchema = z
  .object({
    id: IdSchema,
    label: LocalisedTextSchema,
    /** Question names; each must be one of the scale's items (their keying is taken from there). */
    items: z.array(QuestionNameSchema).min(1),
    range: RangeSchema,
    missing: MissingRuleSchema,
  })
  .strict();
export type Subscale = z.infer<typeof SubscaleSchema>;

const ScaleObjectSchema = z
  .object({
    id: IdSchema,
    label: LocalisedTextSchema,
    /** Scores from different variants are never pooled. Defaults to the template's variant. */
    variant: z.string().min(1).optional(),
    items: z.array(ScaleItemSchema).min(1),
    /** Allowed numeric answers (integers min..max) for items without a value map. */
    answerValues: z
      .object({ min: z.number().int(), max: z.number().int() })
      .strict()
      .refine((r) => r.min < r.max, { message: 'answerValues.min must be below max' })
      .optional(),
    /** Named answer → item score maps (e.g. De Jong Gierveld yes / more or less / no → 0/1). */
    valueMaps: z.record(z.string(), z.array(ValueMapEntrySchema).min(1)).optional(),
    method: z.literal('sum'),
    range: RangeSchema,
    missing: MissingRuleSchema,
    subscales: z.array(SubscaleSchema).optional(),
    bands: z.array(BandSchema).optional(),
    /** Default dichotomy (e.g. lonely yes/no for McNemar). */
    dichotomy: DichotomySchema.optional(),
    /** Other thresholds a user may choose instead (e.g. isolated if contact < 1 per month). */
    alternativeDichotomies: z.array(DichotomySchema).optional(),
    notes: z.array(LocalisedTextSchema).optional(),
    /** Which end of the score is the better state: loneliness scores are worse when high, network sizes better. */
    /** The items name what they measure (e.g. 「孤独だと感じることがありますか」): headings may too. */
    asksDirectly: z.boolean().optional(),
    higherIs: z.enum(['better', 'worse']).optional(),
    /** What a higher score means, said to the reader, e.g. 「点数が高いほど孤独感が強い（悪い）」. */
    direction: LocalisedTextSchema.optional(),
  })
  .strict();

/** Minimum and maximum score one item can contribute. */
export function itemScoreRange(
  scale: Pick<z.infer<typeof ScaleObjectSchema>, 'answerValues' | 'valueMaps'>,
  item: ScaleItem,
): Range | null {
  if (item.valueMap !== undefined) {
    const map = scale.valueMaps?.[item.valueMap];
    if (!map) return null;
    const scores = map.map((e) => e.score);
    return { min: Math.min(...scores), max: Math.max(...scores) };
  }
  if (!scale.answerValues) return null;
  return { min: scale.answerValues.min, max: scale.answerValues.max };
}

const EPS = 1e-9;
const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;

export const ScaleDefinitionSchema = ScaleObjectSchema.superRefine((s, ctx) => {
  const issue = (message: string, path: (string | number)[] = []) =>
    ctx.addIssue({ code: 'custom', message, path });

  const names = s.items.map((i) => i.question);
  const dup = names.find((n, k) => names.indexOf(n) !== k);
  if (dup) issue(`item "${dup}" is listed twice`, ['items']);
  if (s.direction && !s.higherIs) issue('a direction text needs higherIs (better or worse)', ['higherIs']);

  let min = 0;
  let max = 0;
  s.items.forEach((item, k) => {
    if (item.valueMap !== undefined && !s.valueMaps?.[item.valueMap]) {
      issue(`item "${item.question}" uses value map "${item.valueMap}", which is not defined in valueMaps`, ['items', k]);
    }
    if (item.valueMap === undefined && !s.answerValues) {
      issue(`item "${item.question}" has no value map, so the scale needs answerValues`, ['items', k]);
    }
    const r = itemScoreRange(s, item);
    if (r) {
      min += r.min;
      max += r.max;
    }
  });
  for (const [name, map] of Object.entries(s.valueMaps ?? {})) {
    const vals = map.map((e) => e.value);
    if (new Set(vals).size !== vals.length) issue(`value map "${name}" lists a value twice`, ['valueMaps', name]);
  }
  if (!close(min, s.range.min) || !close(max, s.range.max)) {
    issue(
      `range ${s.range.min}–${s.range.max} does not match the items (${s.items.length} items give ${min}–${max})`,
      ['range'],
    );
  }
  if (s.missing.type === 'maxMissing' && s.missing.max >= s.items.length) {
    issue('missing.max must be below the number of items', ['missing']);
  }
  if (s.missing.type === 'prorate' && s.missing.minAnswered > s.items.length) {
    issue('missing.minAnswered exceeds the number of items', ['missing']);
  }

  const subIds = new Set<string>();
  (s.subscales ?? []).forEach((sub, k) => {
    if (subIds.has(sub.id)) issue(`subscale id "${sub.id}" is used twice`, ['subscales', k]);
    subIds.add(sub.id);
    let smin = 0;
    let smax = 0;
    for (const q of sub.items) {
      const item = s.items.find((i) => i.question === q);
      if (!item) {
        issue(`subscale "${sub.id}" names "${q}", which is not an item of the scale`, ['subscales', k]);
        continue;
      }
      const r = itemScoreRange(s, item);
      if (r) {
        smin += r.min;
        smax += r.max;
      }
    }
    if (!close(smin, sub.range.min) || !close(smax, sub.range.max)) {
      issue(`subscale "${sub.id}" range ${sub.range.min}–${sub.range.max} does not match its items (${smin}–${smax})`, [
        'subscales',
        k,
      ]);
    }
  });

  const bandIds = new Set<string>();
  (s.bands ?? []).forEach((b, k) => {
    if (bandIds.has(b.id)) issue(`band id "${b.id}" is used twice`, ['bands', k]);
    bandIds.add(b.id);
    if (b.min !== undefined && b.min < s.range.min - EPS) issue(`band "${b.id}" starts below the score range`, ['bands', k]);
    if (b.max !== undefined && b.max > s.range.max + EPS) issue(`band "${b.id}" ends above the score range`, ['bands', k]);
  });
  const dichotomies = [...(s.dichotomy ? [s.dichotomy] : []), ...(s.alternativeDichotomies ?? [])];
  if (s.alternativeDichotomies?.length && !s.dichotomy) {
    issue('alternativeDichotomies need a default dichotomy', ['alternativeDichotomies']);
  }
  const dIds = new Set<string>();
  for (const d of dichotomies) {
    if (dIds.has(d.id)) issue(`dichotomy id "${d.id}" is used twice`, ['dichotomy']);
    dIds.add(d.id);
    for (const y of d.yesBands) {
      if (!bandIds.has(y)) issue(`dichotomy "${d.id}" names band "${y}", which is not defined`, ['dichotomy']);
    }
  }
});
export type ScaleDefinition = z.infer<typeof ScaleDefinitionSchema>;

export const ScoringSchema = z
  .object({ scales: z.array(ScaleDefinitionSchema).min(1) })
  .strict()
  .superRefine((s, ctx) => {
    const ids = s.scales.map((x) => x.id);
    const dup = ids.find((n, k) => ids.indexOf(n) !== k);
    if (dup) ctx.addIssue({ code: 'custom', message: `scale id "${dup}" is used twice`, path: ['scales'] });
  });
export type Scoring = z.infer<typeof ScoringSchema>;

export const LanguageSchema = z.enum(['ja', 'en']);

export const TemplateMetaSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'template ids use lower-case ascii, digits and "-"'),
    kind: z.enum(['instrument', 'programme', 'block']),
    title: LocalisedTextSchema,
    summary: LocalisedTextSchema,
    /** Languages in which the question wording is usable. The survey's "default" strings are Japanese
     *  when "ja" is listed, otherwise English. */
    languages: z.array(LanguageSchema).min(1),
    /** Status of each language's wording, e.g. official, validated, translation (not validated), placeholder. */
    languageStatus: z
      .record(
        z.string(),
        z.object({ status: z.enum(['official', 'validated', 'original', 'translation', 'placeholder']), note: z.string().optional() }).strict(),
      )
      .optional(),
    variant: z.string().min(1),
    citation: z.string().min(1),
    licence: z.string().min(1),
    scoring: ScoringSchema.optional(),
    /** Judgement calls and caveats a user should read (e.g. option lists not printed in the source). */
    notes: z.array(LocalisedTextSchema).optional(),
  })
  .strict();
export type TemplateMeta = z.infer<typeof TemplateMetaSchema>;

/** What the scorer needs to know about a survey question to check scoring metadata against it. */
export interface QuestionInfo {
  name: string;
  type: string;
  /** Choice values, when the question has choices. */
  choices?: AnswerValue[];
}

/**
 * Walks SurveyJS JSON (pages → elements, panels' elements, dynamic panels' templateElements)
 * and returns every question with its type and choice values. Pure.
 */
const NON_QUESTION_TYPES = new Set(['panel', 'html', 'image']);

export function collectSurveyQuestions(survey: unknown): QuestionInfo[] {
  const out: QuestionInfo[] = [];
  const visit = (el: unknown) => {
    if (!el || typeof el !== 'object') return;
    const e = el as Record<string, unknown>;
    if (Array.isArray(e.elements)) e.elements.forEach(visit);
    if (Array.isArray(e.templateElements)) e.templateElements.forEach(visit);
    if (typeof e.name === 'string' && typeof e.type === 'string' && !NON_QUESTION_TYPES.has(e.type)) {
      const info: QuestionInfo = { name: e.name, type: e.type };
      if (Array.isArray(e.choices)) {
        info.choices = e.choices.map((c) =>
          c && typeof c === 'object' ? ((c as Record<string, unknown>).value as AnswerValue) : (c as AnswerValue),
        );
      }
      out.push(info);
    }
  };
  const s = survey as Record<string, unknown> | null;
  if (s && Array.isArray(s.pages)) s.pages.forEach(visit);
  if (s && Array.isArray(s.elements)) s.elements.forEach(visit);
  return out;
}

/**
 * Checks that scoring metadata names only questions that exist, and that every
 * choice of a scored question is allowed by its item definition (and vice versa for value maps).
 * Returns human-readable problems (empty when consistent).
 */
export function checkMetaAgainstSurvey(meta: TemplateMeta, questions: QuestionInfo[]): string[] {
  const problems: string[] = [];
  const byName = new Map(questions.map((q) => [q.name, q]));
  for (const scale of meta.scoring?.scales ?? []) {
    for (const item of scale.items) {
      const q = byName.get(item.question);
      if (!q) {
        problems.push(`scale "${scale.id}" names question "${item.question}", which is not in survey.json`);
        continue;
      }
      if (!q.choices) {
        problems.push(`scale "${scale.id}": question "${item.question}" has no choices to score`);
        continue;
      }
      if (item.valueMap !== undefined) {
        const map = scale.valueMaps?.[item.valueMap] ?? [];
        const mapped = map.map((e) => e.value);
        for (const c of q.choices) {
          if (!mapped.includes(c)) {
            problems.push(`scale "${scale.id}": choice ${JSON.stringify(c)} of "${item.question}" has no score in value map "${item.valueMap}"`);
          }
        }
        for (const v of mapped) {
          if (!q.choices.includes(v)) {
            problems.push(`scale "${scale.id}": value map "${item.valueMap}" scores ${JSON.stringify(v)}, which "${item.question}" does not offer`);
          }
        }
      } else if (scale.answerValues) {
        const { min, max } = scale.answerValues;
        for (const c of q.choices) {
          if (typeof c !== 'number' || !Number.isInteger(c) || c < min || c > max) {
            problems.push(`scale "${scale.id}": choice ${JSON.stringify(c)} of "${item.question}" is outside answer values ${min}–${max}`);
          }
        }
        for (let v = min; v <= max; v++) {
          if (!q.choices.includes(v)) problems.push(`scale "${scale.id}": "${item.question}" does not offer answer value ${v}`);
        }
      }
    }
  }
  return problems;
}
