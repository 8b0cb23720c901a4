import type { Hono } from 'hono';
import { z } from 'zod';

type Documented = { summary: string; body?: z.ZodType; query?: Record<string, string> };

/**
 * OpenAPI 3.1 description built from the app's own route table, so every mounted route is listed;
 * summaries and body schemas (from the zod schemas that validate them) are added where registered.
 */
export function openApiDocument(app: Hono<any, any, any>, docs: Record<string, Documented>, serverUrl?: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of app.routes) {
    if (!route.path.startsWith('/api/') || route.method === 'ALL' || route.path.includes('*')) continue;
    const path = route.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}');
    const key = `${route.method} ${route.path}`;
    const doc = docs[key];
    const parameters = [
      ...[...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      ...Object.entries(doc?.query ?? {}).map(([name, description]) => ({ name, in: 'query', description, schema: { type: 'string' } })),
    ];
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      summary: doc?.summary ?? key,
      ...(parameters.length ? { parameters } : {}),
      ...(doc?.body ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(doc.body, { io: 'input', unrepresentable: 'any' }) } } } } : {}),
      security: route.path.startsWith('/api/public/') || route.path === '/api/auth/login' ? [] : [{ bearer: [] }, { session: [] }],
      responses: { default: { description: 'JSON, or application/problem+json (RFC 9457) for errors' } },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: '孤独・孤立 survey and evaluation engine', version: '0.1.0' },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API token' },
        session: { type: 'apiKey', in: 'cookie', name: 'kodoku_session', description: 'Staff session; writes need X-CSRF-Token' },
      },
    },
    paths,
  };
}
