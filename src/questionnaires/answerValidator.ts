import { compileAnswerPlan, type AnswerPlan } from './answerPlan.js';
import { Model, Serializer, type Question } from './surveyCore.js';
import { VersionCache } from './versionCache.js';

export type AnswerError = { field: string; message: string; message_ja: string };

type Compiled = { en: Model; ja: Model; allowedKeys: Set<string>; plan: AnswerPlan | null };

/** Choice-like questions whose answers must be one of the defined values. */
const CHOICE_TYPES = new Set(['radiogroup', 'dropdown', 'checkbox', 'tagbox', 'imagepicker', 'ranking', 'rating']);

const cache = new VersionCache<Compiled>(500);

/**
 * Validates answers against the exact questionnaire version with survey-core. Models are built
 * once per version and reused: building one costs several milliseconds. Answers the version's
 * compiled plan accepts skip setting them on the model (see answerPlan.ts).
 */
export function validateAnswers(
  versionId: string,
  definition: Record<string, unknown>,
  answers: Record<string, unknown>,
  { requireComplete }: { requireComplete: boolean },
): AnswerError[] {
  if (compile(versionId, definition).plan?.accepts(answers, requireComplete)) return [];
  return surveyCoreAnswerErrors(versionId, definition, answers, { requireComplete });
}

/** The full check: answers set on the version's survey-core model, which validates each question. */
export function surveyCoreAnswerErrors(
  versionId: string,
  definition: Record<string, unknown>,
  answers: Record<string, unknown>,
  { requireComplete }: { requireComplete: boolean },
): AnswerError[] {
  const compiled = compile(versionId, definition);
  const errors: AnswerError[] = [];
  for (const key of Object.keys(answers)) {
    if (!compiled.allowedKeys.has(key)) {
      errors.push({
        field: key,
        message: `"${key}" is not a question in this questionnaire.`,
        message_ja: `「${key}」はこのアンケートの質問ではありません。`,
      });
    }
  }
  if (errors.length > 0) return errors;

  const model = compiled.en;
  model.data = answers;
  const failing: Question[] = [];
  for (const question of model.getAllQuestions(false)) {
    if (!question.isVisible || !question.isParentVisible) continue;
    const wrong = wrongValue(question);
    if (wrong) {
      errors.push(wrong);
      continue;
    }
    if (!requireComplete && question.isEmpty()) continue;
    if (!question.validate(true)) failing.push(question);
  }
  if (failing.length > 0) errors.push(...messagesFor(compiled.ja, answers, failing));
  return errors;
}

/** Checks survey-core leaves to the browser: one of the choices, how many choices, the type, the length. */
function wrongValue(question: Question): AnswerError | null {
  const value = question.value;
  if (value === undefined || value === null) return null;
  const type = question.getType();
  const field = question.getValueName();
  if (CHOICE_TYPES.has(type)) {
    const items: { value: unknown }[] = type === 'rating' ? (question as Question & { visibleRateValues: { value: unknown }[] }).visibleRateValues : question.visibleChoices;
    const allowed = new Set<unknown>(items.map((c) => c.value));
    const values = Array.isArray(value) ? value : [value];
    const multiple = type === 'checkbox' || type === 'tagbox' || type === 'ranking';
    if (multiple !== Array.isArray(value)) {
      return {
        field,
        message: multiple ? 'Expected a list of choices.' : 'Expected a single choice.',
        message_ja: multiple ? '選択肢のリストで回答してください。' : '選択肢から1つ選んでください。',
      };
    }
    const bad = values.find((v) => !allowed.has(v));
    if (bad !== undefined && !(question.hasOther && bad === question.otherItem?.value)) {
      return {
        field,
        message: `${JSON.stringify(bad)} is not one of the choices.`,
        message_ja: `${JSON.stringify(bad)} は選択肢にありません。`,
      };
    }
    const { minSelectedChoices: min, maxSelectedChoices: max } = question as Question & { minSelectedChoices?: number; maxSelectedChoices?: number };
    if (multiple && max && values.length > max) {
      return { field, message: `Choose at most ${max}.`, message_ja: `${max}つまで選んでください。` };
    }
    if (multiple && min && values.length > 0 && values.length < min) {
      return { field, message: `Choose at least ${min}.`, message_ja: `${min}つ以上選んでください。` };
    }
  }
  // The page's maxlength only binds browsers; a crafted request must not store more.
  const maxLength = (question as Question & { getMaxLength?: () => number | null }).getMaxLength?.() ?? null;
  if (maxLength && typeof value === 'string' && value.length > maxLength) {
    return { field, message: `At most ${maxLength} characters.`, message_ja: `${maxLength}文字以内で入力してください。` };
  }
  if (type === 'text' && question.inputType === 'number' && typeof value !== 'number') {
    return { field, message: 'Expected a number.', message_ja: '数値で回答してください。' };
  }
  if ((type === 'text' || type === 'comment') && typeof value !== 'string' && typeof value !== 'number') {
    return { field, message: 'Expected text.', message_ja: '文字で回答してください。' };
  }
  if (type === 'boolean' && typeof value !== 'boolean') {
    return { field, message: 'Expected true or false.', message_ja: '「はい」か「いいえ」で回答してください。' };
  }
  return null;
}

/** Re-validates the failing questions in Japanese so participants get both languages. */
function messagesFor(ja: Model, answers: Record<string, unknown>, failing: Question[]): AnswerError[] {
  ja.data = answers;
  return failing.map((question) => {
    const field = question.getValueName();
    const jaQuestion = ja.getQuestionByValueName(field) as Question;
    jaQuestion.validate(true);
    return {
      field,
      message: question.errors.map((e) => e.getText()).join(' '),
      message_ja: jaQuestion.errors.map((e) => e.getText()).join(' '),
    };
  });
}

function compile(versionId: string, definition: Record<string, unknown>): Compiled {
  const hit = cache.get(versionId);
  if (hit) return hit;
  const en = new Model(definition);
  en.locale = 'en';
  const ja = new Model(definition);
  ja.locale = 'ja';
  const allowedKeys = new Set<string>();
  for (const q of en.getAllQuestions(false)) {
    allowedKeys.add(q.getValueName());
    // SurveyJS stores "other" text and comments beside the answer under "<name>-Comment".
    allowedKeys.add(`${q.getValueName()}-Comment`);
  }
  return cache.set(versionId, { en, ja, allowedKeys, plan: compileAnswerPlan(definition, en) });
}

/** Answers without those to questions a condition hides, as SurveyJS leaves them out on completion. */
export function visibleAnswers(versionId: string, definition: Record<string, unknown>, answers: Record<string, unknown>) {
  const { en: model, plan } = compile(versionId, definition);
  // A plan exists only for questionnaires without conditions, so nothing is hidden by one.
  if (plan) return answers;
  model.data = answers;
  const kept = { ...answers };
  for (const q of model.getAllQuestions(false)) {
    if (!q.isVisible || !q.isParentVisible) {
      delete kept[q.getValueName()];
      delete kept[`${q.getValueName()}-Comment`];
    }
  }
  return kept;
}

/** Checks a questionnaire definition loads in survey-core; returns readable problems. */
export function definitionProblems(definition: unknown): string[] {
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    return ['The questionnaire must be a SurveyJS JSON object.'];
  }
  const problems = elementProblems(definition as Record<string, unknown>);
  let model: Model;
  try {
    model = new Model(definition);
  } catch (error) {
    return [...problems, `survey-core could not read the questionnaire: ${(error as Error).message}`];
  }
  for (const e of model.jsonErrors ?? []) {
    const message = String((e as { message?: string }).message ?? e);
    // An unknown element type is already reported above with its place; survey-core's message for it is vague.
    if (!problems.length || !/property type is incorrect/.test(message)) problems.push(message);
  }
  const names = new Map<string, number>();
  for (const q of model.getAllQuestions(false)) names.set(q.name, (names.get(q.name) ?? 0) + 1);
  for (const [name, count] of names) if (count > 1) problems.push(`Question name "${name}" is used ${count} times.`);
  if (names.size === 0) problems.push('The questionnaire has no questions.');
  return problems;
}

/** Names the page and element of problems survey-core reports vaguely (unknown types, missing names). */
function elementProblems(definition: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const walk = (elements: unknown, where: string) => {
    if (elements === undefined) return;
    if (!Array.isArray(elements)) {
      problems.push(`${where}: "elements" must be a list.`);
      return;
    }
    elements.forEach((element, k) => {
      const place = `${where}, element ${k + 1}`;
      if (!element || typeof element !== 'object' || Array.isArray(element)) {
        problems.push(`${place}: must be an object with "type" and "name".`);
        return;
      }
      const e = element as Record<string, unknown>;
      const label = typeof e.name === 'string' && e.name ? `${place} ("${e.name}")` : place;
      if (typeof e.type !== 'string' || !e.type) problems.push(`${label}: "type" is missing.`);
      else if (!Serializer.findClass(e.type)) problems.push(`${label}: unknown question type "${e.type}".`);
      if (e.type !== 'html' && e.type !== 'image' && (typeof e.name !== 'string' || !e.name)) problems.push(`${label}: "name" is missing.`);
      if (e.type === 'panel' || e.type === 'paneldynamic') walk(e.elements ?? e.templateElements, label);
    });
  };
  if (Array.isArray(definition.pages)) {
    definition.pages.forEach((page, i) => {
      const p = (page ?? {}) as Record<string, unknown>;
      walk(p.elements, `Page ${i + 1}${typeof p.name === 'string' ? ` ("${p.name}")` : ''}`);
    });
  }
  walk(definition.elements, 'Survey');
  return problems;
}
