/**
 * Wording that hurts a loneliness survey. The national survey is titled 「人々のつながりに関する基礎調査」
 * for a reason: the word 孤独 and an instrument's name in front of participants stigmatise and prime the
 * answers, so an indirect scale (one that never says "lonely") stops measuring what it was validated for.
 * Validated item wording is fixed and not checked; everything around it that participants read is.
 */

type Json = Record<string, unknown>;

/** Instrument names and words that tell participants they are being measured. */
const INSTRUMENT = /UCLA|De\s*Jong|Gierveld|\bDJG\b|LSNS|Lubben|尺度|スケール|\bscale\b/i;
/** Naming the construct, which an indirect scale avoids. */
const CONSTRUCT = /孤独|孤立|loneli|lonely|isolat/i;

type Scale = { items?: { question?: string }[]; asksDirectly?: boolean };

export type WordingWarning = { where: string; text: string; message: string; message_ja: string };

/** Warnings (never refusals: an organisation may have reasons) for participant-facing text. */
export function wordingWarnings(definition: Json, scoring: unknown[]): WordingWarning[] {
  const scales = scoring as Scale[];
  const scaleItems = new Set(scales.flatMap((s) => (s.items ?? []).map((i) => String(i.question))));
  const indirect = scales.some((s) => !s.asksDirectly);
  const warnings: WordingWarning[] = [];
  const check = (where: string, value: unknown) => {
    for (const text of texts(value)) {
      if (INSTRUMENT.test(text)) {
        warnings.push({
          where,
          text,
          message: `${where}: "${text}" shows participants an instrument name; use a neutral heading such as 「最近の気持ちについて」.`,
          message_ja: `${where}:「${text}」に尺度の名前が入っています。参加者には「最近の気持ちについて」のような中立的な見出しにしてください。`,
        });
      } else if (indirect && CONSTRUCT.test(text)) {
        warnings.push({
          where,
          text,
          message: `${where}: "${text}" names loneliness or isolation next to a scale that measures it without saying so; that primes the answers.`,
          message_ja: `${where}:「${text}」に「孤独」「孤立」などの言葉があります。この尺度はその言葉を使わずに測るため、見出しや説明に入れると回答が変わってしまいます（全国調査も「人々のつながりに関する基礎調査」としています）。`,
        });
      }
    }
  };
  check('アンケートのタイトル', definition.title);
  check('アンケートの説明', definition.description);
  ((definition.pages as Json[] | undefined) ?? []).forEach((page, p) => {
    check(`${p + 1}ページ目の見出し`, page.title);
    check(`${p + 1}ページ目の説明`, page.description);
    walk(page.elements, (element) => {
      const name = String(element.name ?? '');
      if (scaleItems.has(name)) return;
      check(`${p + 1}ページ目の「${name}」`, element.title);
      check(`${p + 1}ページ目の「${name}」の説明`, element.description);
    });
  });
  return warnings;
}

function walk(elements: unknown, visit: (element: Json) => void) {
  for (const element of (Array.isArray(elements) ? elements : []) as Json[]) {
    if (!element || typeof element !== 'object') continue;
    visit(element);
    walk(element.elements, visit);
    walk(element.templateElements, visit);
  }
}

/** Every language's text of a SurveyJS localisable string. */
function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value as Json).filter((v): v is string => typeof v === 'string');
  return [];
}
