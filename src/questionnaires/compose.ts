import { getTemplate } from './templateLibrary.js';

type Localised = string | Record<string, string>;
type SurveyJson = Record<string, unknown> & { pages?: Record<string, unknown>[] };

/** A block to compose from: a built-in template or an organisation's own template, already loaded. */
export type ComposeBlock = { id: string; survey: Record<string, unknown>; scales: unknown[] };

/** A question written in the staff pages without JSON. */
export type SimpleQuestion = {
  kind: 'single' | 'multiple' | 'text' | 'number';
  title: string;
  titleEn?: string;
  /** Choice labels for single and multiple choice; stored with the codes 1, 2, 3… */
  choices?: string[];
  required?: boolean;
};

export type ComposeInput = {
  title: string;
  introduction?: string;
  organisationName?: string;
  /** Languages offered to participants; Japanese is always first. */
  languages?: ('ja' | 'en')[];
  templateIds: string[];
  /** Already loaded blocks (e.g. organisation templates); ids not found here come from the built-in library. */
  blocks?: ComposeBlock[];
  /** Raw SurveyJS elements, appended on the questionnaire's own page. */
  ownQuestions?: Record<string, unknown>[];
  simpleQuestions?: SimpleQuestion[];
};

function builtinBlock(templateId: string): ComposeBlock {
  const template = getTemplate(templateId);
  const scales = (template.meta as { scoring?: { scales?: unknown[] } }).scoring?.scales ?? [];
  return { id: templateId, survey: template.survey, scales };
}

/** SurveyJS elements for questions written without JSON; names own_q1, own_q2… */
export function simpleQuestionElements(questions: SimpleQuestion[]): Record<string, unknown>[] {
  return questions.map((q, k) => {
    const title: Localised = q.titleEn?.trim() ? { default: q.title, en: q.titleEn.trim() } : q.title;
    const base = { name: `own_q${k + 1}`, title, ...(q.required ? { isRequired: true } : {}) };
    const choices = (q.choices ?? []).map((text, i) => ({ value: i + 1, text }));
    switch (q.kind) {
      case 'single':
        return { type: 'radiogroup', ...base, choices };
      case 'multiple':
        return { type: 'checkbox', ...base, choices };
      case 'number':
        return { type: 'text', inputType: 'number', ...base };
      default:
        return { type: 'comment', ...base, maxLength: 2000 };
    }
  });
}

/** Builds one questionnaire from template blocks, keeping each block on its own page(s). */
export function composeQuestionnaire(input: ComposeInput): { definition: SurveyJson; scoring: unknown[] } {
  const pages: Record<string, unknown>[] = [];
  const scoring: unknown[] = [];
  for (const templateId of input.templateIds) {
    const block = input.blocks?.find((b) => b.id === templateId) ?? builtinBlock(templateId);
    const survey = structuredClone(block.survey) as SurveyJson;
    const prefix = templateId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40);
    for (const page of survey.pages ?? []) {
      pages.push({ ...page, name: `${prefix}__${String(page.name ?? pages.length + 1)}`, title: page.title ?? survey.title });
    }
    scoring.push(...structuredClone(block.scales));
  }
  const own = [...(input.ownQuestions ?? []), ...simpleQuestionElements(input.simpleQuestions ?? [])];
  if (own.length) pages.push({ name: 'own_questions', elements: own });
  const description: Localised | undefined = input.introduction?.trim() || undefined;
  const languages = input.languages?.length ? ['ja', ...input.languages.filter((l) => l !== 'ja')] : undefined;
  return {
    definition: {
      title: input.title,
      ...(description ? { description } : {}),
      ...(input.organisationName?.trim() ? { organisationName: input.organisationName.trim() } : {}),
      ...(languages ? { languages } : {}),
      showQuestionNumbers: 'on',
      pages,
    },
    scoring,
  };
}

/** Question names (value names) in a SurveyJS definition, panels included. */
export function questionNames(definition: Record<string, unknown>): Set<string> {
  const names = new Set<string>();
  const walk = (elements: unknown) => {
    for (const e of (Array.isArray(elements) ? elements : []) as Record<string, unknown>[]) {
      if (!e || typeof e !== 'object') continue;
      if (typeof e.name === 'string') names.add(typeof e.valueName === 'string' ? e.valueName : e.name);
      walk(e.elements);
    }
  };
  for (const page of (Array.isArray(definition.pages) ? definition.pages : []) as Record<string, unknown>[]) walk(page?.elements);
  walk(definition.elements);
  return names;
}

/**
 * Scoring metadata that still fits an edited definition: scales whose items all exist are kept,
 * the others are dropped (and named) so no score is computed from questions that are gone.
 */
export function scoringFor(definition: Record<string, unknown>, scales: unknown[]): { scoring: unknown[]; dropped: string[] } {
  const names = questionNames(definition);
  const scoring: unknown[] = [];
  const dropped: string[] = [];
  for (const scale of scales) {
    const s = scale as { id?: string; items?: { question?: string }[] };
    const items = Array.isArray(s.items) ? s.items : [];
    if (items.every((i) => typeof i?.question === 'string' && names.has(i.question))) scoring.push(scale);
    else dropped.push(String(s.id ?? '?'));
  }
  return { scoring, dropped };
}
