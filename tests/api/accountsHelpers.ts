import { createApp } from '../../src/app.js';
import { hashPassword } from '../../src/auth/password.js';
import { newToken, sha256 } from '../../src/auth/secrets.js';
import type { Database } from '../../src/db/database.js';
import { apiTokens, organisations, users } from '../../src/db/schema.js';

export const PASSWORD = 'correct horse battery staple';

/** A second (or third…) organisation with an admin who has a password and an API token. */
export async function makeOrganisation(database: Database, name: string) {
  const [org] = await database.db.insert(organisations).values({ name }).returning();
  const email = `admin-${newToken(6).toLowerCase()}@example.jp`;
  const [admin] = await database.db
    .insert(users)
    .values({ organisationId: org.id, email, name: `${name} admin`, role: 'admin', passwordHash: await hashPassword(PASSWORD) })
    .returning();
  const token = newToken(32);
  await database.db.insert(apiTokens).values({ userId: admin.id, organisationId: org.id, label: 'test', tokenHash: sha256(token), role: 'admin' });
  return { organisationId: org.id, userId: admin.id, email, token };
}

type App = ReturnType<typeof createApp>;

/** A client that calls the app with a Bearer token; JSON bodies are encoded. */
export function bearer(app: App, token: string) {
  return (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
}

/** Logs in with email and password; returns the cookie header value and the CSRF token. */
export async function login(app: App, email: string, password = PASSWORD, headers: Record<string, string> = {}) {
  const res = await app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const body = await res.json();
  return { cookie: setCookie.split(';')[0], setCookie, csrfToken: body.csrfToken as string, body };
}

/** A client that calls the app with a session cookie (and, unless told otherwise, the CSRF token). */
export function session(app: App, s: { cookie: string; csrfToken: string }) {
  return (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method,
      headers: {
        cookie: s.cookie,
        'x-csrf-token': s.csrfToken,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}
