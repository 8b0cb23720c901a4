import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../../src/app.js';
import { bootstrapAdmin } from '../../src/auth/bootstrap.js';
import type { RateLimitConfig } from '../../src/auth/rateLimit.js';
import { placeholderQuestions } from '../../src/questionnaires/placeholders.js';
import { newToken } from '../../src/auth/secrets.js';
import type { Database } from '../../src/db/database.js';
import { freshDatabase, type DatabaseKind } from './databases.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export type TestApp = {
  database: Database;
  app: ReturnType<typeof createApp>;
  /** A staff request with the admin token; JSON bodies are encoded for you. */
  staff: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Response>;
  request: (path: string, init?: RequestInit) => Promise<Response>;
  /** The app's key for participant codes and invitation tokens. */
  hashKey: string;
};

/** Builds a fresh database and app for a suite, torn down after it. */
export function useTestApp(kind: DatabaseKind, options: { maxBodyBytes?: number; rateLimits?: RateLimitConfig } = {}): TestApp {
  const ctx = {} as TestApp;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await freshDatabase(kind);
    dispose = fresh.dispose;
    ctx.database = fresh.database;
    await bootstrapAdmin(fresh.database, ADMIN_TOKEN);
    const hashKey = newToken(32);
    ctx.hashKey = hashKey;
    ctx.app = createApp({
      database: fresh.database,
      config: { maxBodyBytes: options.maxBodyBytes ?? 256 * 1024, publicUrl: 'http://localhost', rateLimits: options.rateLimits },
      hashKey,
    });
    ctx.request = async (path, init) => ctx.app.request(path, init);
    ctx.staff = async (method, path, body, headers = {}) =>
      ctx.app.request(path, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
  });
  afterAll(async () => {
    await dispose?.();
  });
  return ctx;
}

/** Creates, publishes and opens a wave of a template questionnaire; returns ids and the slug. */
export async function openWave(t: TestApp, templateIds: string[], waveExtra: Record<string, unknown> = {}) {
  const q = await (await t.staff('POST', '/api/questionnaires', { title: 'テスト', templateIds })).json();
  await enterLicensedWording(t, q.id);
  const published = await t.staff('POST', `/api/questionnaires/${q.id}/publish`);
  if (published.status !== 200) throw new Error(`publish failed: ${await published.text()}`);
  const wave = await (await t.staff('POST', '/api/waves', { name: 'wave', questionnaireId: q.id, ...waveExtra })).json();
  const slug = wave.openLink ? String(wave.openLink).split('/s/')[1] : null;
  return { questionnaireId: q.id as string, waveId: wave.id as string, slug: slug as string, wave };
}

/** What an organisation does before publishing a licensed scale: its own wording in place of each placeholder title. */
export async function enterLicensedWording(t: TestApp, questionnaireId: string) {
  const draft = await (await t.staff('GET', `/api/questionnaires/${questionnaireId}/versions/1`)).json();
  const unfilled = new Set(placeholderQuestions(draft.definition));
  if (unfilled.size === 0) return;
  const fill = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(fill);
    if (!node || typeof node !== 'object') return node;
    const o = node as Record<string, unknown>;
    const out = Object.fromEntries(Object.entries(o).map(([k, v]) => [k, fill(v)]));
    if (typeof o.name === 'string' && unfilled.has(o.name)) out.title = { default: `許諾を得た文言（${o.name}）`, en: `Licensed wording (${o.name})` };
    return out;
  };
  const res = await t.staff('PUT', `/api/questionnaires/${questionnaireId}/draft`, { definition: fill(draft.definition) });
  if (!res.ok) throw new Error(`entering the wording failed: ${await res.text()}`);
}
