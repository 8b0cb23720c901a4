import sanitizeHtml from 'sanitize-html';

/**
 * HTML that a questionnaire shows (html elements, the completion page) is rendered as HTML by
 * SurveyJS in participants' browsers and in the staff preview. Only formatting survives: no
 * scripts, handlers, forms, frames, meta refreshes or styles that could move people elsewhere.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img'],
  allowedAttributes: { a: ['href', 'title', 'rel'], img: ['src', 'alt', 'width', 'height'], '*': ['class'] },
  allowedSchemes: ['https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['https', 'data'] },
  allowProtocolRelative: false,
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }) },
};

/** Properties SurveyJS renders as HTML: `html`, and `completedHtml`, `loadingHtml`, …. */
const isHtmlProperty = (key: string) => key === 'html' || key.endsWith('Html');

export function sanitiseHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}

/** A copy of the definition with every HTML property (plain or per language) sanitised. */
export function sanitiseDefinition<T>(node: T): T {
  if (Array.isArray(node)) return node.map(sanitiseDefinition) as T;
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = isHtmlProperty(key) ? sanitiseText(value) : sanitiseDefinition(value);
  }
  return out as T;
}

function sanitiseText(value: unknown): unknown {
  if (typeof value === 'string') return sanitiseHtml(value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([lang, text]) => [lang, typeof text === 'string' ? sanitiseHtml(text) : text]));
  }
  return value;
}
