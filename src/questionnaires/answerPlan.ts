import type { Model, Question } from './surveyCore.js';

/**
 * A quick check that answers are valid, compiled once per questionnaire version from its survey-core
 * model. Setting answers on a survey-core model and validating costs about 100 µs for three
 * questions (its change notifications are built for a live page); this plan costs about 1 µs.
 *
 * The plan may only say "valid" where survey-core would: whenever it is unsure (an empty string, a
 * comment key, anything unusual) it says "not sure" and the caller asks survey-core, which also
 * writes the error messages. Questionnaires with features it does not model (conditions,
 * validators, "other" items, …) get no plan at all. tests/unit/answerPlan.test.ts checks this
 * agreement with fast-check on every template.
 */
export type AnswerPlan = { accepts(answers: Record<string, unknown>, requireComplete: boolean): boolean };

type Check = (value: unknown) => boolean;
type PlannedQuestion = { name: string; required: boolean; check: Check };

const SINGLE_CHOICE = new Set(['radiogroup', 'dropdown']);
const MULTIPLE_CHOICE = new Set(['checkbox', 'tagbox']);

/** Keys of SurveyJS JSON that make answers depend on more than their own question. */
const DYNAMIC_KEY = /If$|Expression$|^(validators|triggers|calculatedValues|choicesByUrl|choicesFromQuestion|valuePropertyName)$/;

export function compileAnswerPlan(definition: Record<string, unknown>, model: Model): AnswerPlan | null {
  if (hasDynamicKey(definition)) return null;
  const planned: PlannedQuestion[] = [];
  for (const question of model.getAllQuestions(false)) {
    const check = checkFor(question);
    if (!check) return null;
    planned.push({ name: question.getValueName(), required: question.isRequired, check });
  }
  // Questions sharing one answer (valueName) would let the key count below miss an extra key.
  if (new Set(planned.map((q) => q.name)).size !== planned.length) return null;
  return {
    accepts(answers, requireComplete) {
      let known = 0;
      for (const { name, required, check } of planned) {
        const value = answers[name];
        if (value === undefined) {
          if (required && requireComplete) return false;
          continue;
        }
        known++;
        if (!check(value)) return false;
      }
      // Any other key (e.g. "<name>-Comment") is for survey-core to judge.
      return known === Object.keys(answers).length;
    },
  };
}

function checkFor(question: Question): Check | null {
  const q = question as Question & Record<string, any>;
  if (!q.isVisible || q.showOtherItem || q.showNoneItem || q.showSelectAllItem || q.showCommentArea) return null;
  const type = q.getType();
  if (SINGLE_CHOICE.has(type) || MULTIPLE_CHOICE.has(type)) {
    if (q.minSelectedChoices || q.maxSelectedChoices) return null;
    const allowed = new Set<unknown>(q.visibleChoices.map((c: { value: unknown }) => c.value));
    if (SINGLE_CHOICE.has(type)) return (v) => allowed.has(v) && isFilled(v);
    return (v) => Array.isArray(v) && v.length > 0 && v.every((x) => allowed.has(x) && isFilled(x)) && new Set(v).size === v.length;
  }
  if (type === 'rating') {
    const allowed = new Set<unknown>(q.visibleRateValues.map((c: { value: unknown }) => c.value));
    return (v) => allowed.has(v) && isFilled(v);
  }
  if (type === 'boolean') {
    if (q.valueTrue !== undefined || q.valueFalse !== undefined) return null;
    return (v) => typeof v === 'boolean';
  }
  if (type === 'comment' || (type === 'text' && (q.inputType ?? 'text') === 'text')) {
    const maxLength: number = q.getMaxLength() ?? Infinity;
    return (v) => typeof v === 'string' && v.trim() !== '' && v.length <= maxLength;
  }
  if (type === 'text' && q.inputType === 'number' && q.min === undefined && q.max === undefined) {
    return (v) => typeof v === 'number' && Number.isFinite(v);
  }
  return null;
}

/** Empty strings are "no answer" to survey-core; leave them to it. */
function isFilled(value: unknown) {
  return value !== '' && value !== null;
}

function hasDynamicKey(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasDynamicKey);
  if (node === null || typeof node !== 'object') return false;
  return Object.entries(node).some(([key, value]) => DYNAMIC_KEY.test(key) || hasDynamicKey(value));
}
