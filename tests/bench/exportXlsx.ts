/**
 * The raw-responses XLSX download of a large wave against a server on a fresh PostgreSQL database:
 * time, the server's memory before and at most during the download, and how long /healthz takes to
 * answer meanwhile (polled every 50 ms by a second client), beside the CSV download of the same rows.
 *
 *   npx tsx tests/bench/exportXlsx.ts [--n 100000]
 *
 * Responses are one-answer UCLA-3 rows inserted with one INSERT … SELECT from generate_series.
 */
import { readFileSync } from 'node:fs';
import { arg, freshDatabase, makeWave, startServer, TOKEN } from './loadShared.js';

const n = arg('n', 100_000);
const port = arg('port', 3910);
const db = await freshDatabase('bench_export');
const server = await startServer(db.url, port);
try {
  const { waveId } = await makeWave(server.url);
  const [wave] = await db.sql`select organisation_id, version_id from waves where id = ${waveId}`;
  await db.sql`
    insert into responses (organisation_id, wave_id, version_id, data, status, mode, idempotency_key)
    select ${wave.organisation_id}, ${waveId}, ${wave.version_id}, jsonb_build_object('ucla3_companionship', 1 + i % 4), 'complete', 'web', 'bench-' || i
    from generate_series(1, ${n}) as i`;
  const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))![1]) / 1024;

  for (const format of ['xlsx', 'csv']) {
    const before = rssMb();
    let peak = before;
    const health: number[] = [];
    let done = false;
    const poll = (async () => {
      while (!done) {
        const started = performance.now();
        await fetch(`${server.url}/healthz`);
        health.push(performance.now() - started);
        peak = Math.max(peak, rssMb());
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const started = performance.now();
    const res = await fetch(`${server.url}/api/waves/${waveId}/responses?format=${format}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const bytes = (await res.arrayBuffer()).byteLength;
    const seconds = (performance.now() - started) / 1000;
    done = true;
    await poll;
    health.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        format,
        responses: n,
        status: res.status,
        megabytes: +(bytes / 1e6).toFixed(1),
        seconds: +seconds.toFixed(2),
        rowsPerSecond: Math.round(n / seconds),
        serverRssMb: { before: Math.round(before), peak: Math.round(peak), growth: Math.round(peak - before) },
        healthzMs: { polls: health.length, p50: +health[Math.floor(health.length / 2)].toFixed(1), max: +health[health.length - 1].toFixed(1) },
      }),
    );
  }
} finally {
  await server.stop();
  await db.drop();
}
