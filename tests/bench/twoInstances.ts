/**
 * Two instances: two `src/main.ts` processes on one fresh PostgreSQL database, as behind a load
 * balancer, each taking half the simulated phones on one open link for a fixed time (rate limits on,
 * held in PostgreSQL, high enough not to refuse). Afterwards a sample of acknowledged submissions is
 * sent again through the other instance, which must answer with the same receipt. Prints
 * submissions/s, lost and duplicated.
 *
 *   npx tsx tests/bench/twoInstances.ts [--seconds 20] [--phones 200] [--retries 500]
 */
import { arg, cpuSeconds, freshDatabase, makeWave, percentile, runPhones, startServer, submissionBody, verify, type PhoneStats, type Server } from './loadShared.js';

const seconds = arg('seconds', 20);
const phones = arg('phones', 200);
const retries = arg('retries', 500);
const port = arg('port', 3920);

const db = await freshDatabase('bench_two');
const servers: Server[] = [];
try {
  servers.push(await startServer(db.url, port, { RETENTION_SWEEP_MINUTES: '0' }));
  servers.push(await startServer(db.url, port + 1, { RETENTION_SWEEP_MINUTES: '0' }));
  const [a, b] = servers;
  const { waveId, slug } = await makeWave(a.url);
  const warm = Date.now() + 3000;
  await Promise.all(servers.map((s, i) => runPhones({ url: s.url, slug, phones: phones / 2, until: () => Date.now() < warm, run: `warm${i}` })));

  const cpuBefore = servers.map((s) => cpuSeconds(s.child.pid!));
  const started = performance.now();
  const end = Date.now() + seconds * 1000;
  const runs: PhoneStats[] = await Promise.all(servers.map((s, i) => runPhones({ url: s.url, slug, phones: phones / 2, until: () => Date.now() < end, run: `load${i}` })));
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = servers.map((s) => cpuSeconds(s.child.pid!));

  // Retries through the other instance: the receipt the first one gave, marked replayed.
  let crossMismatches = 0;
  const sample = runs.flatMap((r, i) => [...r.acked].slice(0, retries / 2).map(([key, id]) => ({ key, id, other: servers[1 - i] })));
  for (const { key, id, other } of sample) {
    const n = Number(key.split('-n')[1]);
    const res = await fetch(`${other.url}/api/public/s/${slug}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: submissionBody(key, n) });
    const body = await res.json();
    if (res.status !== 201 || body.id !== id || body.replayed !== true) crossMismatches++;
  }

  const acked = new Map(runs.flatMap((r) => [...r.acked]).filter(([k]) => k.startsWith('load')));
  const check = await verify(db.sql, waveId, acked, 'load');
  const latencies = runs.flatMap((r) => r.latencies).sort((x, y) => x - y);
  const report = {
    instances: 2,
    phones,
    seconds: Number(elapsed.toFixed(1)),
    acknowledged: acked.size,
    submissionsPerSecond: Math.round(acked.size / elapsed),
    perInstance: runs.map((r) => [...r.acked.keys()].filter((k) => k.startsWith('load')).length),
    latencyMs: { p50: +percentile(latencies, 50).toFixed(1), p99: +percentile(latencies, 99).toFixed(1) },
    statuses: runs.map((r) => Object.fromEntries(r.statuses)),
    sameInstanceRetries: runs.reduce((s, r) => s + r.retries, 0),
    sameInstanceRetryMismatches: runs.reduce((s, r) => s + r.retryMismatches, 0),
    crossInstanceRetries: sample.length,
    crossInstanceRetryMismatches: crossMismatches,
    lost: check.missing,
    duplicated: check.duplicates,
    wrongId: check.wrongId,
    rowsInDatabase: check.rows,
    coresUsed: {
      servers: +(cpuAfter.reduce((s, c, i) => s + c.server - cpuBefore[i].server, 0) / elapsed).toFixed(2),
      postgres: +((cpuAfter[0].postgres - cpuBefore[0].postgres) / elapsed).toFixed(2),
    },
  };
  console.log(JSON.stringify(report, null, 2));
  const ok = check.missing === 0 && check.duplicates === 0 && check.wrongId === 0 && check.rows === check.acked && crossMismatches === 0 && report.sameInstanceRetryMismatches === 0;
  console.log(ok ? 'OK: every acknowledged submission stored once; retries through either instance deduplicated.' : 'FAILED: lost, duplicated or mismatched responses (see above).');
  process.exitCode = ok ? 0 : 1;
} finally {
  for (const s of servers) await s.stop();
  await db.drop();
}
