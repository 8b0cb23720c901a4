import { describe, expect, it } from 'vitest';
import { judgeWithSurveyCore } from '../../src/questionnaires/answerCheck.js';
import { checkAnswers, reviewDefinition } from '../../src/questionnaires/answerValidator.js';

/** Every case of issue 10, each judged under one version id as the server judges them. */
let versions = 0;
function judge(definition: Record<string, unknown>) {
  const versionId = `issue-10-${versions++}`;
  return (answers: Record<string, unknown>, requireComplete = true) => checkAnswers(versionId, definition, answers, { requireComplete });
}
const accepted = (verdict: ReturnType<ReturnType<typeof judge>>) => verdict.answers;
const single = (...elements: Record<string, unknown>[]) => ({ elements });

describe('no submission changes how later ones are judged', () => {
  it('a matrix refuses a number before and after a valid answer', () => {
    const check = judge(single({ type: 'matrix', name: 'm', isRequired: true, columns: ['a', 'b'], rows: ['r1'] }));
    expect(accepted(check({ m: 0 }))).toBeUndefined();
    expect(accepted(check({ m: { r1: 'a' } }))).toEqual({ m: { r1: 'a' } });
    expect(accepted(check({ m: 0 }))).toBeUndefined();
    expect(accepted(check({ m: 'x' }))).toBeUndefined();
  });

  it('a refused list for a dropdown does not make later participants who skip it refused', () => {
    const check = judge(single(
      { type: 'dropdown', name: 'browser', choices: ['chrome', 'firefox'] },
      { type: 'boolean', name: 'b' },
      { type: 'text', name: 't', visibleIf: '{b} = true' },
    ));
    expect(check({ browser: ['chrome'] }).errors[0]).toMatchObject({ field: 'browser', message_ja: '選択肢から1つ選んでください。' });
    expect(accepted(check({}))).toEqual({});
    expect(accepted(check({ b: false }))).toEqual({ b: false });
    for (const definition of [single({ type: 'boolean', name: 'x' }), single({ type: 'rating', name: 'x' }), single({ type: 'imagepicker', name: 'x', choices: [{ value: 'cat', imageLink: '/c.png' }] })]) {
      const other = judge(definition);
      expect(accepted(other({ x: ['bad'] }))).toBeUndefined();
      expect(accepted(other({}))).toEqual({});
    }
  });

  it('a dynamic matrix or panel takes an empty partial save after a three-row answer', () => {
    for (const definition of [
      single({ type: 'matrixdynamic', name: 'x', minRowCount: 4, columns: [{ name: 'c', cellType: 'text', isRequired: true }] }),
      single({ type: 'paneldynamic', name: 'x', minPanelCount: 4, templateElements: [{ type: 'text', name: 'c', isRequired: true }] }),
    ]) {
      const check = judge(definition);
      // whatever the verdict on three of four rows, it must leave nothing behind
      check({ x: [{ c: 'a' }, { c: 'b' }, { c: 'c' }] });
      expect(accepted(check({}, false))).toEqual({});
    }
  });
});

describe('what is stored is what the questionnaire allows', () => {
  it('drops answers to hidden questions, on a page or by a condition, and ignores their length', () => {
    const check = judge({
      pages: [
        { elements: [{ type: 'boolean', name: 'b' }, { type: 'text', name: 'shown_if', visibleIf: '{b} = true', maxLength: 5 }, { type: 'text', name: 'never', visible: false, maxLength: 5 }] },
        { visible: false, elements: [{ type: 'text', name: 'on_hidden_page' }] },
      ],
    });
    expect(accepted(check({ b: false, shown_if: 'x'.repeat(5000), never: 'x'.repeat(5000), on_hidden_page: 'x' }))).toEqual({ b: false });
    expect(accepted(check({ b: true, shown_if: 'x'.repeat(5000) }))).toBeUndefined();
  });

  it('refuses values survey-core would coerce instead of storing them raw', () => {
    expect(accepted(judge(single({ type: 'text', name: 't' }))({ t: ['hello'] }))).toBeUndefined();
    expect(accepted(judge(single({ type: 'checkbox', name: 'c', choices: ['a'] }))({ c: 'a' }))).toBeUndefined();
    const radio = judge(single({ type: 'radiogroup', name: 'r', choices: [1, 2, 3] }));
    for (const r of [true, '3', [1, 1]]) expect(accepted(radio({ r })), JSON.stringify(r)).toBeUndefined();
    expect(accepted(radio({ r: 3 }))).toEqual({ r: 3 });
  });

  it('checks required panels and a text question\'s min and max', () => {
    const panel = judge(single({ type: 'panel', name: 'p', isRequired: true, elements: [{ type: 'text', name: 'a' }, { type: 'text', name: 'b' }] }));
    expect(panel({}).errors[0]).toMatchObject({ field: 'p' });
    expect(accepted(panel({ b: 'x' }))).toEqual({ b: 'x' });
    const dated = judge(single({ type: 'text', name: 'd', inputType: 'date', max: '=today()' }));
    expect(accepted(dated({ d: '2999-01-01' }))).toBeUndefined();
    expect(accepted(dated({ d: '2020-01-01' }))).toEqual({ d: '2020-01-01' });
    const number = judge(single({ type: 'text', name: 'n', inputType: 'number', min: 5 }));
    expect(accepted(number({ n: 4 }))).toBeUndefined();
  });

  it('judges cells of dynamic panels, matrices and multiple text by the same rules', () => {
    const check = judge(single(
      { type: 'paneldynamic', name: 'pd', templateElements: [{ type: 'text', name: 'x', maxLength: 3 }] },
      { type: 'matrixdropdown', name: 'md', columns: [{ name: 'c', choices: [1, 2] }], rows: ['r1'] },
      { type: 'multipletext', name: 'mt', items: [{ name: 'a', maxLength: 2 }] },
      { type: 'matrix', name: 'm', columns: ['a'], rows: ['r1'] },
    ));
    expect(check({ pd: [{ x: 'abcd' }] }).errors[0]).toMatchObject({ field: 'pd', path: 'pd[0].x' });
    expect(check({ md: { r1: { c: 3 } } }).errors[0]).toMatchObject({ field: 'md', path: 'md.r1.c' });
    expect(check({ md: { bogus: { c: 1 } } }).errors[0]).toMatchObject({ field: 'md', path: 'md.bogus' });
    expect(check({ mt: { a: 'abc' } }).errors[0]).toMatchObject({ field: 'mt', path: 'mt.a' });
    expect(check({ m: { r1: 'b' } }).errors[0]).toMatchObject({ field: 'm', path: 'm.r1' });
    expect(accepted(check({ pd: [{ x: 'abc' }], md: { r1: { c: 2 } }, mt: { a: 'ab' }, m: { r1: 'a' } }))).toBeDefined();
  });

  it('takes comments only where a comment box or a chosen "other" shows one, within the comment length', () => {
    const check = judge({
      maxCommentLength: 10,
      elements: [
        { type: 'radiogroup', name: 'r', choices: ['a'], showOtherItem: true },
        { type: 'radiogroup', name: 'c', choices: ['a'], showCommentArea: true },
        { type: 'text', name: 't' },
      ],
    });
    expect(check({ 't-Comment': 'x'.repeat(225_000) }).errors[0]).toMatchObject({ field: 't-Comment' });
    expect(check({ c: 'a', 'c-Comment': 'x'.repeat(5000) }).errors[0]).toMatchObject({ field: 'c', path: 'c-Comment', message_ja: '10文字以内で入力してください。' });
    expect(accepted(check({ r: 'other', 'r-Comment': '近所の店' }))).toEqual({ r: 'other', 'r-Comment': '近所の店' });
    expect(accepted(check({ r: 'a', 'r-Comment': '選んでいない' }))).toEqual({ r: 'a' });
  });

  it('stores what survey-core computes for expressions and calculated values, never the value sent', () => {
    const check = judge({
      calculatedValues: [{ name: 'total', expression: '{a} + 1', includeIntoResult: true }],
      elements: [{ type: 'text', name: 'a', inputType: 'number' }, { type: 'expression', name: 'e', expression: '{a} * 2' }, { type: 'html', name: 'h', html: '<p>x</p>' }],
    });
    expect(accepted(check({ a: 2, e: 1000, total: 99 }))).toEqual({ a: 2, e: 4, total: 3 });
    expect(accepted(check({ a: 2, h: { any: 'object' } }))).toBeUndefined();
  });
});

describe('what a real browser sends is accepted', () => {
  it('custom boolean values, multi-select image pickers, "other" stored in the answer, calculated values', () => {
    expect(accepted(judge(single({ type: 'boolean', name: 'b', valueTrue: 'yes', valueFalse: 'no' }))({ b: 'yes' }))).toEqual({ b: 'yes' });
    expect(accepted(judge(single({ type: 'imagepicker', name: 'i', multiSelect: true, choices: [{ value: 'cat', imageLink: '/c.png' }, { value: 'dog', imageLink: '/d.png' }] }))({ i: ['cat'] }))).toEqual({ i: ['cat'] });
    expect(accepted(judge(single({ type: 'radiogroup', name: 'r', choices: ['a'], showOtherItem: true, storeOthersAsComment: false }))({ r: 'じぶんの言葉' }))).toEqual({ r: 'じぶんの言葉' });
  });
});

describe('nothing a definition or an answer does can stop the process', () => {
  it('a required field in a collapsed panel refuses with a message and schedules nothing that throws', async () => {
    const check = judge({ pages: [{ elements: [{ type: 'panel', name: 'contact', state: 'collapsed', elements: [{ type: 'text', name: 'email', isRequired: true }] }, { type: 'text', name: 'q' }] }] });
    expect(check({ q: 'hi' }).errors[0]).toMatchObject({ field: 'email', message_ja: '回答が必要です' });
    // survey-core's scroll timer would have thrown here, outside any request.
    await new Promise((resolve) => setTimeout(resolve, 200));
  });

  it('answers survey-core cannot read are refused, not thrown', () => {
    expect(judge(single({ type: 'checkbox', name: 'c', choices: [10, 20], showSelectAllItem: true }))({ c: [10, null] }).errors).toHaveLength(1);
  });
});

describe('found by attacking the check', () => {
  const bothAgree = (definition: Record<string, unknown>, answers: Record<string, unknown>) => {
    const server = judge(definition)(answers);
    expect(server).toEqual(judgeWithSurveyCore(definition, answers, { requireComplete: true }));
    return server;
  };

  it('question names survey-core reads as its own variables, or that differ only in case, go to survey-core', () => {
    expect(bothAgree(single({ type: 'text', name: 'pagecount', inputType: 'number' }, { type: 'text', name: 'b', visibleIf: '{pagecount} = 1', isRequired: true }), { pagecount: 5 }).errors).toHaveLength(1);
    const twins = single({ type: 'text', name: 'Ab', inputType: 'number' }, { type: 'text', name: 'ab', inputType: 'number' }, { type: 'text', name: 'c', visibleIf: '{ab} = 1', isRequired: true });
    expect(bothAgree(twins, { Ab: 5, ab: 1 })).toEqual(bothAgree(twins, { ab: 1, Ab: 5 }));
  });

  it('an e-mail of spaces is judged as survey-core judges it', () => {
    expect(bothAgree(single({ type: 'text', name: 'a', inputType: 'email' }), { a: '  ' }).errors).toHaveLength(1);
  });

  it('a comparison of lists nested thousands deep is refused, not thrown', () => {
    const deep = JSON.parse(`${'['.repeat(8000)}1${']'.repeat(8000)}`);
    const definition = single({ type: 'text', name: 'a', visibleIf: '{b} = {c}' }, { type: 'text', name: 'b' }, { type: 'text', name: 'c' });
    expect(judge(definition)({ a: 'x', b: deep, c: deep }).errors).toHaveLength(1);
  });

  it('a list of choices longer than the choices is refused at once', () => {
    const check = judge(single({ type: 'checkbox', name: 'a', choices: ['x', 'y'] }));
    const started = performance.now();
    expect(check({ a: [...Array(40_000).fill('x'), ...Array(40_000).fill(1)] }).errors[0].message_ja).toBe('選択肢の数より多く回答されています。');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('one question per page still needs every required answer', () => {
    expect(bothAgree({ questionsOnPageMode: 'questionPerPage', elements: [{ type: 'text', name: 'b', isRequired: true }, { type: 'text', name: 'c', isRequired: true }] }, { b: 'x' }).errors[0]).toMatchObject({ field: 'c' });
  });
});

describe('publishing', () => {
  const messages = (definition: unknown) => reviewDefinition(definition).problems.map((p) => p.message);

  it('refuses what would make survey-core reach the network, naming the element', () => {
    expect(messages(single({ type: 'dropdown', name: 'city', choicesByUrl: { url: 'http://127.0.0.1:9/x' } }))[0]).toMatch(/"city".*choicesByUrl.*list the choices/);
    expect(messages({ surveyId: 'abc', elements: [{ type: 'text', name: 'a' }] })[0]).toMatch(/surveyId/);
  });

  it('refuses regular expressions that backtrack catastrophically, not ordinary ones', () => {
    for (const type of ['regex', 'regexvalidator', 'Regex']) {
      expect(messages(single({ type: 'text', name: 'a', validators: [{ type, regex: '^(a+)+$' }] }))[0], type).toMatch(/"a".*exponential/);
    }
    expect(messages(single({ type: 'text', name: 'a', validators: [{ type: 'regex', regex: '^[0-9]{3}-[0-9]{4}$' }] }))).toEqual([]);
  });

  it('refuses question types and features the check does not judge, and lists the supported types', () => {
    const [file] = reviewDefinition(single({ type: 'file', name: 'photo' })).problems;
    expect(file.message).toMatch(/"photo".*"file" is not supported\. Supported: panel, text, comment, radiogroup/);
    expect(file.message_ja).toMatch(/「file」には対応していません/);
    expect(messages(single({ type: 'radiogroup', name: 'r', choices: [{ value: 'a', elements: [{ type: 'text', name: 'n' }] }] }))[0]).toMatch(/choices with their own questions/);
  });

  it('refuses links a browser would run or that lead off the web', () => {
    for (const link of ['javascript:alert(1)', 'java\tscript:alert(1)', ' JavaScript:x', 'data:text/html,<script>1</script>', 'vbscript:x']) {
      expect(messages({ navigateToUrl: link, elements: [{ type: 'text', name: 'a' }] })[0], link).toMatch(/navigateToUrl/);
      expect(messages(single({ type: 'image', name: 'i', imageLink: link }, { type: 'text', name: 'a' }))[0], link).toMatch(/imageLink/);
    }
    expect(messages({ navigateToUrl: 'https://example.jp/thanks', elements: [{ type: 'imagepicker', name: 'a', choices: [{ value: 'x', imageLink: '/static/x.png' }, { value: 'y', imageLink: 'y.png' }] }] })).toEqual([]);
  });

  it('shows survey-core warnings without blocking: a nameless html element, an unknown property', () => {
    const review = reviewDefinition(single({ type: 'html', html: '<p>はじめに</p>' }, { type: 'text', name: 'a', colour: 'red' }));
    expect(review.problems).toEqual([]);
    expect(review.warnings.some((w) => w.includes("'colour'"))).toBe(true);
  });
});
