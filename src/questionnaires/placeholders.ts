/**
 * Wording a template leaves for the organisation to enter (a licensed scale's items are not shipped):
 * its questions carry this phrase until replaced. Nothing that still holds it may reach participants.
 */
const PLACEHOLDER_MARKS = ['使用許諾を得た文言を入力', 'enter the licensed wording'];

type Json = Record<string, unknown>;

const holdsMark = (text: unknown): boolean =>
  typeof text === 'string'
    ? PLACEHOLDER_MARKS.some((mark) => text.includes(mark))
    : typeof text === 'object' && text !== null && Object.values(text).some(holdsMark);

/** Names of the questions whose title still holds a template's placeholder, in order. */
export function placeholderQuestions(definition: Json): string[] {
  const found: string[] = [];
  const walk = (elements: unknown) => {
    for (const element of Array.isArray(elements) ? elements : []) {
      if (typeof element !== 'object' || element === null) continue;
      const e = element as Json;
      if (holdsMark(e.title)) found.push(String(e.name ?? '?'));
      walk(e.elements);
      walk(e.templateElements);
    }
  };
  for (const page of Array.isArray(definition.pages) ? definition.pages : []) walk((page as Json)?.elements);
  walk(definition.elements);
  return found;
}
