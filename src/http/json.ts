import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { Problem, problems } from './problem.js';

/**
 * Reads a route's JSON body before its schema sees it: a non-JSON body is refused (415) and broken
 * or unstorable JSON (400) never reaches a validator. `others` are media types the handler reads itself.
 */
export function readJsonBody({ required, others = [] }: { required: boolean; others?: string[] }): MiddlewareHandler {
  return async (c, next) => {
    const type = c.req.header('content-type');
    if (type === undefined && !required) return next();
    if (type && others.some((other) => type.toLowerCase().startsWith(other))) return next();
    // The same test as @hono/zod-openapi's media type check, so a body it would refuse is refused here, in Japanese too.
    if (!type || !/^application\/json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i.test(type)) {
      throw new Problem({
        title: 'Unsupported media type',
        status: 415,
        detail: 'Send the body as JSON with "Content-Type: application/json".',
        title_ja: '送信形式が正しくありません',
        detail_ja: 'JSON 形式で送信してください。',
      });
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw problems.badRequest('The request body is not valid JSON.', {
        title_ja: '送信内容を読み取れません',
        detail_ja: '送信された内容が JSON として正しくありません。',
      });
    }
    assertStorable(body);
    return next();
  };
}

/** Refuses (400) a value read from a request, JSON or CSV, that is too deep or holds what cannot be stored. */
export function assertStorable(value: unknown): void {
  const shape = shapeProblem(value);
  if (shape) throw problems.badRequest(shape.en, { title_ja: '送信内容を読み取れません', detail_ja: shape.ja });
}

/** Deeper JSON than any questionnaire needs; refused before validators recurse into it (survey-core overflows its stack). */
export const MAX_JSON_DEPTH = 32;

/**
 * JSON that parses but that no handler should see: too deep, or with a character PostgreSQL cannot
 * store (NUL, or half of a surrogate pair, which JSON.parse accepts from a "\\ud800" escape).
 */
function shapeProblem(value: unknown): { en: string; ja: string } | null {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (UNSTORABLE.test(v)) return UNSTORABLE_PROBLEM;
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > MAX_JSON_DEPTH) {
      return { en: `The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`, ja: '送信された内容の入れ子が深すぎます。' };
    }
    if (!Array.isArray(v) && Object.keys(v).some((k) => UNSTORABLE.test(k))) return UNSTORABLE_PROBLEM;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return null;
}

// With the u flag a well-formed surrogate pair is one code point, so \p{Cs} finds only lone halves.
const UNSTORABLE = /[\u0000\p{Cs}]/u;
const UNSTORABLE_PROBLEM = {
  en: 'The request body contains a character that cannot be stored (NUL \\u0000, or half of a surrogate pair).',
  ja: '送信された内容に保存できない文字（NUL や壊れた文字）が含まれています。',
};

export function validate<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidRequest(parsed.error.issues);
  return parsed.data;
}

/** The 400 for input that fails its schema, with each field named (in Japanese too). */
export function invalidRequest(issues: readonly z.core.$ZodIssue[]): Problem {
  const errors = issues.map((i) => ({
    field: i.path.join('.') || '(body)',
    message: i.message,
  }));
  return new Problem({
    title: 'Invalid request',
    status: 400,
    detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    errors,
    title_ja: '送信内容に誤りがあります',
    detail_ja: `次の項目を確認してください: ${[...new Set(errors.map((e) => e.field))].join('、')}`,
  });
}
