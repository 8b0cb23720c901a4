import { getTemplate } from './templateLibrary.js';

type Localised = string | Record<string, string>;
type SurveyJson = Record<string, unknown> & { pages?: Record<string, unknown>[] };

export type ComposeInput = {
  title: string;
  introduction?: string;
  organisationName?: string;
  templateIds: string[];
  ownQuestions?: Record<string, unknown>[];
};

/** Builds one questionnaire from template blocks, keeping each block on its own page(s). */
export function composeQuestionnaire(input: ComposeInput): { definition: SurveyJson; scoring: unknown[] } {
  const pages: Record<string, unknown>[] = [];
  const scoring: unknown[] = [];
  for (const templateId of input.templateIds) {
    const template = getTemplate(templateId);
    const survey = structuredClone(template.survey) as SurveyJson;
    for (const page of survey.pages ?? []) {
      pages.push({ ...page, name: `${templateId}__${String(page.name ?? pages.length + 1)}`, title: page.title ?? survey.title });
    }
    const scales = (template.meta as { scoring?: { scales?: unknown[] } }).scoring?.scales ?? [];
    scoring.push(...scales);
  }
  if (input.ownQuestions?.length) pages.push({ name: 'own_questions', elements: input.ownQuestions });
  const description: Localised | undefined = input.introduction;
  return {
    definition: {
      title: input.title,
      ...(description ? { description } : {}),
      ...(input.organisationName ? { organisationName: input.organisationName } : {}),
      showQuestionNumbers: 'on',
      pages,
    },
    scoring,
  };
}
