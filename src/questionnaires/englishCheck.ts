/**
 * English is optional in a questionnaire offered in English (definition.languages includes "en"):
 * any text without it shows its Japanese to participants who chose English. Publishing says so,
 * naming each question (and the survey's own title and introduction, and page headings), and goes ahead.
 */
type Json = Record<string, unknown>;

const hasEnglish = (text: unknown) => typeof text === 'object' && text !== null && typeof (text as Json).en === 'string' && ((text as Json).en as string).trim() !== '';

/** A text participants read that lacks English: given, and not a bare value (a choice "1" with no text reads the same). */
const lacksEnglish = (text: unknown) => text !== undefined && text !== null && text !== '' && !hasEnglish(text);

/** Texts of a choice-like item (choices, rows, columns): plain values show as themselves and need no English. */
const itemTexts = (items: unknown) => (Array.isArray(items) ? items : []).map((item) => (typeof item === 'object' && item !== null ? (item as Json).text : undefined));

/** Every participant-facing text of one element (not its children). */
function elementTexts(e: Json): unknown[] {
  return [
    e.title,
    e.description,
    e.minRateDescription,
    e.maxRateDescription,
    e.otherText,
    e.labelTrue,
    e.labelFalse,
    e.placeholder,
    e.html,
    ...itemTexts(e.choices),
    ...itemTexts(e.rows),
    ...itemTexts(e.columns),
    ...itemTexts(e.rateValues),
  ];
}

/** Where English is missing, in order: question names, and 「タイトル」「説明」 or page headings of the survey itself. */
export function questionsWithoutEnglish(definition: Json): string[] {
  if (!Array.isArray(definition.languages) || !definition.languages.includes('en')) return [];
  const found: string[] = [];
  if (lacksEnglish(definition.title)) found.push('タイトル');
  if (lacksEnglish(definition.description)) found.push('はじめの説明');
  const walk = (elements: unknown) => {
    for (const element of Array.isArray(elements) ? elements : []) {
      if (typeof element !== 'object' || element === null) continue;
      const e = element as Json;
      if (elementTexts(e).some(lacksEnglish)) found.push(String(e.name ?? '?'));
      walk(e.elements);
      walk(e.templateElements);
    }
  };
  for (const [i, page] of (Array.isArray(definition.pages) ? definition.pages : []).entries()) {
    const p = (page ?? {}) as Json;
    if (lacksEnglish(p.title) || lacksEnglish(p.description)) found.push(`ページ${i + 1}の見出し`);
    walk(p.elements);
  }
  walk(definition.elements);
  return found;
}

/** The publish warning, Japanese first; undefined when every text has English. */
export function englishWarning(definition: Json): string | undefined {
  const missing = questionsWithoutEnglish(definition);
  if (!missing.length) return undefined;
  return `英語の文言がない箇所が ${missing.length} か所あります（${missing.join('、')}）。英語を選んだ回答者には、その部分が日本語で表示されます。 English is missing in ${missing.length} place(s): ${missing.join(', ')} (question texts, choices, rows, headings); participants who chose English read the Japanese there.`;
}
