import fc from 'fast-check';
import { Model, type Question } from '../../src/questionnaires/surveyCore.js';

/**
 * Generated questionnaires and answer sets for the differential test of the answer check:
 * definitions built from every supported feature, a simulated participant who answers what they
 * see, and what broken or hostile clients send instead.
 */
type Json = Record<string, any>;

const choiceList = fc.oneof(
  fc.constant(['a', 'b', 'c']),
  fc.constant([1, 2, 3, 4]),
  fc.constant([{ value: 'x', text: 'エックス' }, { value: 'y', text: 'ワイ' }]),
  fc.constant([{ value: 10, text: '10' }, { value: 20, text: '20', isExclusive: true }, { value: 30, text: '30' }]),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const safeRegex = fc.constantFrom('^[0-9]+$', '^[a-z]{1,3}$', '^\\S+$');

function leafQuestion(name: string, earlier: string[], plain: boolean): fc.Arbitrary<Json> {
  const condition = earlier.length
    ? maybe(fc.tuple(fc.constantFrom(...earlier), fc.constantFrom("notempty", "= 'a'", '= 1', '= true', "contains 'b'")).map(([q, op]) => (op === 'notempty' ? `{${q}} notempty` : `{${q}} ${op}`)))
    : fc.constant(undefined);
  const common = fc.record({
    isRequired: fc.boolean(),
    visibleIf: condition,
    requiredIf: earlier.length ? maybe(fc.constantFrom(...earlier).map((q) => `{${q}} notempty`)) : fc.constant(undefined),
    visible: fc.constantFrom(undefined, undefined, undefined, false),
  });
  const kinds = [
    fc.record({
      type: fc.constant('text'),
      inputType: fc.constantFrom(undefined, 'email', 'tel'),
      maxLength: maybe(fc.integer({ min: 1, max: 12 })),
      validators: maybe(fc.oneof(
        safeRegex.map((regex) => [{ type: 'regex', regex }]),
        fc.constant([{ type: 'text', minLength: 2 }]),
        fc.constant([{ type: 'expression', expression: `{${name}} != 'bad'` }]),
      )),
    }),
    fc.record({
      type: fc.constant('text'),
      inputType: fc.constant('number'),
      min: maybe(fc.constant(5)),
      max: maybe(fc.constant(50)),
      validators: maybe(fc.constant([{ type: 'numeric', minValue: 2, maxValue: 40 }])),
    }),
    fc.record({ type: fc.constant('text'), inputType: fc.constant('date'), max: maybe(fc.constant('=today()')) }),
    fc.record({ type: fc.constant('comment'), maxLength: maybe(fc.integer({ min: 1, max: 30 })) }),
    fc.record({
      type: fc.constantFrom('radiogroup', 'dropdown'),
      choices: choiceList,
      showOtherItem: fc.boolean(),
      storeOthersAsComment: fc.constantFrom(undefined, false),
      showNoneItem: fc.boolean(),
      showCommentArea: fc.constantFrom(undefined, undefined, true),
      choicesVisibleIf: earlier.length && !plain ? maybe(fc.constantFrom(...earlier).map((q) => `{${q}} notempty`)) : fc.constant(undefined),
    }),
    fc.record({
      type: fc.constantFrom('checkbox', 'tagbox'),
      choices: choiceList,
      showOtherItem: fc.boolean(),
      showNoneItem: fc.boolean(),
      showSelectAllItem: fc.boolean(),
      minSelectedChoices: maybe(fc.constant(2)),
      maxSelectedChoices: maybe(fc.constant(2)),
    }),
    fc.oneof(
      fc.record({ type: fc.constant('rating'), rateMin: fc.constant(0), rateMax: fc.integer({ min: 2, max: 10 }) }),
      fc.record({ type: fc.constant('rating'), rateValues: fc.constant([{ value: 'lo', text: '低' }, { value: 'hi', text: '高' }]) }),
    ),
    fc.oneof(
      fc.record({ type: fc.constant('boolean') }),
      fc.record({ type: fc.constant('boolean'), valueTrue: fc.constant('yes'), valueFalse: fc.constant('no') }),
    ),
    fc.record({ type: fc.constant('ranking'), choices: fc.constant(['r1', 'r2', 'r3']), selectToRankEnabled: fc.constantFrom(undefined, true) }),
    fc.record({
      type: fc.constant('imagepicker'),
      multiSelect: fc.boolean(),
      choices: fc.constant([{ value: 'cat', imageLink: '/cat.png' }, { value: 'dog', imageLink: '/dog.png' }]),
    }),
    fc.record({ type: fc.constant('matrix'), columns: fc.constant([1, 2, 3]), rows: fc.constant(['m1', 'm2']), isAllRowRequired: fc.boolean() }),
    fc.record({
      type: fc.constant('matrixdropdown'),
      rows: fc.constant(['d1', 'd2']),
      columns: fc.constant([
        { name: 'pick', choices: ['p', 'q'] },
        { name: 'note', cellType: 'text', maxLength: 5 },
        { name: 'many', cellType: 'checkbox', choices: [1, 2] },
        { name: 'ok', cellType: 'boolean' },
      ]),
    }),
    fc.record({
      type: fc.constant('matrixdynamic'),
      minRowCount: fc.constantFrom(0, 1, 2),
      maxRowCount: fc.constantFrom(3, 5),
      columns: fc.constant([{ name: 'who', cellType: 'text', isRequired: true }, { name: 'level', cellType: 'dropdown', choices: [1, 2, 3] }]),
    }),
    fc.record({
      type: fc.constant('multipletext'),
      items: fc.constant([{ name: 'first', maxLength: 6 }, { name: 'count', inputType: 'number' }]),
    }),
    fc.record({
      type: fc.constant('paneldynamic'),
      maxPanelCount: fc.constantFrom(2, 4),
      templateElements: fc.constant([
        { type: 'text', name: 'label', maxLength: 8, isRequired: true },
        { type: 'radiogroup', name: 'kind', choices: ['a', 'b'] },
        { type: 'comment', name: 'why', visibleIf: "{panel.kind} = 'b'", maxLength: 10 },
      ]),
    }),
    fc.record({ type: fc.constant('expression'), expression: fc.constant(earlier.length ? `{${earlier[0]}}` : '1 + 1') }),
    fc.record({ type: fc.constant('html'), html: fc.constant('<p>説明</p>') }),
  ];
  // The plain ones: what the quick plan models, so that the differential test also exercises it.
  const PLAIN = new Set([0, 1, 3, 4, 5, 6, 7, 10, 16]);
  const kind = fc.oneof(...kinds.filter((_, i) => !plain || PLAIN.has(i)));
  return fc.tuple(common, kind).map(([c, k]) => compact({ name, ...c, ...k }));
}

function compact(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/**
 * A questionnaire of 2–9 questions over 1–3 pages, sometimes in panels, sometimes sharing a value
 * name; `plain` keeps to the question kinds and features the quick plan models.
 */
export const generatedDefinition = (plain = false): fc.Arbitrary<Json> => fc
  .integer({ min: 2, max: 9 })
  .chain((count) => {
    const names = Array.from({ length: count }, (_, i) => `q${i + 1}`);
    return fc.tuple(
      fc.tuple(...names.map((name, i) => leafQuestion(name, names.slice(0, i), plain))),
      fc.integer({ min: 1, max: 3 }),
      fc.boolean(),
      plain ? fc.constant(false) : fc.boolean(),
      plain ? fc.constant(false) : fc.boolean(),
      plain ? fc.constant(false) : fc.boolean(),
    );
  })
  .map(([questions, pageCount, panel, requiredPanel, sharedName, calculated]) => {
    const elements: Json[] = [...questions];
    if (sharedName && elements.length > 2 && elements[0].type === 'text' && !elements[0].inputType) {
      elements.push({ type: 'comment', name: 'shared_copy', valueName: elements[0].name });
    }
    if (panel && elements.length > 2) {
      const inner = elements.splice(1, 2);
      elements.splice(1, 0, { type: 'panel', name: 'group', isRequired: requiredPanel, visibleIf: pageCount > 1 ? '{q1} notempty' : undefined, elements: inner });
    }
    const size = Math.ceil(elements.length / pageCount);
    const pages = Array.from({ length: pageCount }, (_, i) => ({
      name: `page${i + 1}`,
      ...(i > 0 && calculated ? { visibleIf: '{q1} notempty' } : {}),
      elements: elements.slice(i * size, (i + 1) * size),
    })).filter((p) => p.elements.length > 0);
    return compact({
      pages,
      calculatedValues: calculated ? [{ name: 'filled', expression: '{q1} notempty', includeIntoResult: true }] : undefined,
    });
  });

/** A small deterministic random source, so one integer from fast-check names a whole participant. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}
type Rng = ReturnType<typeof seeded>;

const WORDS = ['はい', 'さびしい', '毎日', 'abc', '123', 'a@example.jp', '2026-11-01', 'b', '5', 'ok'];

/** A value a real browser could hold for the question, or undefined for "left blank". */
function validValue(q: Question, rng: Rng): unknown {
  const question = q as Question & Json;
  const type = question.getType();
  const plain = (items: { value: unknown }[]) => items.filter((i) => i !== question.selectAllItem).map((i) => i.value);
  switch (type) {
    case 'text': {
      const t = question.inputType;
      if (t === 'number') return rng.int(typeof question.min === 'number' ? question.min : 0, typeof question.max === 'number' ? question.max : 60);
      if (t === 'date') return `2026-0${rng.int(1, 9)}-1${rng.int(0, 9)}`;
      // the browser's maxlength stops typing at the limit
      const typed = t === 'email' ? 'a@example.jp' : t === 'tel' ? '090-1234-5678' : rng.pick(WORDS);
      return typed.slice(0, question.getMaxLength() ?? 20);
    }
    case 'comment':
      return rng.pick(WORDS).slice(0, question.getMaxLength() ?? 20);
    case 'radiogroup':
    case 'dropdown': {
      const value = rng.pick(plain(question.visibleChoices));
      if (value === question.otherItem?.value && !question.getStoreOthersAsComment()) return 'じぶんの言葉';
      return value;
    }
    case 'imagepicker':
      return question.multiSelect ? [rng.pick(plain(question.visibleChoices))] : rng.pick(plain(question.visibleChoices));
    case 'checkbox':
    case 'tagbox': {
      const all = plain(question.visibleChoices).filter((v) => v !== question.noneItem?.value);
      const count = Math.min(all.length, question.maxSelectedChoices || 3, Math.max(question.minSelectedChoices || 1, rng.int(1, 3)));
      return [...all].sort(() => rng.next() - 0.5).slice(0, count);
    }
    case 'rating':
      return rng.pick(question.visibleRateValues.map((v: { value: unknown }) => v.value));
    case 'boolean':
      return rng.chance(0.5) ? (question.valueTrue ?? true) : (question.valueFalse ?? false);
    case 'ranking': {
      const all = plain(question.visibleChoices).sort(() => rng.next() - 0.5);
      return question.selectToRankEnabled ? all.slice(0, rng.int(1, all.length)) : all;
    }
    case 'matrix':
      return Object.fromEntries(question.visibleRows.map((r: { name: string }) => [r.name, rng.pick(question.visibleColumns.map((c: { value: unknown }) => c.value))]));
    case 'matrixdropdown':
      return Object.fromEntries(question.visibleRows.map((row: Json) => [row.rowName, cellValues(row.cells, rng)]));
    case 'matrixdynamic': {
      const count = rng.int(Math.max(1, question.minRowCount), question.maxRowCount);
      question.rowCount = count;
      return question.visibleRows.slice(0, count).map((row: Json) => cellValues(row.cells, rng));
    }
    case 'multipletext':
      return Object.fromEntries(question.items.map((item: Json) => [item.name, validValue(item.editor, rng)]));
    case 'paneldynamic': {
      question.panelCount = rng.int(1, question.maxPanelCount);
      return question.panels.map((panel: Json) => {
        const entry: Json = {};
        for (const inner of panel.questions as Question[]) {
          const v = validValue(inner, rng);
          inner.value = v;
          if (inner.isVisible && v !== undefined) entry[inner.getValueName()] = v;
        }
        return entry;
      });
    }
    default:
      return undefined;
  }
}

function cellValues(cells: Json[], rng: Rng): Json {
  const out: Json = {};
  for (const cell of cells) {
    const v = validValue(cell.question, rng);
    if (v !== undefined && cell.question.getType() !== 'expression') out[cell.column.name] = v;
  }
  return out;
}

/**
 * What a participant who answers what they see sends: each visible question answered (or skipped
 * now and then), conditions following the answers given so far, as the browser's survey.data.
 */
export function simulatedParticipant(definition: Json, seed: number, skipRate = 0.15): Json {
  const rng = seeded(seed);
  const model = new Model(structuredClone(definition));
  for (const q of model.getAllQuestions(false) as Question[]) {
    if (!q.isVisible || !q.isParentVisible || ['html', 'image', 'expression'].includes(q.getType())) continue;
    if (rng.chance(skipRate)) continue;
    const value = validValue(q, rng);
    if (value === undefined) continue;
    q.value = value;
    const question = q as Question & Json;
    if (question.hasOther && question.getStoreOthersAsComment() && question.isOtherSelected) q.comment = 'その他のこと';
    else if (question.showCommentArea && rng.chance(0.7)) q.comment = 'ひとこと';
  }
  return JSON.parse(JSON.stringify(model.data));
}

const JUNK: unknown[] = [null, '', '   ', 0, -1, 3.5, 1e308, true, false, [], {}, [1, 1], ['a'], { r: 1 }, 'x'.repeat(5000), '3', 'other', 'none', '__proto__'];

/** What broken or hostile clients send: wrong types, swapped shapes, extra keys, hidden answers, long text. */
export function tampered(definition: Json, answers: Json, seed: number): Json {
  const rng = seeded(seed);
  const out: Json = structuredClone(answers);
  const model = new Model(structuredClone(definition));
  model.data = structuredClone(answers);
  const questions = model.getAllQuestions(false) as Question[];
  const names = questions.map((q) => q.getValueName());
  for (let n = rng.int(1, 3); n > 0; n--) {
    const name = rng.pick(names);
    const q = questions[names.indexOf(name)];
    switch (rng.int(0, 8)) {
      case 0:
        out[name] = rng.pick(JUNK);
        break;
      case 8:
        // empty values sent as such: each question type reads them its own way
        out[name] = rng.pick(['', '  ', '\u3000', [], {}, null, [''], { x: '' }]);
        break;
      case 1:
        out[name] = out[rng.pick(names)];
        break;
      case 2:
        out[rng.pick(['zzz', `${name}-Comment`, 'group', 'page1'])] = rng.pick(['hello', 'x'.repeat(300), 7]);
        break;
      case 3:
        // an answer to a question the data hides
        if (!q.isVisible || !q.isParentVisible) out[name] = validValue(q, rng) ?? 'hidden';
        break;
      case 4:
        out[name] = 'あ'.repeat(rng.pick([13, 31, 5000]));
        break;
      case 5:
        if (Array.isArray(out[name])) out[name] = [...out[name], rng.pick(JUNK)];
        else if (out[name] && typeof out[name] === 'object') out[name] = { ...out[name], bogus: rng.pick(JUNK) };
        else out[name] = [out[name] ?? 'a'];
        break;
      case 6:
        delete out[name];
        break;
      default:
        if (Array.isArray(out[name]) && out[name][0] && typeof out[name][0] === 'object') out[name][0] = { ...out[name][0], [rng.pick(['label', 'who', 'kind'])]: rng.pick(JUNK) };
        else out[`${name}-Comment`] = 'x'.repeat(rng.pick([5, 5000]));
    }
  }
  return JSON.parse(JSON.stringify(out));
}
