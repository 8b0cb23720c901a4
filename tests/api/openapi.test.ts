import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/testApp.js';

/** Actions whose request is the path alone: nothing to describe beyond the path parameters. */
const WITHOUT_BODY = new Set(['POST /api/auth/logout', 'POST /api/questionnaires/{id}/publish', 'POST /api/waves/{id}/close', 'POST /api/waves/{id}/invitations/{unitId}/reissue']);

/** Where API routes are declared; none may read a query or body past its declared schema. */
const ROUTE_FILES = [
  'src/accounts/authRoutes.ts',
  'src/accounts/routes.ts',
  'src/accounts/dataRights.ts',
  'src/questionnaires/routes.ts',
  'src/collection/routes.ts',
  'src/collection/entryRoutes.ts',
  'src/collection/publicRoutes.ts',
  'src/results/routes.ts',
  'src/invitations/routes.ts',
  'src/national/routes.ts',
];

type Operation = {
  summary?: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};

describe('API description', () => {
  const t = useTestApp('pglite');

  it('describes the request and the responses of every /api route the app serves', async () => {
    const doc = await (await t.request('/api/openapi.json')).json();
    const missing: string[] = [];
    const seen = new Set<string>();
    for (const route of t.app.routes) {
      if (!route.path.startsWith('/api/') || route.method === 'ALL' || route.path.includes('*')) continue;
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      const key = `${route.method} ${path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const op: Operation | undefined = doc.paths[path]?.[route.method.toLowerCase()];
      if (!op) {
        missing.push(`${key}: not described`);
        continue;
      }
      if (!op.summary || op.summary === key) missing.push(`${key}: no summary`);
      const success = Object.entries(op.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
      if (success.length === 0) missing.push(`${key}: no success response`);
      for (const [status, response] of success) {
        if (status !== '204' && !Object.values(response.content ?? {}).some((media) => media.schema)) missing.push(`${key}: ${status} has no body schema`);
      }
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if (/^[45]\d\d$/.test(status) && !response.content?.['application/problem+json']) missing.push(`${key}: ${status} is not problem+json`);
      }
      for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
        if (!op.parameters?.some((p) => p.in === 'path' && p.name === name)) missing.push(`${key}: path parameter ${name} not described`);
      }
      if (['POST', 'PUT', 'PATCH'].includes(route.method) && !WITHOUT_BODY.has(key) && !op.requestBody) missing.push(`${key}: no request body`);
    }
    expect(missing).toEqual([]);
    expect(seen.size).toBeGreaterThan(40);
  });

  it('reads queries and bodies only through the schemas the description is made from', () => {
    const unchecked = ROUTE_FILES.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        // A named query read or a JSON read in a handler would be input the description does not show.
        .flatMap((line, i) => (/c\.req\.(query|queries)\(['"`]|c\.req\.json\(/.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(unchecked).toEqual([]);
  });

  it('describes downloads with their content types and errors as problem+json', async () => {
    const doc = await (await t.request('/api/openapi.json')).json();
    const crosstab = doc.paths['/api/waves/{id}/crosstab'].get;
    expect(Object.keys(crosstab.responses['200'].content)).toEqual(
      expect.arrayContaining(['application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'image/svg+xml']),
    );
    expect(crosstab.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['id', 'row', 'col', 'letters', 'format']));
    const newWave = doc.paths['/api/waves'].post;
    expect(newWave.requestBody.content['application/json'].schema.required).toContain('name');
    expect(newWave.responses['400'].content['application/problem+json'].schema.properties).toHaveProperty('title_ja');
    expect(Object.keys(doc.paths['/api/waves/{id}/frame'].post.requestBody.content)).toEqual(['application/json', 'text/csv']);
    expect(doc.paths['/api/public/s/{slug}/responses'].post.security).toEqual([]);
  });

  it('keeps the validation problem of validate(): 400 with each field, and 415 for a body that is not JSON', async () => {
    const invalid = await t.staff('POST', '/api/studies', { name: '' });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toContain('application/problem+json');
    const problem = await invalid.json();
    expect(problem).toMatchObject({ title: 'Invalid request', title_ja: '送信内容に誤りがあります', errors: [{ field: 'name' }] });
    const plain = await t.staff('POST', '/api/studies', 'name=x', { 'content-type': 'text/plain' });
    expect(plain.status).toBe(415);
    expect((await plain.json()).title_ja).toBe('送信形式が正しくありません');
    const query = await t.staff('GET', '/api/audit?limit=0');
    expect(query.status).toBe(400);
    expect((await query.json()).errors[0].field).toBe('limit');
  });
});
