/**
 * A text shown to evaluators, Japanese first and the English kept after it: 「日本語の文。 English sentence.」,
 * the form of the Japanese-first notes in src/results/sheets.ts (Japanese closed by 「。」, one space, then the
 * English unchanged, so that tests and users can still search for it and reproduce with it).
 */
export function bilingual(ja: string, en: string): string {
  return `${ja.endsWith('。') ? ja : `${ja}。`} ${en}`;
}
