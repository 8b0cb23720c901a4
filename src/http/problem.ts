import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type ProblemDetail = {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  /** Japanese text for participants; staff messages may omit it. */
  title_ja?: string;
  detail_ja?: string;
  /** `label`: how staff and participants know the question (「問2」), where `field` is its variable name. */
  errors?: { field: string; label?: string; message: string; message_ja?: string }[];
  /** A login whose email and password open accounts in several organisations: the ones to choose from. */
  organisations?: { id: string; name: string }[];
};

/** An error that becomes an RFC 9457 problem+json response. */
export class Problem extends Error {
  constructor(readonly body: ProblemDetail) {
    super(body.detail ?? body.title);
  }
  get status() {
    return this.body.status;
  }
}

export const problems = {
  badRequest: (detail: string, extra: Partial<ProblemDetail> = {}) =>
    new Problem({ title: 'Bad request', status: 400, detail, ...extra }),
  unauthorized: () =>
    new Problem({ title: 'Unauthorized', status: 401, detail: 'Send a valid API token as "Authorization: Bearer <token>".' }),
  forbidden: (detail: string, extra: Partial<ProblemDetail> = {}) => new Problem({ title: 'Forbidden', status: 403, detail, ...extra }),
  notFound: (what: string, ja?: string) =>
    new Problem({
      title: 'Not found',
      status: 404,
      detail: `${what} was not found.`,
      title_ja: ja ? '見つかりません' : undefined,
      detail_ja: ja,
    }),
  conflict: (detail: string, extra: Partial<ProblemDetail> = {}) =>
    new Problem({ title: 'Conflict', status: 409, detail, ...extra }),
  unprocessable: (detail: string, errors: ProblemDetail['errors'], extra: Partial<ProblemDetail> = {}) =>
    new Problem({ title: 'Invalid answers', status: 422, detail, errors, ...extra }),
  tooMany: (detail: string, detail_ja: string) =>
    new Problem({ title: 'Too many requests', status: 429, detail, title_ja: 'しばらくお待ちください', detail_ja }),
};

export function problemResponse(c: Context, body: ProblemDetail) {
  return c.body(JSON.stringify({ type: 'about:blank', ...body }), body.status as ContentfulStatusCode, {
    'content-type': 'application/problem+json; charset=utf-8',
  });
}
