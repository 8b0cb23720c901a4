import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileAnswerPlan } from '../../src/questionnaires/answerPlan.js';
import { judgeWithSurveyCore } from '../../src/questionnaires/answerCheck.js';
import { checkAnswers } from '../../src/questionnaires/answerValidator.js';
import { Model, type Question } from '../../src/questionnaires/surveyCore.js';
import { loadTemplateLibrary } from '../../src/questionnaires/templateLibrary.js';

/** Question types and settings the plan models, beyond what the templates use. */
const MIXED = {
  maxTextLength: 12,
  pages: [
    {
      name: 'p1',
      elements: [
        { type: 'dropdown', name: 'd', choices: ['a', 'b', 'c'], isRequired: true },
        { type: 'tagbox', name: 't', choices: [1, 2, 3] },
        { type: 'checkbox', name: 'c', choices: [{ value: 'x', text: 'X' }, 'y'], isRequired: true },
        { type: 'rating', name: 'r', rateMin: 0, rateMax: 10 },
        { type: 'boolean', name: 'b', isRequired: true },
        { type: 'text', name: 'n', inputType: 'number' },
        { type: 'text', name: 's', isRequired: true },
        { type: 'comment', name: 'm', maxLength: 15 },
        { type: 'panel', name: 'panel', elements: [{ type: 'radiogroup', name: 'g', choices: [1, 2], isRequired: true }] },
      ],
    },
  ],
};

const definitions: [string, Record<string, unknown>][] = [
  ...[...loadTemplateLibrary().entries()].map(([id, t]) => [id, t.survey as Record<string, unknown>] as [string, Record<string, unknown>]),
  ['mixed', MIXED],
];

function choices(q: Question): unknown[] {
  const r = q as Question & { visibleChoices?: { value: unknown }[]; visibleRateValues?: { value: unknown }[] };
  return (r.visibleChoices ?? r.visibleRateValues ?? []).map((c) => c.value);
}

/** A valid answer for each question: the first choice, a word, a number, true. */
function validAnswer(q: Question): unknown {
  const type = q.getType();
  const options = choices(q);
  if (type === 'checkbox' || type === 'tagbox') return [options[0]];
  if (options.length) return options[options.length - 1];
  if (type === 'boolean') return true;
  if ((q as Question & { inputType?: string }).inputType === 'number') return 3;
  return '毎日が少しさびしい';
}

/**
 * A valid, complete set of answers with up to three of them replaced by what a broken or hostile
 * client might send (or left out), plus sometimes a key that is not a question.
 */
function answersFor(model: Model) {
  const questions = model.getAllQuestions(false);
  const junk = fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.constant(''),
    fc.constant('   '),
    fc.string({ maxLength: 5 }),
    fc.string({ minLength: 10, maxLength: 20 }),
    fc.integer({ min: -1, max: 12 }),
    fc.double(),
    fc.boolean(),
    fc.constant([]),
    fc.dictionary(fc.string({ maxLength: 3 }), fc.integer()),
  );
  const replacement = fc.integer({ min: 0, max: questions.length - 1 }).chain((i) => {
    const options = choices(questions[i]);
    const pick = options.length ? fc.constantFrom(...options) : junk;
    return fc.tuple(fc.constant(i), fc.oneof(pick, junk, fc.array(fc.oneof(pick, junk), { maxLength: 3 })));
  });
  const extra = fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom(`${questions[0].getValueName()}-Comment`, 'not_a_question', '__proto__') },
  );
  return fc.tuple(fc.array(replacement, { maxLength: 3 }), extra, fc.string({ maxLength: 4 })).map(([replacements, extraKey, extraValue]) => {
    const values: unknown[] = questions.map(validAnswer);
    for (const [i, value] of replacements) values[i] = value;
    const answers: Record<string, unknown> = {};
    questions.forEach((q, i) => {
      if (values[i] !== undefined) answers[q.getValueName()] = values[i];
    });
    if (extraKey) answers[extraKey] = extraValue;
    return answers;
  });
}

describe('compileAnswerPlan agrees with survey-core', () => {
  for (const [id, definition] of definitions) {
    const model = new Model(structuredClone(definition));
    const plan = compileAnswerPlan(definition, model);

    it(`${id}: never accepts answers survey-core rejects, and stores what survey-core would`, () => {
      if (!plan) return;
      fc.assert(
        fc.property(answersFor(model), fc.boolean(), (answers, requireComplete) => {
          const planned = plan.accepts(answers, requireComplete);
          if (!planned) return;
          expect(judgeWithSurveyCore(definition, answers, { requireComplete })).toEqual({ answers: planned, errors: [] });
        }),
        { numRuns: 1000, seed: Number(process.env.FUZZ_SEED ?? 20261130) + id.length },
      );
    });

    it(`${id}: a complete, valid set of answers takes the quick path`, () => {
      const answers = Object.fromEntries(model.getAllQuestions(false).map((q) => [q.getValueName(), validAnswer(q)]));
      expect(judgeWithSurveyCore(definition, answers, { requireComplete: true }).errors).toEqual([]);
      expect(plan?.accepts(answers, true)).toBeTruthy();
    });
  }

  it('leaves invalid answers to survey-core, which names the question in both languages', () => {
    const { errors } = checkAnswers('plan-test-mixed', MIXED, { d: 'z', c: ['x'], b: true, s: 'ok', g: 1 }, { requireComplete: true });
    expect(errors).toEqual([expect.objectContaining({ field: 'd', message: '"z" is not one of the choices.', message_ja: '"z" は選択肢にありません。' })]);
  });

  it('refuses what only the browser would stop: too long, too many or too few choices, an unoffered rating', () => {
    const limits = {
      elements: [
        { type: 'text', name: 'name', maxLength: 4 },
        { type: 'checkbox', name: 'two', choices: ['p', 'q', 'r'], minSelectedChoices: 2, maxSelectedChoices: 2 },
        { type: 'rating', name: 'stars', rateMin: 1, rateMax: 5 },
      ],
    };
    const check = (answers: Record<string, unknown>) => checkAnswers('plan-test-limits', limits, answers, { requireComplete: false }).errors.map((e) => e.message_ja);
    expect(check({ name: 'あいうえ', two: ['p', 'q'] })).toEqual([]);
    expect(check({ name: 'あいうえお' })).toEqual(['4文字以内で入力してください。']);
    expect(check({ two: ['p', 'q', 'r'] })).toEqual(['2つまで選んでください。']);
    expect(check({ two: ['p'] })).toEqual(['2つ以上選んでください。']);
    expect(check({ stars: 6 })).toEqual(['6 は選択肢にありません。']);
    expect(check({ stars: 'abc' })).toEqual(['"abc" は選択肢にありません。']);
    expect(check({ stars: 5 })).toEqual([]);
  });

  it('plans conditions, validators, "other" and ranges, and drops answers to hidden questions', () => {
    const definition = {
      elements: [
        { type: 'radiogroup', name: 'alone', choices: [1, 2], showOtherItem: true },
        { type: 'text', name: 'years', inputType: 'number', min: 0, max: 90, visibleIf: '{alone} = 1', requiredIf: '{alone} = 1' },
        { type: 'text', name: 'tel', validators: [{ type: 'regex', regex: '^[0-9-]+$' }] },
      ],
    };
    const plan = compileAnswerPlan(definition, new Model(definition))!;
    expect(plan).not.toBeNull();
    expect(plan.accepts({ alone: 2, years: 5, tel: '0226-00-0000' }, true)).toEqual({ alone: 2, tel: '0226-00-0000' });
    expect(plan.accepts({ alone: 1, years: 5 }, true)).toEqual({ alone: 1, years: 5 });
    expect(plan.accepts({ alone: 1 }, true)).toBeUndefined();
    expect(plan.accepts({ alone: 1, years: 91 }, true)).toBeUndefined();
    expect(plan.accepts({ alone: 'other' }, true)).toBeUndefined();
    expect(plan.accepts({ alone: 'other', 'alone-Comment': '施設' }, true)).toEqual({ alone: 'other', 'alone-Comment': '施設' });
    expect(plan.accepts({ tel: 'abc' }, true)).toBeUndefined();
  });

  it('leaves to survey-core questionnaires whose answers it cannot judge alone', () => {
    const noPlan = [
      // two questions answering under one name: an extra key could hide in the count
      { elements: [{ type: 'text', name: 'a', valueName: 'x' }, { type: 'comment', name: 'b', valueName: 'x' }] },
      // limits from expressions
      { elements: [{ type: 'text', name: 'n', inputType: 'number', maxValueExpression: '10' }] },
      // choices that depend on other answers, exclusive choices, computed values, nested answers
      { elements: [{ type: 'text', name: 'n' }, { type: 'radiogroup', name: 'r', choices: [1, 2], choicesVisibleIf: '{n} notempty' }] },
      { elements: [{ type: 'checkbox', name: 'c', choices: ['a', { value: 'b', isExclusive: true }] }] },
      { calculatedValues: [{ name: 'x', expression: '1' }], elements: [{ type: 'text', name: 'n' }] },
      { elements: [{ type: 'paneldynamic', name: 'p', templateElements: [{ type: 'text', name: 't' }] }] },
      // conditions that read more than the answers
      { elements: [{ type: 'text', name: 'n', visibleIf: "displayValue('m') = 'x'" }, { type: 'text', name: 'm' }] },
    ];
    for (const definition of noPlan) expect(compileAnswerPlan(definition, new Model(definition)), JSON.stringify(definition)).toBeNull();
    expect(checkAnswers('plan-test-shared-name', noPlan[0], { x: 'hi', zzz: 'evil' }, { requireComplete: false }).errors.map((e) => e.field)).toEqual(['zzz']);
    expect(checkAnswers('plan-test-expression', noPlan[1], { n: 99 }, { requireComplete: false }).errors.map((e) => e.field)).toEqual(['n']);
  });

  it('checks required questions only when the response is complete', () => {
    const plan = compileAnswerPlan(MIXED, new Model(MIXED))!;
    expect(plan.accepts({ d: 'a' }, false)).toEqual({ d: 'a' });
    expect(plan.accepts({ d: 'a' }, true)).toBeUndefined();
  });
});
