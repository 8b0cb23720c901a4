import { ConditionRunner } from 'survey-core';
import { choicesOf, pagesOf, questionNumbers } from '../web/surveyForm.js';

type Json = Record<string, unknown>;

/** What the paper says around a question shown only for some answers: before it, and after the question it depends on. */
export type SkipNotes = {
  /** 「問3で「はい」と答えた方のみお答えください」, above the conditional question. */
  onlyIf: Map<Json, string>;
  /** 「「いいえ」と答えた方は → 問5へ進んでください」, under the question others depend on. */
  goTo: Map<Json, string[]>;
};

type Conditional = { q: Json; no: number; conditions: string[] };

/**
 * Skip instructions written out in Japanese from the SurveyJS `visibleIf` conditions (of the question,
 * its panels and its page), so a person on paper follows the same route the phone takes. A condition
 * on one earlier choice question is read by running it, with survey-core's own ConditionRunner, for
 * each of that question's choices: the choices that show the question are the ones named. Anything
 * else (several questions, numbers, functions) is written as the condition with 問 numbers.
 */
export function skipNotes(definition: Json): SkipNotes {
  const numbers = questionNumbers(definition);
  const ordered = conditionalQuestions(definition, numbers);
  const byName = new Map<string, { q: Json; no: number }>();
  for (const [q, no] of numbers) {
    const name = String(q.valueName ?? q.name ?? '');
    if (!byName.has(name)) byName.set(name, { q, no });
  }
  const notes: SkipNotes = { onlyIf: new Map(), goTo: new Map() };
  // For each earlier question, the choices under which each later question shows (null: not read that way).
  const shownFor = new Map<Json, { source: Json; shown: Set<unknown> }>();

  for (const c of ordered) {
    if (c.conditions.length === 0) continue;
    const source = singleSource(c.conditions, byName, c.no);
    const shown = source ? showingChoices(c.conditions, source) : null;
    if (source && shown && shown.size > 0) {
      const labels = choicesOf(source.q, 'ja').filter((choice) => shown.has(choice.value)).map((choice) => `「${choice.text}」`);
      const verb = isMultiple(source.q) ? 'を選んだ' : 'と答えた';
      notes.onlyIf.set(c.q, `問${source.no}で${labels.join('')}${verb}方のみお答えください。`);
      shownFor.set(c.q, { source: source.q, shown });
    } else {
      notes.onlyIf.set(c.q, `次の条件にあてはまる方のみお答えください（${c.conditions.map((e) => readable(e, byName)).join('、かつ ')}）。`);
    }
  }

  // Under each question others depend on: where each answer goes next, when that is not the next question.
  ordered.forEach((p, i) => {
    const next = ordered[i + 1];
    if (!next || shownFor.get(next.q)?.source !== p.q) return;
    const choices = choicesOf(p.q, 'ja');
    const target = (value: unknown) => ordered.slice(i + 1).find((later) => {
      const rule = shownFor.get(later.q);
      return !rule || rule.source !== p.q || rule.shown.has(value);
    });
    const label = (t: Conditional | undefined) => (t ? `問${t.no}` : '最後');
    const skipping = choices.filter((choice) => target(choice.value) !== next);
    if (skipping.length === 0) return;
    const multiple = isMultiple(p.q);
    const lines: string[] = [];
    const groups = new Map<Conditional | undefined, string[]>();
    for (const choice of skipping) groups.set(target(choice.value), [...(groups.get(target(choice.value)) ?? []), `「${choice.text}」`]);
    const staying = choices.filter((choice) => target(choice.value) === next).map((choice) => `「${choice.text}」`);
    if (groups.size === 1 && staying.length > 0 && staying.length < skipping.length) {
      const [[to]] = groups;
      const others = multiple ? '選ばなかった方' : 'それ以外の方';
      lines.push(`${staying.join('')}${multiple ? 'を選んだ' : 'と答えた'}方は問${next.no}へ、${others}は → ${goto(label(to))}`);
    } else {
      for (const [to, names] of groups) lines.push(`${names.join('')}${multiple ? 'だけを選んだ' : 'と答えた'}方は → ${goto(label(to))}`);
    }
    notes.goTo.set(p.q, lines);
  });
  return notes;
}

const goto = (where: string) => (where === '最後' ? 'これで終わりです。' : `${where}へ進んでください。`);

const isMultiple = (q: Json) => q.type === 'checkbox' || q.type === 'tagbox';

/** Every question in order with its 問 number and the visibleIf of itself, its panels and its page. */
function conditionalQuestions(definition: Json, numbers: Map<Json, number>): Conditional[] {
  const out: Conditional[] = [];
  const walk = (elements: unknown, inherited: string[]) => {
    for (const el of (Array.isArray(elements) ? elements : []) as Json[]) {
      const own = typeof el.visibleIf === 'string' && el.visibleIf.trim() ? [...inherited, el.visibleIf] : inherited;
      if (el.type === 'panel') walk(el.elements, own);
      else if (numbers.has(el)) out.push({ q: el, no: numbers.get(el)!, conditions: own });
    }
  };
  for (const page of pagesOf(definition)) walk(page.elements, typeof page.visibleIf === 'string' && page.visibleIf.trim() ? [page.visibleIf] : []);
  return out;
}

/** The one earlier question with choices that all the conditions read, if that is all they read. */
function singleSource(conditions: string[], byName: Map<string, { q: Json; no: number }>, before: number) {
  const variables = new Set<string>();
  for (const expression of conditions) {
    const runner = new ConditionRunner(expression);
    if (!runner.canRun() || runner.isAsync) return null;
    for (const variable of runner.getVariables() as string[]) variables.add(variable);
  }
  if (variables.size !== 1) return null;
  const source = byName.get([...variables][0]);
  if (!source || source.no >= before || choicesOf(source.q, 'ja').length === 0) return null;
  return source;
}

/** The choices of the source question under which every condition holds (one choice ticked at a time). */
function showingChoices(conditions: string[], source: { q: Json }): Set<unknown> | null {
  const name = String(source.q.valueName ?? source.q.name);
  const shown = new Set<unknown>();
  try {
    for (const choice of choicesOf(source.q, 'ja')) {
      const value = isMultiple(source.q) ? [choice.value] : choice.value;
      if (conditions.every((expression) => new ConditionRunner(expression).runValues({ [name]: value }, {}) === true)) shown.add(choice.value);
    }
  } catch {
    return null;
  }
  return shown;
}

const COMPARISONS: Record<string, string> = { '>=': '≧', '<=': '≦', '!=': '≠', '<>': '≠', '==': '＝', '=': '＝', '>': '＞', '<': '＜' };

/** A condition as staff and participants can read it: question names as 問 numbers, operators in Japanese. */
function readable(expression: string, byName: Map<string, { q: Json; no: number }>): string {
  return expression
    .replace(/\{([^}]+)\}/g, (whole, name: string) => (byName.has(name) ? `問${byName.get(name)!.no}` : whole))
    .replace(/\s+and\s+/gi, ' かつ ')
    .replace(/\s+or\s+/gi, ' または ')
    .replace(/\s+notempty\b/gi, ' に回答あり')
    .replace(/\s+empty\b/gi, ' が無回答')
    .replace(/\s+contains\s+/gi, ' に次を含む: ')
    .replace(/\s+anyof\s+/gi, ' が次のいずれか: ')
    .replace(/\s*(>=|<=|!=|<>|==|=|>|<)\s*/g, (_, op: string) => ` ${COMPARISONS[op]} `);
}
