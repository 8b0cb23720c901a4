import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submissionBody, type Server } from '../bench/loadShared.js';
import { openWave, type TestApp } from '../helpers/testApp.js';
import { startTwoServers, type TwoServers } from '../helpers/twoServers.js';

const adminUrl = process.env.TEST_DATABASE_URL;

/** Submits one open-link response through a server, from a given client address (TRUST_PROXY is on). */
function submit(server: Server, slug: string, key: string, n: number, ip: string) {
  return fetch(`${server.url}/api/public/s/${slug}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: submissionBody(key, n),
  });
}

/** Issue 16: several servers on one PostgreSQL. Two real processes of src/main.ts, one database. */
describe.skipIf(!adminUrl)('two instances on one PostgreSQL database', () => {
  let two: TwoServers;
  let a: Server;
  let b: Server;
  /** The wave helpers of the API tests, talking HTTP to server A. */
  let throughA: TestApp;

  beforeAll(async () => {
    two = await startTwoServers(adminUrl!, { RATE_LIMIT_IP_PER_MINUTE: '2', RATE_LIMIT_WAVE_PER_SECOND: '100000' });
    [a, b] = two.servers;
    throughA = { staff: (method: string, path: string, body?: unknown) => two.staff(a, method, path, body) } as TestApp;
  }, 120_000);
  afterAll(async () => two?.stop());

  it('a staff session started on one works on the other, and ends on both', async () => {
    const created = await two.staff(a, 'POST', '/api/users', { email: 'staff@example.jp', name: '職員', role: 'editor', password: 'a long staff password' });
    expect(created.status).toBe(201);
    const login = await fetch(`${a.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'staff@example.jp', password: 'a long staff password' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const { csrfToken } = await login.json();
    const me = await fetch(`${b.url}/api/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect((await me.json()).user.email).toBe('staff@example.jp');
    // A write on the other server with the session's CSRF token.
    const made = await fetch(`${b.url}/api/questionnaires`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'B で作成', templateIds: ['ucla3-national'] }),
    });
    expect(made.status).toBe(201);
    expect((await fetch(`${b.url}/api/auth/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } })).ok).toBe(true);
    expect((await fetch(`${a.url}/api/auth/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('a wave closed through one refuses the next submission through the other', async () => {
    const { waveId, slug } = await openWave(throughA, ['ucla3-national']);
    // B has just read the open wave (and keeps the link a few seconds).
    expect((await submit(b, slug, 'before-close-0001', 1, '192.0.2.1')).status).toBe(201);
    expect((await two.staff(a, 'POST', `/api/waves/${waveId}/close`)).status).toBe(200);
    const refused = await submit(b, slug, 'after-close-0001', 2, '192.0.2.2');
    expect(refused.status).toBe(404);
    expect((await refused.json()).title_ja).toBe('このアンケートには回答できません');
    const [{ n }] = await two.sql<{ n: number }[]>`select count(*)::int as n from responses where wave_id = ${waveId}`;
    expect(n).toBe(1);
  });

  it('a per-address limit holds for the two servers together', async () => {
    // RATE_LIMIT_IP_PER_MINUTE=2: a burst of 10, then one every 30 s, for both servers together.
    const { slug } = await openWave(throughA, ['ucla3-national']);
    const statuses = [];
    for (let i = 0; i < 14; i++) statuses.push((await submit(i % 2 ? b : a, slug, `limited-${i}-xxxxxxxx`, i, '203.0.113.50')).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(201));
    expect(statuses.slice(10)).toEqual([429, 429, 429, 429]);
    // Another address is not held back.
    expect((await submit(b, slug, 'other-address-0001', 1, '203.0.113.51')).status).toBe(201);
  });

  it('submissions spread over both, retried through either and raced on both, lose and duplicate nothing', async () => {
    const { waveId, slug } = await openWave(throughA, ['ucla3-national']);
    const total = 2000;
    const acked = new Map<string, string>();
    const problems: string[] = [];
    let next = 0;
    const phone = async () => {
      for (let i = next++; i < total; i = next++) {
        const key = `load-${i}-xxxxxxxx`;
        const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
        const here = i % 2 ? b : a;
        const there = i % 2 ? a : b;
        // Every tenth is sent to both at once (a phone whose first try seemed lost), the rest to one.
        const first = i % 10 === 0 ? await Promise.all([submit(here, slug, key, i, ip), submit(there, slug, key, i, ip)]) : [await submit(here, slug, key, i, ip)];
        const receipts = await Promise.all(first.map(async (r) => ({ status: r.status, body: await r.json() })));
        if (receipts.some((r) => r.status !== 201) || new Set(receipts.map((r) => r.body.id)).size !== 1) {
          problems.push(`${key}: ${JSON.stringify(receipts)}`);
          continue;
        }
        acked.set(key, receipts[0].body.id);
        // Every fourth is retried through the other server: the same receipt, marked replayed.
        if (i % 4 === 1) {
          const again = await submit(there, slug, key, i, ip);
          const body = await again.json();
          if (again.status !== 201 || body.id !== receipts[0].body.id || body.replayed !== true) problems.push(`${key} retry: ${again.status} ${JSON.stringify(body)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, phone));
    expect(problems).toEqual([]);
    expect(acked.size).toBe(total);
    const rows = await two.sql<{ id: string; idempotency_key: string }[]>`select id, idempotency_key from responses where wave_id = ${waveId}`;
    expect(rows.length).toBe(total);
    expect(new Set(rows.map((r) => r.idempotency_key)).size).toBe(total);
    expect(rows.every((r) => acked.get(r.idempotency_key) === r.id)).toBe(true);
  }, 120_000);
});
