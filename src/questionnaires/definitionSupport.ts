import { checkSync } from 'recheck';
import { ANSWER_TYPES, DISPLAY_TYPES } from './answerShape.js';
import { Serializer } from './surveyCore.js';

/**
 * What the answer check can judge in full, read from the JSON alone before survey-core sees it
 * (survey-core fetches `surveyId` definitions and `choicesByUrl` choices as soon as it loads them).
 * A definition using anything else is refused at publish, naming the element: better refused than
 * answers stored unchecked.
 */
export type Place = { en: string; ja: string };
export type Finding = { where: Place; message: string; message_ja: string };

const SURVEY: Place = { en: 'Survey', ja: 'アンケート全体' };
const pagePlace = (i: number, name: unknown): Place => ({ en: `Page ${i + 1}${named(name, ' ("', '")')}`, ja: `${i + 1}ページ目${named(name, '（', '）')}` });
const elementPlace = (parent: Place, i: number, name: unknown): Place => ({
  en: `${parent.en}, element ${i + 1}${named(name, ' ("', '")')}`,
  ja: `${parent.ja}の${i + 1}番目${named(name, '（', '）')}`,
});
const columnPlace = (parent: Place, k: number, name: unknown): Place => ({
  en: `${parent.en}, column ${k + 1}${named(name, ' ("', '")')}`,
  ja: `${parent.ja}の${k + 1}列目${named(name, '（', '）')}`,
});
const named = (name: unknown, open: string, close: string) => (typeof name === 'string' && name ? `${open}${name}${close}` : '');

export const SUPPORTED_TYPES = ['panel', ...ANSWER_TYPES, ...DISPLAY_TYPES] as const;
const SUPPORTED = new Set<string>(SUPPORTED_TYPES);
const CELL_TYPES = new Set(['dropdown', 'checkbox', 'radiogroup', 'tagbox', 'text', 'comment', 'boolean', 'expression', 'rating']);
/** Survey properties that make survey-core talk to the SurveyJS service. */
const SERVICE_KEYS = ['surveyId', 'surveyPostId', 'surveyShowDataSaving'];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What would make survey-core reach the network as soon as it loads the definition. */
export function networkParts(definition: Json): Finding[] {
  const found: Finding[] = [];
  const add = (where: Place, message: string, message_ja: string) => found.push({ where, message, message_ja });
  for (const key of SERVICE_KEYS) {
    if (definition[key] !== undefined && definition[key] !== false && definition[key] !== '') {
      add(SURVEY, `"${key}" loads or sends data through the SurveyJS service; remove it.`, `「${key}」は SurveyJS のサービスと通信します。削除してください。`);
    }
  }
  everyObject(definition, SURVEY, (node, where) => {
    if ('choicesByUrl' in node) {
      add(where, 'choices loaded from a URL (choicesByUrl) are not supported: list the choices in the questionnaire.', 'URL から読み込む選択肢（choicesByUrl）には対応していません。選択肢を質問に直接書いてください。');
    }
  });
  return found;
}

/** A copy that survey-core can load without reaching the network (for reading versions stored before these rules). */
export function withoutNetwork<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withoutNetwork) as T;
  if (!isObject(node)) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== 'choicesByUrl' && !SERVICE_KEYS.includes(key))
      .map(([key, value]) => [key, withoutNetwork(value)]),
  ) as T;
}

/** Links SurveyJS opens or shows: only web pages, pages of this site and embedded images. */
const LINK_KEYS = new Set(['navigateToUrl', 'imageLink', 'url']);
const isSafeLink = (link: string) => /^(https?:\/\/|\/(?!\/)|data:image\/)/i.test(link.trim()) || !/^[^/?#]*:/.test(link.replace(/[\u0000-\u0020]/g, ''));

/** Everything in the definition the check does not judge, with where it is. */
export function unsupportedParts(definition: Json): Finding[] {
  const found: Finding[] = networkParts(definition);
  const add = (where: Place, message: string, message_ja: string) => found.push({ where, message, message_ja });
  everyObject(definition, SURVEY, (node, where) => {
    for (const [key, value] of Object.entries(node)) {
      const links = typeof value === 'string' ? [value] : isObject(value) ? Object.values(value).filter((v): v is string => typeof v === 'string') : [];
      if (LINK_KEYS.has(key) && links.some((link) => !isSafeLink(link))) {
        add(where, `"${key}" may only link to http(s) pages, this site or embedded images.`, `「${key}」に書けるのは http(s) のページ、このサイト内、埋め込み画像へのリンクだけです。`);
      }
    }
  });
  const walkElements = (elements: unknown, where: Place) => {
    if (!Array.isArray(elements)) return;
    elements.forEach((element, i) => {
      if (!isObject(element)) return;
      const place = elementPlace(where, i, element.name);
      const type = String(element.type ?? '');
      if (type && !Serializer.findClass(type)) add(place, `unknown question type "${type}".`, `質問の種類「${type}」はありません。`);
      else if (type && !SUPPORTED.has(type)) {
        add(place, `question type "${type}" is not supported. Supported: ${SUPPORTED_TYPES.join(', ')}.`, `質問の種類「${type}」には対応していません。対応している種類: ${SUPPORTED_TYPES.join('、')}。`);
      }
      checkElement(element, place, add);
      walkElements(element.elements, place);
      walkElements(element.templateElements, place);
    });
  };
  if (Array.isArray(definition.pages)) {
    definition.pages.forEach((page, i) => {
      if (!isObject(page)) return;
      const place = pagePlace(i, page.name);
      checkElement(page, place, add);
      walkElements(page.elements, place);
    });
  }
  walkElements(definition.elements, SURVEY);
  walkElements(definition.questions, SURVEY);
  if (Array.isArray(definition.triggers) && definition.triggers.some((t) => isObject(t) && t.type === 'complete')) {
    // The browser would send the answers without the later pages' required questions.
    add(SURVEY, 'a "complete" trigger (ending the survey early) is not supported: use page conditions (visibleIf) instead.', '途中で回答を終える「complete」トリガーには対応していません。ページの表示条件（visibleIf）を使ってください。');
  }
  return found;
}

type Add = (where: Place, message: string, message_ja: string) => void;

/** Features inside one element whose stored values the shape rules do not model. */
function checkElement(element: Json, place: Place, add: Add) {
  if (element.valuePropertyName !== undefined) {
    add(place, '"valuePropertyName" (answers stored as objects) is not supported.', '「valuePropertyName」（回答をオブジェクトで保存）には対応していません。');
  }
  if (Array.isArray(element.detailElements) && element.detailElements.length > 0) {
    add(place, 'detail panels in matrix rows are not supported.', '表の行の詳細パネルには対応していません。');
  }
  for (const choice of [element.choices, element.rateValues].flat()) {
    if (isObject(choice) && (choice.elements !== undefined || choice.showCommentArea === true)) {
      add(place, 'choices with their own questions or comment boxes are not supported.', '選択肢ごとの質問やコメント欄には対応していません。');
      break;
    }
  }
  if (Array.isArray(element.columns) && (element.type === 'matrixdropdown' || element.type === 'matrixdynamic')) {
    element.columns.forEach((column, k) => {
      if (!isObject(column)) return;
      const where = columnPlace(place, k, column.name);
      const cellType = String(column.cellType ?? element.cellType ?? 'dropdown');
      if (cellType !== 'default' && !CELL_TYPES.has(cellType)) {
        add(where, `cell type "${cellType}" is not supported.`, `セルの種類「${cellType}」には対応していません。`);
      }
      if ((column.totalType !== undefined && column.totalType !== 'none') || column.totalExpression !== undefined) {
        add(where, 'column totals are not supported.', '列の合計には対応していません。');
      }
    });
  }
}

/** Visits every object in the JSON, named by the elements it sits in. */
function everyObject(node: unknown, where: Place, visit: (node: Json, where: Place) => void) {
  if (Array.isArray(node)) return node.forEach((child) => everyObject(child, where, visit));
  if (!isObject(node)) return;
  const here = typeof node.name === 'string' && node.name ? { en: `${where.en} / "${node.name}"`, ja: `${where.ja} ＞「${node.name}」` } : where;
  visit(node, here);
  for (const value of Object.values(node)) everyObject(value, here, visit);
}

/** Regular expressions in validators that a crafted answer could make backtrack for seconds. */
export function unsafePatterns(definition: Json): Finding[] {
  const found: Finding[] = [];
  everyObject(definition, SURVEY, (node, where) => {
    // survey-core takes "regex", "regexvalidator" or "Regex" alike.
    if (typeof node.type !== 'string' || !/^regex(validator)?$/i.test(node.type) || typeof node.regex !== 'string') return;
    const verdict = patternVerdict(node.regex, node.caseInsensitive === true || node.insensitive === true ? 'i' : '');
    if (verdict) found.push({ where, ...verdict });
  });
  return found;
}

const verdicts = new Map<string, { message: string; message_ja: string } | null>();

/** recheck's verdict on one pattern, kept: a pattern is judged once per process. */
function patternVerdict(source: string, flags: string) {
  const key = `${flags}/${source}`;
  if (verdicts.has(key)) return verdicts.get(key)!;
  let verdict: { message: string; message_ja: string } | null = null;
  try {
    new RegExp(source, flags);
    const result = checkSync(source, flags, { timeout: 2000 });
    if (result.status !== 'safe') {
      const why = result.status === 'vulnerable' ? `can take ${result.complexity.type} time on some answers` : 'could not be shown to be safe';
      verdict = {
        message: `the regular expression ${JSON.stringify(source)} ${why}; simplify it (avoid nested or overlapping repeats).`,
        message_ja: `正規表現 ${JSON.stringify(source)} は回答によって処理に非常に時間がかかるおそれがあります。繰り返しの入れ子や重なりを避けて簡単にしてください。`,
      };
    }
  } catch {
    verdict = { message: `the regular expression ${JSON.stringify(source)} is not valid.`, message_ja: `正規表現 ${JSON.stringify(source)} が正しくありません。` };
  }
  verdicts.set(key, verdict);
  return verdict;
}

/** Names the page and element of problems survey-core reports vaguely (missing types and names). */
export function elementProblems(definition: Json): Finding[] {
  const problems: Finding[] = [];
  const walk = (elements: unknown, where: Place) => {
    if (elements === undefined) return;
    if (!Array.isArray(elements)) {
      problems.push({ where, message: '"elements" must be a list.', message_ja: '「elements」はリストで指定してください。' });
      return;
    }
    elements.forEach((element, k) => {
      if (!isObject(element)) {
        problems.push({ where: elementPlace(where, k, undefined), message: 'must be an object with "type" and "name".', message_ja: '「type」と「name」をもつオブジェクトで指定してください。' });
        return;
      }
      const place = elementPlace(where, k, element.name);
      if (typeof element.type !== 'string' || !element.type) problems.push({ where: place, message: '"type" is missing.', message_ja: '「type」がありません。' });
      if (element.type !== 'html' && element.type !== 'image' && (typeof element.name !== 'string' || !element.name)) {
        problems.push({ where: place, message: '"name" is missing.', message_ja: '「name」がありません。' });
      }
      if (element.type === 'panel' || element.type === 'paneldynamic') walk(element.elements ?? element.templateElements, place);
    });
  };
  if (Array.isArray(definition.pages)) definition.pages.forEach((page, i) => walk(isObject(page) ? page.elements : undefined, pagePlace(i, isObject(page) ? page.name : undefined)));
  walk(definition.elements, SURVEY);
  return problems;
}
