/**
 * Crash: phones submit against a server on PostgreSQL; mid-load the server (its whole process group,
 * workers included) is killed with SIGKILL, then restarted on the same database. Every acknowledged
 * submission must be in the database with the acknowledged id, no row partial, no key twice; submissions
 * whose answer was lost in the crash are retried with the same key and must be stored exactly once.
 *
 *   npx tsx tests/bench/crash.ts [--seconds 20] [--phones 200] [--workers 1]
 */
import { arg, freshDatabase, makeWave, runPhones, startServer, submissionBody, verify, type PhoneStats } from './loadShared.js';

const seconds = arg('seconds', 20);
const phones = arg('phones', 200);
const workers = arg('workers', 1);
const port = arg('port', 3950);

const db = await freshDatabase('bench_crash');
let server = await startServer(db.url, port, { WORKERS: String(workers) });
try {
  const { waveId, slug } = await makeWave(server.url);
  const stats: PhoneStats = { acked: new Map(), latencies: [], statuses: new Map(), retries: 0, retryMismatches: 0, unknown: new Set() };
  let running = true;
  const load = runPhones({ url: server.url, slug, phones, until: () => running, run: 'crash', stats });
  await new Promise((r) => setTimeout(r, (seconds / 2) * 1000));
  const ackedBeforeKill = stats.acked.size;
  server.kill9();
  console.log(`kill -9 after ${ackedBeforeKill} acknowledged submissions`);
  await new Promise((r) => setTimeout(r, 1000));
  server = await startServer(db.url, port, { WORKERS: String(workers) });
  console.log('restarted; phones continue');
  await new Promise((r) => setTimeout(r, (seconds / 2) * 1000));
  running = false;
  await load;

  // Phones whose request died with the server retry the same key: stored once, or replayed.
  let retriedUnknown = 0;
  for (const key of stats.unknown) {
    if (stats.acked.has(key)) continue;
    const n = Number(key.split('-n')[1]);
    const res = await fetch(`${server.url}/api/public/s/${slug}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: submissionBody(key, n) });
    if (res.status === 201) {
      stats.acked.set(key, (await res.json()).id);
      retriedUnknown++;
    }
  }
  const check = await verify(db.sql, waveId, stats.acked);
  const report = { phones, workers, ackedBeforeKill, acknowledged: stats.acked.size, lostInFlightRetried: retriedUnknown, statuses: Object.fromEntries(stats.statuses), retryMismatches: stats.retryMismatches, database: check };
  console.log(JSON.stringify(report, null, 2));
  const ok = check.missing === 0 && check.wrongId === 0 && check.duplicates === 0 && check.partial === 0 && check.rows === check.acked && stats.retryMismatches === 0;
  console.log(ok ? 'OK: every acknowledged submission survived kill -9; no partial or duplicate rows.' : 'FAILED: see above.');
  process.exitCode = ok ? 0 : 1;
} finally {
  await server.stop();
  await db.drop();
}
