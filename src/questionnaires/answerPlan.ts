import { ConditionRunner, EmailValidator, Helpers } from 'survey-core';
import { commentSuffix, shapeComment, shapeRule, takesComment, type ShapeRule } from './answerShape.js';
import type { Model, Question } from './surveyCore.js';

/**
 * The quick path of the answer check, compiled once per questionnaire version. Building a
 * survey-core model costs 2–12 ms, too much for every submission; the plan judges the same
 * answers in microseconds from what it read off one model that is never given any answers:
 * conditions (visibleIf, requiredIf) run with survey-core's ConditionRunner on the submitted data
 * as survey-core runs them, values are judged by the same shape rules, hidden answers dropped.
 *
 * The plan only ever accepts. Whenever an answer is not plainly valid, or the questionnaire uses
 * something the plan does not model, it says "not sure" and the caller asks a fresh survey-core
 * model, which also writes the messages. tests/unit/answerCheckDifferential.test.ts checks that
 * both give the same verdict and the same stored answers.
 */
export type AnswerPlan = {
  /** The answers to store, or undefined when survey-core must judge. */
  accepts(answers: Record<string, unknown>, requireComplete: boolean): Record<string, unknown> | undefined;
};

type Condition = (values: Record<string, unknown>) => boolean;
type Planned = {
  question: Question;
  shape: ShapeRule;
  visible: Condition;
  required: Condition;
  /** "Other" chosen needs its text (survey-core reports an empty one even on partial saves). */
  otherValue?: unknown;
  allRows?: string[];
  /** survey-core asks these for an answer on completion even when not required (a minimum of choices, every row). */
  demandsAnswer: boolean;
  /** Checks survey-core runs on a non-empty answer: validators, a number's range. */
  valid?: (value: unknown) => boolean;
};

/** Validators that judge the answer alone (an expression validator reads the whole survey). */
const VALIDATORS = new Set(['regexvalidator', 'numericvalidator', 'textvalidator', 'emailvalidator', 'answercountvalidator']);
type Validator = { getType(): string; validate(value: unknown, name?: string, properties?: unknown): { error?: unknown } | null };

const INPUT_TYPES = new Set(['text', 'number', 'tel', 'url', 'password', 'email']);
const TYPES = new Set(['radiogroup', 'dropdown', 'checkbox', 'tagbox', 'rating', 'boolean', 'comment', 'text', 'matrix', 'html', 'image']);
/** Element keys the plan models; every other key ending in If or Expression (and these) send the questionnaire to survey-core. */
const CONDITIONS = new Set(['visibleIf', 'requiredIf']);
const UNMODELLED = /^(triggers|calculatedValues|choicesByUrl|choicesFromQuestion|valuePropertyName|readOnly|isExclusive|minValueExpression|maxValueExpression|cellType|eachRowUnique|isCommentRequired|allowSpaceAsAnswer|hideIfChoicesEmpty|hideIfRowsEmpty|clearInvisibleValues|mask.*|templateElements|detailElements)$/;
/** Functions in conditions that read only their arguments (others read the survey). */
const PURE_FUNCTIONS = new Set(['sum', 'min', 'max', 'count', 'avg', 'round', 'trunc', 'iif', 'getDate', 'age', 'dateDiff', 'dateAdd', 'currentDate', 'today', 'getYear', 'currentYear', 'diffDays', 'year', 'month', 'day', 'weekday', 'substring']);

/** Variables survey-core answers itself in conditions, whatever the answers say. */
const RESERVED = ['pagecount', 'pageno', 'locale', 'correctanswers', 'incorrectanswers', 'questioncount'];

const ALWAYS: Condition = () => true;
const NEVER: Condition = () => false;

export function compileAnswerPlan(definition: Record<string, unknown>, model: Model): AnswerPlan | null {
  if (!staticDefinition(definition)) return null;
  if (model.getAllPanels(false).some((panel) => (panel as { isRequired?: boolean }).isRequired)) return null;
  const names = new Set<string>();
  const planned = new Map<string, Planned>();
  const commentOf = new Map<string, Planned>();
  const questions = model.getAllQuestions(false) as (Question & Record<string, any>)[];
  for (const q of questions) names.add(q.name);
  // survey-core finds variables ignoring case, and reads some names as its own values.
  const lowered = new Set([...names].map((name) => name.toLowerCase()));
  if (lowered.size !== names.size || RESERVED.some((name) => lowered.has(name))) return null;
  for (const q of questions) {
    const type = q.getType();
    if (!TYPES.has(type)) return null;
    if (type === 'html' || type === 'image') continue;
    if (q.name !== q.getValueName() || planned.has(q.name)) return null;
    // Date inputs have survey-core's own date checks, a number's step its rounding: left to it.
    if (type === 'text' && (!INPUT_TYPES.has(q.inputType ?? 'text') || Helpers.isNumber(q.renderedStep))) return null;
    if (q.hasOther && !q.getStoreOthersAsComment()) return null;
    const visible = visibility(q, names);
    const required = q.requiredIf ? condition(q.requiredIf, names) : q.isRequired ? ALWAYS : NEVER;
    if (!visible || !required) return null;
    const valid = answerChecks(q);
    if (valid === null) return null;
    const entry: Planned = { question: q, shape: shapeRule(q), visible, required, valid, demandsAnswer: Boolean(q.minSelectedChoices) };
    if (q.hasOther) entry.otherValue = q.otherItem.value;
    if (type === 'matrix' && (q.isAllRowRequired || q.eachRowRequired)) {
      entry.allRows = q.visibleRows.map((r: { name: string }) => String(r.name));
      entry.demandsAnswer = true;
    }
    planned.set(q.name, entry);
    if (takesComment(q)) commentOf.set(q.name + commentSuffix(), entry);
  }

  function judge(answers: Record<string, unknown>, requireComplete: boolean) {
    const kept: [string, unknown][] = [];
    for (const [key, value] of Object.entries(answers)) {
      const own = planned.get(key);
      const commented = own ? undefined : commentOf.get(key);
      const entry = own ?? commented;
      if (!entry) return undefined;
      // An empty value sent as such ('', spaces, [], {}, null): survey-core reads it differently by
      // question type (a checkbox takes {} as an answer, an e-mail input checks spaces), so it decides.
      if (value !== undefined && isEmptyAnswer(value)) return undefined;
      // Hidden answers are dropped, but still steer conditions: judge them too, so nothing odd reaches one.
      const shaped = own ? entry.shape(value, key) : shapeComment(entry.question, answers[entry.question.name], value, key);
      if ('problem' in shaped) return undefined;
      if (shaped.value !== undefined && entry.visible(answers)) kept.push([key, shaped.value]);
    }
    for (const entry of planned.values()) {
      if (!entry.visible(answers)) continue;
      const value = answers[entry.question.name];
      if (isEmptyAnswer(value)) {
        if (requireComplete && (entry.demandsAnswer || entry.required(answers))) return undefined;
        continue;
      }
      if (entry.otherValue !== undefined && chose(value, entry.otherValue) && isEmptyAnswer(answers[entry.question.name + commentSuffix()])) return undefined;
      if (entry.allRows && entry.allRows.some((row) => isEmptyAnswer((value as Record<string, unknown>)[row]))) return undefined;
      if (entry.valid && !entry.valid(value)) return undefined;
    }
    return Object.fromEntries(kept);
  }

  return {
    accepts(answers, requireComplete) {
      try {
        return judge(answers, requireComplete);
      } catch {
        // survey-core's comparisons throw on values no browser sends (lists nested thousands deep).
        return undefined;
      }
    },
  };
}

/** Validators and a number's min/max as one check; null when survey-core must run them. */
function answerChecks(q: Question & Record<string, any>): ((value: unknown) => boolean) | undefined | null {
  const validators = [...(q.getValidators() as Validator[])];
  if (validators.some((v) => !VALIDATORS.has(v.getType()))) return null;
  // survey-core checks an e-mail input's address itself when no e-mail validator is given.
  if (q.inputType === 'email' && !validators.some((v) => v.getType() === 'emailvalidator')) validators.push(new EmailValidator() as unknown as Validator);
  const range = [q.min, q.max].filter((limit) => limit !== undefined && limit !== null && limit !== '');
  if (range.length && (q.inputType !== 'number' || range.some((limit) => typeof limit !== 'number'))) return null;
  if (!validators.length && !range.length) return undefined;
  const min = typeof q.min === 'number' ? q.min : -Infinity;
  const max = typeof q.max === 'number' ? q.max : Infinity;
  return (value) =>
    (typeof value !== 'number' || (value >= min && value <= max)) && validators.every((v) => !v.validate(value, q.name)?.error);
}

const chose = (value: unknown, choice: unknown) => (Array.isArray(value) ? value.includes(choice) : value === choice);

/** survey-core's "no answer": empty, or only spaces. */
function isEmptyAnswer(value: unknown): boolean {
  return Helpers.isValueEmpty(typeof value === 'string' ? value.trim() : value);
}

/**
 * Visible when the element, its panels and its page are. A condition decides by the data (it also
 * sets `visible`, so `visible` is read only where there is none); `visible: false` hides for good.
 */
function visibility(question: Question, names: Set<string>): Condition | null {
  const checks: Condition[] = [];
  for (let element: any = question; element; element = element.parent) {
    if (element.visibleIf) {
      const check = condition(element.visibleIf, names);
      if (!check) return null;
      checks.push(check);
    } else if (element.visible === false) return NEVER;
  }
  return checks.length === 0 ? ALWAYS : (values) => checks.every((check) => check(values));
}

/** A condition on plain answers only (no panel, row or calculated variables, no functions that read the survey). */
function condition(expression: string, names: Set<string>): Condition | null {
  const runner = new ConditionRunner(expression);
  if (!runner.canRun() || runner.isAsync) return null;
  if (!runner.getVariables().every((variable: string) => names.has(variable))) return null;
  for (const [, fn] of expression.matchAll(/([A-Za-z_]\w*)\s*\(/g)) if (!PURE_FUNCTIONS.has(fn)) return null;
  return (values) => runner.runValues(values, {}) === true;
}

/** True when no element, choice, row or column uses something the plan does not model. */
function staticDefinition(node: unknown, inChoices = false): boolean {
  if (Array.isArray(node)) return node.every((child) => staticDefinition(child, inChoices));
  if (node === null || typeof node !== 'object') return true;
  return Object.entries(node).every(([key, value]) => {
    if (UNMODELLED.test(key)) return false;
    if (/(If|Expression)$/.test(key) && (inChoices || !CONDITIONS.has(key))) return false;
    return staticDefinition(value, inChoices || ['choices', 'rows', 'columns', 'rateValues'].includes(key));
  });
}
