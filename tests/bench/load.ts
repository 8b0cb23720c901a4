/**
 * Load: 200 simulated phones submitting UCLA-3 answers for 60 s against a local server on a fresh
 * PostgreSQL database; reports throughput, p50/p99 and the ratio to pgbench's raw single-row insert
 * rate measured on the same database in the same run, then checks nothing was lost or duplicated.
 *
 *   npx tsx tests/bench/load.ts [--seconds 60] [--phones 200] [--workers 1] [--pgbench-seconds 10] [--profile DIR]
 *   (WORKERS>1 runs the server under node:cluster; --profile writes the server's V8 CPU profile to DIR)
 */
import { arg, cpuSeconds, freshDatabase, makeWave, percentile, pgbenchInsertRate, runPhones, startServer, verify } from './loadShared.js';

const seconds = arg('seconds', 60);
const phones = arg('phones', 200);
const workers = arg('workers', 1);
const port = arg('port', 3900);

const db = await freshDatabase('bench_load');
let server;
try {
  const pgbench = await pgbenchInsertRate(db.url, arg('pgbench-seconds', 10));
  console.log(`pgbench raw single-row insert (16 clients, 2 threads): ${pgbench.toFixed(0)}/s`);
  const profileDir = process.argv.includes('--profile') ? process.argv[process.argv.indexOf('--profile') + 1] : undefined;
  server = await startServer(db.url, port, { WORKERS: String(workers) }, profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
  const { waveId, slug } = await makeWave(server.url);
  // warm-up: compile the questionnaire model, open pool connections
  const warm = Date.now() + 3000;
  await runPhones({ url: server.url, slug, phones, until: () => Date.now() < warm, run: 'warm' });

  const cpuBefore = cpuSeconds(server.child.pid!);
  const started = performance.now();
  const end = Date.now() + seconds * 1000;
  const stats = await runPhones({ url: server.url, slug, phones, until: () => Date.now() < end, run: 'load' });
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = cpuSeconds(server.child.pid!);
  const sorted = stats.latencies.sort((a, b) => a - b);
  const loadAcked = new Map([...stats.acked].filter(([k]) => k.startsWith('load-')));
  const throughput = loadAcked.size / elapsed;
  const check = await verify(db.sql, waveId, stats.acked, 'load-');
  const warmRows = (await db.sql`select count(*)::int as n from responses where wave_id = ${waveId} and idempotency_key like 'warm-%'`)[0].n;

  const report = {
    phones,
    workers,
    seconds: Number(elapsed.toFixed(1)),
    acknowledged: loadAcked.size,
    throughputPerSecond: Math.round(throughput),
    latencyMs: { p50: +percentile(sorted, 50).toFixed(1), p95: +percentile(sorted, 95).toFixed(1), p99: +percentile(sorted, 99).toFixed(1), max: +sorted[sorted.length - 1].toFixed(1) },
    statuses: Object.fromEntries(stats.statuses),
    retriesSent: stats.retries,
    retryMismatches: stats.retryMismatches,
    pgbenchInsertPerSecond: Math.round(pgbench),
    ratioToPgbench: +(throughput / pgbench).toFixed(3),
    // Share of the 2 cores each used during the timed run (1.0 = one core busy all the time).
    serverCpuMsPerSubmission: +(((cpuAfter.server - cpuBefore.server) * 1000) / (loadAcked.size + stats.retries)).toFixed(3),
    coresUsed: Object.fromEntries(Object.entries(cpuAfter).map(([k, v]) => [k, +((v - cpuBefore[k as keyof typeof cpuAfter]) / elapsed).toFixed(2)])),
    database: { ...check, warmRows },
  };
  console.log(JSON.stringify(report, null, 2));
  const ok = check.missing === 0 && check.wrongId === 0 && check.duplicates === 0 && check.partial === 0 && check.rows === check.acked && stats.retryMismatches === 0;
  console.log(ok ? 'OK: database count equals acknowledged submissions; retries deduplicated.' : 'FAILED: lost, duplicated or mismatched responses (see above).');
  console.log(`Goal 3000/s with p99 < 100 ms: throughput ${report.throughputPerSecond}/s, p99 ${report.latencyMs.p99} ms.`);
  process.exitCode = ok ? 0 : 1;
} finally {
  await server?.stop();
  await db.drop();
}
