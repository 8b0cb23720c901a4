/**
 * Participation indicators benchmark (issue 15): GET /api/activities/<id>/indicators for an activity of
 * 200 sessions × 50 attendees on PGlite, as the activity page asks for it.
 *
 *   npx tsx tests/bench/participation.ts
 *   npm run bench -- --only participation -- --sessions 400 --attendees 80
 *
 * Settings (flags): --sessions S (default 200), --attendees A per session (default 50), --pool P people the
 * attendees are drawn from (default 300, so 新規, リピーター, 全回出席 and 継続率 all have work), --repeat R
 * timed requests after one warm-up (default 5).
 *
 * Method. A fresh in-memory PGlite, migrated; an organisation and an admin token bootstrapped; the activity
 * created through the app (createApp, no socket). Sessions one week apart on four sites and three themes are
 * inserted through POST /api/activities/<id>/sessions; attendance is S × A rows inserted in one statement as
 * keyed hashes (the same as POST …/attendance would store), people drawn by a fixed rotation so every run holds
 * the same records. Timed: the whole request (load both tables, compute every indicator, per month, site and
 * theme, targets), median of R; the JSON is checked for S sessions and S × A attendances first.
 *
 * Target (issue 15): median < 1 s on PGlite. Prints PASS/FAIL and exits 0 unless it could not run.
 */
import { performance } from 'node:perf_hooks';
import { eq } from 'drizzle-orm';
import { cpus, loadavg } from 'node:os';
import { createApp } from '../../src/app.js';
import { bootstrapAdmin } from '../../src/auth/bootstrap.js';
import { keyedHash, newToken } from '../../src/auth/secrets.js';
import { openDatabase } from '../../src/db/database.js';
import { activities, attendances } from '../../src/db/schema.js';

const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const S = flag('sessions', 200);
const A = flag('attendees', 50);
const POOL = flag('pool', 300);
const REPEAT = flag('repeat', 5);

const database = await openDatabase({});
await database.migrate();
const token = newToken();
await bootstrapAdmin(database, token);
const hashKey = newToken(32);
const app = createApp({ database, config: { maxBodyBytes: 1 << 20, publicUrl: 'http://localhost' }, hashKey });
const call = async (method: string, path: string, body?: unknown) => {
  const res = await app.request(path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
};

const activity = await call('POST', '/api/activities', { name: 'bench' });
const sessions: { id: string }[] = [];
for (let i = 0; i < S; i++) {
  const heldOn = new Date(Date.UTC(2023, 0, 2) + i * 7 * 86_400_000).toISOString().slice(0, 10);
  sessions.push(await call('POST', `/api/activities/${activity.id}/sessions`, { heldOn, site: `会場${i % 4}`, theme: `テーマ${i % 3}` }));
}
const [{ organisationId }] = await database.db.select({ organisationId: activities.organisationId }).from(activities).where(eq(activities.id, activity.id));
const rows = sessions.flatMap((s, i) => Array.from({ length: A }, (_, k) => ({ sessionId: s.id, organisationId, participantKeyHash: keyedHash(hashKey, `${activity.id}:P${(i * 7 + k) % POOL}`) })));
for (let i = 0; i < rows.length; i += 5000) await database.db.insert(attendances).values(rows.slice(i, i + 5000));

const path = `/api/activities/${activity.id}/indicators`;
const first = await call('GET', path);
if (first.indicators.sessions !== S || first.indicators.attendances !== S * A) throw new Error('The indicators do not count the records inserted.');
const times: number[] = [];
for (let r = 0; r <= REPEAT; r++) {
  const t0 = performance.now();
  await call('GET', path);
  if (r > 0) times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`participation indicators on PGlite: ${S} sessions × ${A} attendees (${S * A} attendances, ${first.indicators.unique} people)`);
console.log(`  median ${median.toFixed(0)} ms over ${REPEAT} requests (min ${times[0].toFixed(0)}, max ${times.at(-1)!.toFixed(0)}); ${cpus().length} cores, load ${loadavg()[0].toFixed(2)}`);
console.log(`  target < 1000 ms: ${median < 1000 ? 'PASS' : 'FAIL'}`);
await database.close();
