import { Helpers, settings } from 'survey-core';
import type { Question } from './surveyCore.js';

/**
 * The shape rules: what a stored answer may look like, judged on a question of a survey-core model
 * that holds the submission. survey-core coerces what it is given ("3" for the choice 3, "a" for
 * ["a"]) and leaves choices, counts and lengths to the browser; these rules take over there, so
 * that every stored value is exactly what its question can produce.
 *
 * A rule returns the value to store: `undefined` when there is nothing to store (an empty value,
 * or answers inside a hidden question), or a problem. Nested values (matrices, dynamic panels,
 * multiple text) are judged cell by cell with the same rules on the model's cell questions.
 */
/** `path` names the value (`pd[0].x`); `field`, set on the whole submission, the question it belongs to. */
export type ShapeProblem = { path: string; field?: string; message: string; message_ja: string };
export type Shaped = { value: unknown } | { problem: ShapeProblem };

/** Question types whose answers the rules below judge in full. */
export const ANSWER_TYPES = [
  'text', 'comment', 'radiogroup', 'checkbox', 'dropdown', 'tagbox', 'rating', 'boolean', 'ranking',
  'imagepicker', 'matrix', 'matrixdropdown', 'matrixdynamic', 'multipletext', 'paneldynamic', 'expression',
] as const;
/** Elements that show something and take no answer. */
export const DISPLAY_TYPES = ['html', 'image'] as const;

const NUMERIC_INPUTS = new Set(['number', 'range']);
const MULTIPLE_CHOICE = new Set(['checkbox', 'tagbox']);

type AnyQuestion = Question & Record<string, any>;

const problem = (path: string, message: string, message_ja: string): Shaped => ({ problem: { path, message, message_ja } });
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
const isScalar = (v: unknown) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean';

export const commentSuffix = () => settings.commentSuffix;

/** True when the question keeps a text beside its answer under "<name>-Comment". */
export function takesComment(q: Question): boolean {
  const question = q as AnyQuestion;
  if (question.showCommentArea) return true;
  return Boolean(question.hasOther && question.getStoreOthersAsComment?.());
}

/** The text kept beside an answer: only where a comment box or a chosen "other" shows one. */
export function shapeComment(q: Question, value: unknown, comment: unknown, path: string): Shaped {
  if (Helpers.isValueEmpty(comment)) return { value: undefined };
  if (typeof comment !== 'string') return problem(path, 'Expected text.', '文字で回答してください。');
  const question = q as AnyQuestion;
  if (!question.showCommentArea) {
    const otherValue = question.otherItem?.value;
    const chosen = Array.isArray(value) ? value.includes(otherValue) : value === otherValue;
    // The browser drops the "other" text when "other" is unticked: keep it only with its choice.
    if (!chosen) return { value: undefined };
  }
  return withinLength(comment, question.getOthersMaxLength?.() ?? null, path);
}

/** The value to store for a visible question's answer, or why it cannot be stored. */
export function shapeAnswer(q: Question, value: unknown, path: string): Shaped {
  return shapeRule(q)(value, path);
}

export type ShapeRule = (value: unknown, path: string) => Shaped;

/**
 * The rule of one question, with what it needs read off the question once (choices, limits), so
 * that the quick plan can keep it; matrices with rows of their own read them when applied.
 */
export function shapeRule(q: Question): ShapeRule {
  const question = q as AnyQuestion;
  const type = question.getType();
  const rule = ruleFor(question, type);
  return (value, path) => (Helpers.isValueEmpty(value) ? { value: undefined } : rule(value, path));
}

function ruleFor(question: AnyQuestion, type: string): ShapeRule {
  switch (type) {
    case 'text':
      if (NUMERIC_INPUTS.has(question.inputType)) {
        return (value, path) => (typeof value === 'number' && Number.isFinite(value) ? { value } : problem(path, 'Expected a number.', '数値で回答してください。'));
      }
      return textRule(question.getMaxLength?.() ?? null);
    case 'comment':
      return textRule(question.getMaxLength?.() ?? null);
    case 'radiogroup':
    case 'dropdown':
      return singleChoice(question);
    case 'imagepicker':
      return question.multiSelect ? multipleChoice(question) : singleChoice(question);
    case 'checkbox':
    case 'tagbox':
      return multipleChoice(question);
    case 'ranking':
      return ranking(question);
    case 'rating':
      return oneOf(values(question.visibleRateValues));
    case 'boolean':
      return oneOf([question.valueTrue ?? true, question.valueFalse ?? false]);
    case 'matrix':
      return matrix(question);
    case 'matrixdropdown':
      return (value, path) => matrixDropdown(question, value, path);
    case 'matrixdynamic':
      return (value, path) => matrixDynamic(question, value, path);
    case 'multipletext':
      return (value, path) => multipleText(question, value, path);
    case 'paneldynamic':
      return (value, path) => panelDynamic(question, value, path);
    default:
      return (_value, path) => problem(path, `Answers to "${type}" questions are not accepted.`, `「${type}」の質問には回答を受け付けていません。`);
  }
}

const textRule = (maxLength: number | null): ShapeRule => (value, path) =>
  typeof value !== 'string' ? problem(path, 'Expected text.', '文字で回答してください。') : withinLength(value, maxLength, path);

function withinLength(value: string, maxLength: number | null, path: string): Shaped {
  if (maxLength && maxLength > 0 && value.length > maxLength) {
    return problem(path, `At most ${maxLength} characters.`, `${maxLength}文字以内で入力してください。`);
  }
  return { value };
}

const values = (items: { value: unknown }[]) => items.map((item) => item.value);

function oneOf(choices: unknown[]): ShapeRule {
  const allowed = new Set(choices);
  return (value, path) => (isScalar(value) && allowed.has(value) ? { value } : notAChoice(value, path));
}

function notAChoice(value: unknown, path: string): Shaped {
  const shown = JSON.stringify(value)?.slice(0, 40);
  return problem(path, `${shown} is not one of the choices.`, `${shown} は選択肢にありません。`);
}

/** Choices a participant can pick now ("select all" is an action, not an answer). */
function choiceValues(q: AnyQuestion): Set<unknown> {
  const selectAll = q.selectAllItem;
  return new Set((q.visibleChoices as { value: unknown }[]).filter((item) => item !== selectAll).map((item) => item.value));
}

/** With "other" stored in the answer itself, the participant's own text is the answer (up to the "other" length). */
function ownOtherText(q: AnyQuestion): ((value: unknown) => boolean) | null {
  return q.hasOther && !q.getStoreOthersAsComment() ? (value) => typeof value === 'string' : null;
}

function singleChoice(q: AnyQuestion): ShapeRule {
  const allowed = choiceValues(q);
  const own = ownOtherText(q);
  const otherLength: number | null = q.getOthersMaxLength?.() ?? null;
  return (value, path) => {
    if (Array.isArray(value) || isPlainObject(value)) return problem(path, 'Expected a single choice.', '選択肢から1つ選んでください。');
    if (isScalar(value) && allowed.has(value)) return { value };
    if (own?.(value)) return withinLength(value as string, otherLength, path);
    return notAChoice(value, path);
  };
}

function multipleChoice(q: AnyQuestion): ShapeRule {
  const allowed = choiceValues(q);
  const own = ownOtherText(q);
  const exclusive = (q.visibleChoices as { value: unknown; isExclusive?: boolean }[]).filter((item) => q.isItemExclusive?.(item) ?? item.isExclusive).map((item) => item.value);
  const max: number = q.maxSelectedChoices ?? 0;
  const min: number = q.minSelectedChoices ?? 0;
  return (value, path) => {
    if (!Array.isArray(value)) return problem(path, 'Expected a list of choices.', '選択肢のリストで回答してください。');
    // Longer than every choice plus one own "other" text: refused before looking at each item.
    if (value.length > allowed.size + 1) return problem(path, 'More answers than there are choices.', '選択肢の数より多く回答されています。');
    if (new Set(value).size !== value.length) return problem(path, 'A choice is given twice.', '同じ選択肢が2回選ばれています。');
    const others = value.filter((v) => !(isScalar(v) && allowed.has(v)));
    if (others.length > (own ? 1 : 0) || others.some((v) => !own?.(v))) return notAChoice(others[0], path);
    if (value.length > 1 && exclusive.some((choice) => value.includes(choice))) {
      return problem(path, '"None" and similar choices cannot be combined with others.', '「該当なし」などは他の選択肢と一緒に選べません。');
    }
    if (max > 0 && value.length > max) return problem(path, `Choose at most ${max}.`, `${max}つまで選んでください。`);
    if (min > 0 && value.length < min) return problem(path, `Choose at least ${min}.`, `${min}つ以上選んでください。`);
    return { value };
  };
}

function ranking(q: AnyQuestion): ShapeRule {
  const allowed = choiceValues(q);
  const partial = Boolean(q.selectToRankEnabled);
  return (value, path) => {
    if (!Array.isArray(value)) return problem(path, 'Expected a list of choices in order.', '選択肢を順に並べて回答してください。');
    if (value.length > allowed.size) return problem(path, 'More answers than there are choices.', '選択肢の数より多く回答されています。');
    if (new Set(value).size !== value.length) return problem(path, 'A choice is given twice.', '同じ選択肢が2回選ばれています。');
    const bad = value.find((v) => !isScalar(v) || !allowed.has(v));
    if (bad !== undefined) return notAChoice(bad, path);
    if (!partial && value.length !== allowed.size) return problem(path, 'Rank every choice.', 'すべての選択肢に順位をつけてください。');
    return { value };
  };
}

const notRows = (path: string) => problem(path, 'Expected one answer per row.', '行ごとの回答で送ってください。');

function matrix(q: AnyQuestion): ShapeRule {
  const rowNames = new Set((q.visibleRows as { name: unknown }[]).map((row) => String(row.name)));
  const columns = new Set(values(q.visibleColumns));
  return (value, path) => {
    if (!isPlainObject(value)) return notRows(path);
    const kept: Record<string, unknown> = {};
    for (const [row, answer] of Object.entries(value)) {
      if (!rowNames.has(row)) return problem(`${path}.${row}`, `"${row}" is not a row of this question.`, `「${row}」はこの質問の行ではありません。`);
      if (Helpers.isValueEmpty(answer)) continue;
      if (!isScalar(answer) || !columns.has(answer)) return notAChoice(answer, `${path}.${row}`);
      kept[row] = answer;
    }
    return { value: nonEmpty(kept) };
  };
}

type CellRow = { rowName?: unknown; cells: { column: { name: string }; question: Question }[] };

/** One row of a matrix with dropdowns: each cell judged by its own cell question. */
function matrixRow(row: CellRow, answer: unknown, path: string): Shaped {
  if (!isPlainObject(answer)) return notRows(path);
  const byName = new Map(row.cells.map((cell) => [cell.column.name, cell.question]));
  const kept: Record<string, unknown> = {};
  for (const [key, cellValue] of Object.entries(answer)) {
    const commentOf = key.endsWith(commentSuffix()) ? byName.get(key.slice(0, -commentSuffix().length)) : undefined;
    const question = byName.get(key);
    if (commentOf && takesComment(commentOf)) {
      if (!commentOf.isVisible) continue;
      const shaped = shapeComment(commentOf, answer[commentOf.getValueName()], cellValue, `${path}.${key}`);
      if ('problem' in shaped) return shaped;
      if (shaped.value !== undefined) kept[key] = shaped.value;
      continue;
    }
    if (!question) return problem(`${path}.${key}`, `"${key}" is not a column of this question.`, `「${key}」はこの質問の列ではありません。`);
    if (!question.isVisible) continue;
    const shaped = cellAnswer(question, cellValue, `${path}.${key}`);
    if ('problem' in shaped) return shaped;
    if (shaped.value !== undefined) kept[key] = shaped.value;
  }
  return { value: nonEmpty(kept) };
}

/** Expression cells hold what survey-core computes, never what was sent. */
function cellAnswer(question: Question, value: unknown, path: string): Shaped {
  if (question.getType() === 'expression') return { value: computedValue(question.value) };
  return shapeAnswer(question, value, path);
}

function matrixDropdown(q: AnyQuestion, value: unknown, path: string): Shaped {
  if (!isPlainObject(value)) return notRows(path);
  const byName = new Map((q.visibleRows as CellRow[]).map((row) => [String(row.rowName), row]));
  const kept: Record<string, unknown> = {};
  for (const [name, answer] of Object.entries(value)) {
    const row = byName.get(name);
    if (!row) return problem(`${path}.${name}`, `"${name}" is not a row of this question.`, `「${name}」はこの質問の行ではありません。`);
    const shaped = matrixRow(row, answer, `${path}.${name}`);
    if ('problem' in shaped) return shaped;
    if (shaped.value !== undefined) kept[name] = shaped.value;
  }
  return { value: nonEmpty(kept) };
}

function matrixDynamic(q: AnyQuestion, value: unknown, path: string): Shaped {
  if (!Array.isArray(value)) return problem(path, 'Expected a list of rows.', '行のリストで送ってください。');
  const max: number = q.maxRowCount;
  if (value.length > max) return problem(path, `At most ${max} rows.`, `${max}行までです。`);
  // survey-core adds empty rows up to minRowCount; the answer may leave them out.
  const rows = q.visibleRows as CellRow[];
  if (rows.length < value.length) return problem(path, 'Expected a list of rows.', '行のリストで送ってください。');
  const kept: unknown[] = [];
  for (let i = 0; i < value.length; i++) {
    const shaped = matrixRow(rows[i], value[i], `${path}[${i}]`);
    if ('problem' in shaped) return shaped;
    kept.push(shaped.value ?? {});
  }
  return { value: kept };
}

function multipleText(q: AnyQuestion, value: unknown, path: string): Shaped {
  if (!isPlainObject(value)) return notRows(path);
  const items = new Map((q.items as { name: string; editor: Question }[]).map((item) => [item.name, item.editor]));
  const kept: Record<string, unknown> = {};
  for (const [name, answer] of Object.entries(value)) {
    const editor = items.get(name);
    if (!editor) return problem(`${path}.${name}`, `"${name}" is not an item of this question.`, `「${name}」はこの質問の項目ではありません。`);
    const shaped = shapeAnswer(editor, answer, `${path}.${name}`);
    if ('problem' in shaped) return shaped;
    if (shaped.value !== undefined) kept[name] = shaped.value;
  }
  return { value: nonEmpty(kept) };
}

function panelDynamic(q: AnyQuestion, value: unknown, path: string): Shaped {
  if (!Array.isArray(value)) return problem(path, 'Expected a list of entries.', '項目のリストで送ってください。');
  const max: number = q.maxPanelCount;
  if (value.length > max) return problem(path, `At most ${max} entries.`, `${max}件までです。`);
  const panels = q.panels as { isVisible: boolean; questions: Question[] }[];
  if (panels.length !== value.length) return problem(path, 'Expected a list of entries.', '項目のリストで送ってください。');
  const kept: unknown[] = [];
  for (let i = 0; i < value.length; i++) {
    const entry = value[i];
    if (!isPlainObject(entry)) return problem(`${path}[${i}]`, 'Expected the answers of one entry.', '1件分の回答で送ってください。');
    const shaped = panelAnswers(panels[i].questions, entry, `${path}[${i}]`, panels[i].isVisible);
    if ('problem' in shaped) return shaped;
    kept.push(shaped.value);
  }
  return { value: kept };
}

/**
 * The answers of one group of questions (a dynamic panel's entry): unknown keys refused, answers
 * of hidden questions dropped, the rest judged by their questions.
 */
function panelAnswers(questions: Question[], entry: Record<string, unknown>, path: string, visible: boolean): Shaped {
  const shaped = answersOf(questions, entry, path);
  if ('problem' in shaped) return shaped;
  return { value: visible ? shaped.value : {} };
}

/**
 * Judges a set of answers keyed by value name against the questions that own them: every key must
 * belong to an answer-taking question (or be its comment), hidden questions' answers are dropped,
 * and each kept answer is shaped. Used for the whole submission and for dynamic panel entries.
 */
export function answersOf(questions: Question[], answers: Record<string, unknown>, path: string, extraKeys: ReadonlySet<string> = new Set()): Shaped {
  const owners = new Map<string, Question[]>();
  const commentOwners = new Map<string, Question[]>();
  for (const question of questions) {
    if ((DISPLAY_TYPES as readonly string[]).includes(question.getType())) continue;
    const name = question.getValueName();
    owners.set(name, [...(owners.get(name) ?? []), question]);
    if (takesComment(question)) commentOwners.set(name + commentSuffix(), [...(commentOwners.get(name + commentSuffix()) ?? []), question]);
  }
  const kept: Record<string, unknown> = {};
  const where = (key: string) => (path ? `${path}.${key}` : key);
  for (const [key, value] of Object.entries(answers)) {
    if (extraKeys.has(key)) continue;
    const own = owners.get(key);
    const commented = commentOwners.get(key);
    if (!own && !commented) {
      if (!path) return { problem: { path: key, field: key, message: `"${key}" is not a question in this questionnaire.`, message_ja: `「${key}」はこのアンケートの質問ではありません。` } };
      return problem(where(key), `"${key}" is not a question in this questionnaire.`, `「${key}」はこのアンケートの質問ではありません。`);
    }
    // A value shared by several questions (valueName) is kept if one that shows it is visible.
    const visible = (own ?? commented)!.filter((question) => question.isVisible && question.isParentVisible);
    if (visible.length === 0) continue;
    for (const question of visible) {
      const shaped = own
        ? question.getType() === 'expression'
          ? { value: computedValue(question.value) }
          : shapeAnswer(question, value, where(key))
        : shapeComment(question, answers[question.getValueName()], value, where(key));
      if ('problem' in shaped) return path ? shaped : { problem: { ...shaped.problem, field: question.getValueName() } };
      if (shaped.value === undefined) delete kept[key];
      else kept[key] = shaped.value;
    }
  }
  return { value: kept };
}

/** A value survey-core computed, as plain JSON (its arrays carry survey-core's own properties). */
export const computedValue = (value: unknown) => (Helpers.isValueEmpty(value) ? undefined : JSON.parse(JSON.stringify(value)));
const nonEmpty = (value: Record<string, unknown>) => (Object.keys(value).length ? value : undefined);
