import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { bootstrapAdmin } from '../../src/auth/bootstrap.js';
import type { Database } from '../../src/db/database.js';
import { auditEvents } from '../../src/db/schema.js';
import { ADMIN_TOKEN } from '../helpers/testApp.js';
import { describeEachDatabase, freshDatabase } from '../helpers/databases.js';

describeEachDatabase('the first run and the contacts participants see', (kind) => {
  let database: Database;
  let dispose: () => Promise<void>;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    ({ database, dispose } = await freshDatabase(kind));
    app = createApp({ database, config: { maxBodyBytes: 256 * 1024, publicUrl: 'http://localhost' }, hashKey: 'k'.repeat(32) });
  });
  afterAll(() => dispose());
  const staff = (method: string, path: string, body?: unknown) =>
    app.request(path, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  it('the URL npm start prints opens a page: how to create the first organisation, then the sign-in', async () => {
    const first = await app.request('/');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/text\/html/);
    const page = await first.text();
    expect(page).toContain('団体を作成してください');
    expect(page).toContain('npm run cli -- create-organisation');
    expect(page).toContain('DATA_DIR');

    await bootstrapAdmin(database, ADMIN_TOKEN);
    const later = await app.request('/');
    expect(later.status).toBe(303);
    expect(later.headers.get('location')).toBe('/staff/login');
  });

  it('a mistyped address gets a Japanese page, the short address forgives case and a slash, and a NUL byte is refused', async () => {
    for (const path of ['/C', '/c/']) {
      const res = await app.request(path);
      expect([res.status, res.headers.get('location')]).toEqual([301, '/c']);
    }
    const page = await app.request('/t0kenmistyped', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('ページが見つかりません');
    const api = await staff('GET', '/api/nothing-here');
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    for (const path of ['/api/waves?q=a%00b', '/s/abc%00def', `/api/activities/x%00`]) {
      const res = await staff('GET', path);
      expect(res.status).toBe(400);
      expect((await res.json()).title_ja).toBe('アドレスが正しくありません');
    }
  });

  it('an admin sets the contact and support contacts; bad addresses are refused and change nothing', async () => {
    const contacts = [{ name: '気仙沼市 保健福祉部', detail: '電話 0226-11-1111', url: 'https://example.jp/soudan' }];
    const saved = await staff('PATCH', '/api/organisation', { contact: '担当 山田 0226-00-0000', supportContacts: contacts });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ contact: '担当 山田 0226-00-0000', supportContacts: contacts });

    for (const bad of [[{ name: 'x', url: 'javascript:alert(1)' }], [{ name: '' }], [{ name: 'x', extra: 1 }]]) {
      const refused = await staff('PATCH', '/api/organisation', { supportContacts: bad });
      expect(refused.status).toBe(400);
      expect((await refused.json()).title_ja).toBeTruthy();
    }
    expect(await (await staff('GET', '/api/organisation')).json()).toMatchObject({ supportContacts: contacts });

    // Emptying goes back to the national default (null), and every change is audited.
    expect(await (await staff('PATCH', '/api/organisation', { supportContacts: [], contact: '' })).json()).toMatchObject({ supportContacts: null, contact: null });
    const events = await database.db.select().from(auditEvents);
    expect(events.filter((e) => e.action === 'organisation.updated')).toHaveLength(2);
  });
});
