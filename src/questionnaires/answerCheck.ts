import type { Model, Question } from './surveyCore.js';
import { freshModel, quietly } from './surveyCore.js';
import { answersOf, computedValue } from './answerShape.js';

/** `field` is the question (its value name) the participant sees; `path` the value inside it, when nested. */
export type AnswerError = { field: string; path?: string; message: string; message_ja: string };
export type Verdict = { answers: Record<string, unknown>; errors: [] } | { answers?: undefined; errors: AnswerError[] };

/**
 * The reference check of one submission, and the contract every path keeps (open link,
 * invitation, no-JavaScript form post, staff entry, staff preview):
 *
 * A submission is accepted iff a fresh survey-core model with the same definition and data
 * accepts it — on its visible pages, with conditions evaluated — and every value to be stored has
 * exactly the shape its question defines (answerShape.ts). Answers to questions hidden by the data
 * are dropped; values survey-core computes (expressions, calculated values in the result) are
 * taken from survey-core. What is stored is that cleaned set.
 *
 * The model is built for this submission alone and thrown away, so no submission can change how a
 * later one is judged. A partial save is judged on the questions it answers.
 */
export function judgeWithSurveyCore(
  definition: Record<string, unknown>,
  answers: Record<string, unknown>,
  { requireComplete }: { requireComplete: boolean },
): Verdict {
  try {
    return quietly(() => judge(definition, answers, requireComplete));
  } catch {
    // survey-core throws on some values no browser sends (a null inside a list of choices): refuse them.
    return { errors: [{ field: '', message: 'The answers could not be read: check the type of each answer.', message_ja: '回答を読み取れませんでした。各回答の形式を確認してください。' }] };
  }
}

function judge(definition: Record<string, unknown>, answers: Record<string, unknown>, requireComplete: boolean): Verdict {
  const model = freshModel(definition);
  // One question per page only changes how the browser walks the questions; all must be judged.
  model.questionsOnPageMode = 'standard';
  model.data = structuredClone(answers);
  const results = resultValues(model);
  const shaped = answersOf(model.getAllQuestions(false), answers, '', new Set(Object.keys(results)));
  if ('problem' in shaped) {
    const { path, field = path, message, message_ja } = shaped.problem;
    return { errors: [{ field, ...(path !== field ? { path } : {}), message, message_ja }] };
  }
  const failing = surveyCoreFailures(model, requireComplete);
  if (failing.length > 0) return { errors: messages(failing, englishFailures(definition, answers, requireComplete)) };
  return { answers: recomputed(model, shaped.value as Record<string, unknown>, Object.keys(answers).filter((name) => name in results)), errors: [] };
}

/**
 * Values survey-core computes, worked out again from the cleaned answers, as a browser does on
 * completion after it clears the answers of hidden questions.
 */
function recomputed(model: Model, cleaned: Record<string, unknown>, calculated: string[]): Record<string, unknown> {
  const expressions = model.getAllQuestions(false).filter((q) => q.getType() === 'expression' && q.getValueName() in cleaned).map((q) => q.getValueName());
  if (expressions.length === 0 && calculated.length === 0) return cleaned;
  const given = Object.fromEntries(Object.entries(cleaned).filter(([name]) => !expressions.includes(name)));
  model.data = structuredClone(given);
  const computed: Record<string, unknown> = { ...cleaned };
  for (const name of expressions) computed[name] = computedValue(model.getValue(name));
  const values = resultValues(model);
  for (const name of calculated) computed[name] = computedValue(values[name]);
  return Object.fromEntries(Object.entries(computed).filter(([, value]) => value !== undefined));
}

/** Calculated values that SurveyJS writes into the result: the browser sends them, survey-core decides them. */
function resultValues(model: Model): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const calculated of model.calculatedValues as { name: string; includeIntoResult: boolean; value: unknown }[]) {
    if (calculated.includeIntoResult) out[calculated.name] = calculated.value;
  }
  return out;
}

type Failing = { element: { errors: { getText(): string }[] }; field: string };

/** survey-core's own validation: required answers, validators, conditions on visible pages. */
function surveyCoreFailures(model: Model, requireComplete: boolean): Failing[] {
  if (requireComplete) {
    model.validate(true, false);
  } else {
    for (const question of model.getAllQuestions(true)) if (!question.isEmpty() && question.isParentVisible) question.validate(true);
  }
  const failing: Failing[] = [];
  const add = (element: Failing['element'], field: string) => {
    if (element.errors.length > 0) failing.push({ element, field });
  };
  for (const question of model.getAllQuestions(false, false, true) as Question[]) add(question, fieldOf(question));
  for (const panel of model.getAllPanels(false)) add(panel as unknown as Failing['element'], (panel as { name: string }).name);
  return failing;
}

/** Errors inside a matrix or dynamic panel are reported on the question the participant sees. */
function fieldOf(question: Question): string {
  let top = question;
  while (top.parentQuestion) top = top.parentQuestion;
  return top.getValueName();
}

/**
 * The same judgement in English. Some of survey-core's messages are fixed in the locale they were
 * made in, so English needs a model of its own; only refused submissions pay for it.
 */
function englishFailures(definition: Record<string, unknown>, answers: Record<string, unknown>, requireComplete: boolean): Failing[] {
  const model = freshModel(definition, 'en');
  model.questionsOnPageMode = 'standard';
  model.data = structuredClone(answers);
  return surveyCoreFailures(model, requireComplete);
}

/** The failing elements' messages in Japanese and English, one error per question. */
function messages(ja: Failing[], en: Failing[]): AnswerError[] {
  // A validator without its own text (a regex, say) has none in survey-core either.
  const text = (failing: Failing | undefined, fallback: string) => failing?.element.errors.map((e) => e.getText() || fallback).join(' ') || fallback;
  const byField = new Map<string, AnswerError>();
  ja.forEach((failing, i) => {
    const message_ja = text(failing, '回答の形式が正しくありません。');
    const message = text(en[i], 'The answer is not in the expected form.');
    const known = byField.get(failing.field);
    if (known) {
      known.message = `${known.message} ${message}`;
      known.message_ja = `${known.message_ja} ${message_ja}`;
    } else byField.set(failing.field, { field: failing.field, message, message_ja });
  });
  return [...byField.values()];
}
