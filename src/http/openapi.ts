import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Context, Env, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { invalidRequest, readJsonBody } from './json.js';
import type { ProblemDetail } from './problem.js';

/**
 * Every API route is declared with createRoute: the zod schemas that validate its params, query and
 * body are the ones /api/openapi.json shows, so the description cannot drift from what is accepted.
 */

/** A router whose validation failures are the same problem+json 400 as validate() gives. */
export function apiRouter<E extends Env = Env>() {
  return new OpenAPIHono<E>({
    defaultHook: (result) => {
      if (!result.success) throw invalidRequest(result.error.issues);
    },
  });
}

/**
 * createRoute, with the JSON body read first by readJsonBody: the library's own reading answers a
 * non-JSON body or broken JSON in English only, and does not refuse what cannot be stored.
 */
export function apiRoute<const R extends RouteConfig>(config: R) {
  const body = config.request?.body;
  const json = body?.content['application/json'];
  const others = Object.keys(body?.content ?? {}).filter((type) => type !== 'application/json');
  const given = config.middleware === undefined ? [] : Array.isArray(config.middleware) ? config.middleware : [config.middleware];
  const middleware = json ? [...given, readJsonBody({ required: body.required ?? false, others })] : given;
  // Responses are documentation here, not a type the handler must return: errors are thrown as Problems,
  // and downloads stream several content types.
  return createRoute({ ...config, middleware: middleware as MiddlewareHandler[] }) as Omit<R, 'responses'> & { responses: RouteConfig['responses'] };
}

type MediaSchema = Extract<NonNullable<RouteConfig['request']>['body'], { content: unknown }>['content'][string];

/** A body the handler reads and validates itself (several media types), described by that same schema. */
export const describedBody = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input' }) as Extract<MediaSchema, { schema?: unknown }>['schema'];

export const problemSchema = z
  .object({
    type: z.string().describe('about:blank unless a more specific type is given'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    title_ja: z.string().optional().describe('Japanese title, always given where a participant may see the problem'),
    detail_ja: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), label: z.string().optional().describe('The question as numbered on the form and on paper, e.g. 問2'), message: z.string(), message_ja: z.string().optional() })).optional(),
    organisations: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
  })
  .describe('RFC 9457 problem details') satisfies z.ZodType<ProblemDetail & { type: string }>;

const FAILURES = {
  400: 'Invalid request: `errors` lists each field',
  401: 'No valid API token or session',
  403: 'The role or CSRF token does not allow this',
  404: 'Not found (or not in your organisation)',
  409: 'Conflicts with the current state',
  410: 'The link no longer takes answers',
  413: 'The body is larger than MAX_BODY_BYTES',
  415: 'The body is not JSON',
  422: 'Understood but not acceptable: `errors` says why',
  429: 'Too many requests; try again later',
} as const;

type ProblemResponse = { description: string; content: { 'application/problem+json': { schema: typeof problemSchema } } };

/** Error responses, all application/problem+json. */
export function failures(...statuses: (keyof typeof FAILURES)[]) {
  const described: Partial<Record<keyof typeof FAILURES, ProblemResponse>> = {};
  for (const status of statuses) described[status] = { description: FAILURES[status], content: { 'application/problem+json': { schema: problemSchema } } };
  return described;
}

/** A JSON success response. */
export const jsonResponse = <S extends z.ZodType>(schema: S, description: string) => ({ description, content: { 'application/json': { schema } } });

/** A JSON request body, required unless said otherwise. */
export const jsonBody = <S extends z.ZodType>(schema: S, required = true) => ({ required, content: { 'application/json': { schema } } });

export const noContent = { description: 'Done; no body' };

/**
 * Looks up the path's resource before the body or query is validated: another organisation's id
 * must answer 404 whatever is sent, exactly like an id never issued (tests/api/tenancy.test.ts).
 */
export function lookupFirst<E extends Env>(find: (c: Context<E>, id: string) => Promise<unknown>): MiddlewareHandler<E> {
  return async (c, next) => {
    await find(c, c.req.param('id') ?? '');
    await next();
  };
}

/** Path parameters are plain strings: a malformed id answers 404 in the handler, like an unknown one. */
export const idParam = (what: string) => z.object({ id: z.string().describe(`${what} id (UUID)`) });

/** The description of every route declared with apiRoute and mounted on `app`. */
export function openApiDocument(app: OpenAPIHono<any, any, any>, serverUrl?: string) {
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: '孤独・孤立 survey and evaluation engine', version: '0.1.0' },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ bearer: [] }, { session: [] }],
  });
}

/** Registered once on the top app; routes reached without credentials say `security: []`. */
export function registerSecuritySchemes(app: OpenAPIHono<any, any, any>) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'API token' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'kodoku_session',
    description: 'Staff session; writes need X-CSRF-Token',
  });
}
