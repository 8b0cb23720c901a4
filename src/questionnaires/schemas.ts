import { z } from 'zod';

const simpleQuestionSchema = z
  .object({
    kind: z.enum(['single', 'multiple', 'text', 'number']),
    title: z.string().trim().min(1).max(1000),
    titleEn: z.string().trim().max(1000).optional(),
    choices: z.array(z.string().trim().min(1).max(300)).max(50).optional(),
    required: z.boolean().optional(),
  })
  .strict()
  .refine((q) => (q.kind !== 'single' && q.kind !== 'multiple') || (q.choices?.length ?? 0) >= 2, {
    message: 'Single and multiple choice questions need at least two choices.',
    path: ['choices'],
  });

/** What a questionnaire (or a new version of one) can be built from: templates and own questions, or JSON. */
const buildFields = {
  introduction: z.string().max(5000).optional(),
  organisationName: z.string().max(200).optional(),
  languages: z.array(z.enum(['ja', 'en'])).min(1).max(2).optional(),
  templateId: z.string().max(100).optional(),
  templateIds: z.array(z.string().max(100)).max(20).optional().describe('Composed in this order'),
  ownQuestions: z.array(z.record(z.string(), z.unknown())).max(200).optional().describe("Raw SurveyJS elements, added on the questionnaire's own page"),
  simpleQuestions: z.array(simpleQuestionSchema).max(100).optional().describe('Questions written without JSON (single/multiple choice, free text, number)'),
  definition: z.record(z.string(), z.unknown()).optional().describe('Advanced: a complete SurveyJS JSON definition instead of templates'),
};
export type BuildInput = z.infer<z.ZodObject<typeof buildFields>> & { title?: string };

export const hasContent = (v: BuildInput) => Boolean(v.definition || v.templateId || v.templateIds?.length || v.ownQuestions?.length || v.simpleQuestions?.length);

export const newQuestionnaireSchema = z
  .object({
    title: z.string().trim().min(1).max(200).describe('The title participants see (definition.title)'),
    name: z.string().trim().min(1).max(200).optional().describe('The internal name staff see in lists (default: the title)'),
    ...buildFields,
  })
  .strict()
  .refine(hasContent, { message: 'Give templateId, templateIds, own questions or a definition.' });

/** A new version or a replaced draft: all optional (a new version without content copies the latest). */
export const questionnaireEditSchema = z.object({ title: z.string().trim().min(1).max(200).optional(), ...buildFields }).strict();

export const saveTemplateSchema = z
  .object({
    questionnaireId: z.uuid(),
    version: z.number().int().positive().optional().describe('Default: the latest published version, else the draft'),
    title: z.string().trim().min(1).max(200).optional(),
    summary: z.string().trim().max(2000).optional(),
    kind: z.enum(['instrument', 'programme', 'block']).optional(),
  })
  .strict();

export const definitionCheckSchema = z.object({ definition: z.unknown() }).strict();

export const definitionReviewSchema = z.object({
  valid: z.boolean(),
  problems: z.array(z.string()),
  problems_ja: z.array(z.string()),
  warnings: z.array(z.string()),
});

const time = z.string().describe('ISO time');
const localised = z.object({ ja: z.string(), en: z.string() });

export const listedTemplateSchema = z.object({
  id: z.string(),
  kind: z.enum(['instrument', 'programme', 'block']),
  title: localised,
  summary: localised,
  languages: z.array(z.string()),
  variant: z.string(),
  questionCount: z.number().int(),
  scales: z.array(z.string()).describe('Scales the template can score'),
  source: z.enum(['builtin', 'organisation']),
  createdAt: time.optional(),
});

export const templateSchema = z.object({
  meta: z.record(z.string(), z.unknown()).describe('Template metadata, with scoring for instruments'),
  survey: z.record(z.string(), z.unknown()).describe('SurveyJS JSON'),
  scoring: z.array(z.unknown()).optional(),
  source: z.enum(['builtin', 'organisation']),
  sourceVersionId: z.uuid().nullable().optional(),
});

const versionSummary = z.object({ id: z.uuid(), version: z.number().int(), status: z.enum(['draft', 'published']), publishedAt: time.nullable() });

export const versionSchema = versionSummary.extend({
  organisationId: z.uuid(),
  questionnaireId: z.uuid(),
  definition: z.record(z.string(), z.unknown()).describe('SurveyJS JSON'),
  scoring: z.array(z.unknown()),
  createdAt: time,
});

export const editedVersionSchema = versionSchema.extend({ warnings: z.array(z.string()) });
export const publishedSchema = versionSummary.extend({ warnings: z.array(z.string()) });

const questionnaire = z.object({ id: z.uuid(), organisationId: z.uuid(), title: z.string(), templateIds: z.array(z.string()), createdAt: time });
export const questionnaireListSchema = z.object({ questionnaires: z.array(questionnaire) });
export const newQuestionnaireResultSchema = questionnaire.extend({ versions: z.array(versionSummary) });
export const questionnaireWithVersionsSchema = questionnaire.extend({ versions: z.array(versionSchema) });
