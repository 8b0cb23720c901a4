/**
 * English is optional in a questionnaire offered in English (definition.languages includes "en"):
 * a question without it shows its Japanese to participants who chose English. Publishing says so,
 * naming each question, and goes ahead.
 */
type Json = Record<string, unknown>;

const hasEnglish = (text: unknown) => typeof text === 'object' && text !== null && typeof (text as Json).en === 'string' && ((text as Json).en as string).trim() !== '';

/** Names of the questions (with a title) that have no English title, in order; none when English is not offered. */
export function questionsWithoutEnglish(definition: Json): string[] {
  if (!Array.isArray(definition.languages) || !definition.languages.includes('en')) return [];
  const found: string[] = [];
  const walk = (elements: unknown) => {
    for (const element of Array.isArray(elements) ? elements : []) {
      if (typeof element !== 'object' || element === null) continue;
      const e = element as Json;
      if (e.type !== 'panel' && e.type !== 'html' && e.title !== undefined && !hasEnglish(e.title)) found.push(String(e.name ?? '?'));
      walk(e.elements);
      walk(e.templateElements);
    }
  };
  for (const page of Array.isArray(definition.pages) ? definition.pages : []) walk((page as Json)?.elements);
  walk(definition.elements);
  return found;
}

/** The publish warning, Japanese first; undefined when every question has English. */
export function englishWarning(definition: Json): string | undefined {
  const missing = questionsWithoutEnglish(definition);
  if (!missing.length) return undefined;
  return `英語の質問文がない質問が ${missing.length} 問あります（${missing.join('、')}）。英語を選んだ回答者には日本語で表示されます。 English is missing for ${missing.length} question(s): ${missing.join(', ')}.`;
}
