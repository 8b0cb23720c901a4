/**
 * Shared pieces of the load and crash benchmarks: a fresh PostgreSQL database, a server process
 * started on it, a wave to answer, simulated phones, and the database-side checks.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TOKEN = 'bench-admin-token-0123456789abcdef';

export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : Number(process.env[`BENCH_${name.toUpperCase()}`] ?? fallback);
}

export async function freshDatabase(prefix: string) {
  const name = `${prefix}_${Date.now()}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 2, onnotice: () => {} });
  return {
    name,
    url: url.toString(),
    sql,
    drop: async () => {
      await sql.end();
      if (!process.env.BENCH_KEEP_DB) await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** Raw single-row insert rate of this PostgreSQL, measured now with pgbench (the yardstick for our figure). */
export async function pgbenchInsertRate(url: string, seconds = 10): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  await sql.unsafe('create table if not exists pgbench_raw_insert (id bigserial primary key, data jsonb not null, created_at timestamptz not null default now())');
  await sql.end();
  const dir = mkdtempSync(path.join(tmpdir(), 'pgbench-'));
  const script = path.join(dir, 'insert.sql');
  writeFileSync(script, `insert into pgbench_raw_insert (data) values ('{"ucla3_companionship":2,"ucla3_left_out":3,"ucla3_isolated":1}');\n`);
  const bin = ['/usr/lib/postgresql/15/bin/pgbench', 'pgbench'].find((b) => b === 'pgbench' || existsSync(b))!;
  const u = new URL(url);
  const out = spawnSync(bin, ['-n', '-h', u.hostname, '-p', u.port || '5432', '-U', u.username || 'postgres', '-c', '16', '-j', '2', '-T', String(seconds), '-f', script, u.pathname.slice(1)], { encoding: 'utf8' });
  const m = /tps = ([\d.]+)/.exec(out.stdout);
  if (!m) throw new Error(`pgbench failed: ${out.stderr}${out.stdout}`);
  return Number(m[1]);
}

export type Server = { url: string; child: ChildProcess; log: string[]; stop: () => Promise<void>; kill9: () => void };

/** Starts `src/main.ts` in its own process group (so kill -9 reaches cluster workers too). */
export async function startServer(databaseUrl: string, port: number, extraEnv: Record<string, string> = {}, nodeArgs: string[] = []): Promise<Server> {
  const log: string[] = [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      BOOTSTRAP_TOKEN: TOKEN,
      HASH_SECRET: 'bench-hash-secret-0123456789',
      TRUST_PROXY: '1',
      // Limiter stays on (its cost is measured) but high enough for 200 phones at full speed.
      RATE_LIMIT_IP_PER_MINUTE: '100000',
      RATE_LIMIT_WAVE_PER_SECOND: '100000',
      DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '20',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => log.push(String(d)));
  child.stderr!.on('data', (d) => log.push(String(d)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${log.join('')}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) {
        // With WORKERS the primary prints before workers listen; wait until answers are stable.
        await new Promise((r) => setTimeout(r, Number(extraEnv.WORKERS ?? 1) > 1 ? 1500 : 100));
        break;
      }
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${log.join('')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    log,
    kill9: () => process.kill(-child.pid!, 'SIGKILL'),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid!, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    },
  };
}

/** A published UCLA 3-item questionnaire and an open wave; returns the open-link slug and wave id. */
export async function makeWave(url: string) {
  const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const q = await (await fetch(`${url}/api/questionnaires`, { method: 'POST', headers: auth, body: JSON.stringify({ title: 'bench', templateIds: ['ucla3-national'] }) })).json();
  await fetch(`${url}/api/questionnaires/${q.id}/publish`, { method: 'POST', headers: auth });
  const wave = await (await fetch(`${url}/api/waves`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'bench', questionnaireId: q.id }) })).json();
  return { waveId: wave.id as string, slug: String(wave.openLink).split('/s/')[1] };
}

export type PhoneStats = {
  acked: Map<string, string>;
  latencies: number[];
  statuses: Map<string, number>;
  retries: number;
  retryMismatches: number;
  /** Keys whose request got no answer (connection lost): outcome unknown until retried. */
  unknown: Set<string>;
};

const agent = new http.Agent({ keepAlive: true, maxSockets: 1000 });

function post(url: string, body: string, ip: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-forwarded-for': ip } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

export function submissionBody(key: string, n: number) {
  return JSON.stringify({ idempotencyKey: key, answers: { ucla3_companionship: (n % 4) + 1, ucla3_left_out: ((n >> 2) % 4) + 1, ucla3_isolated: ((n >> 4) % 4) + 1 } });
}

/**
 * `phones` simulated phones, each submitting one response after another until `until()` is false.
 * 5% of acknowledged submissions are re-sent with the same key (a phone that lost the answer), and
 * must return the same receipt.
 */
export async function runPhones(opts: { url: string; slug: string; phones: number; until: () => boolean; run: string; stats?: PhoneStats }): Promise<PhoneStats> {
  const stats: PhoneStats = opts.stats ?? { acked: new Map(), latencies: [], statuses: new Map(), retries: 0, retryMismatches: 0, unknown: new Set() };
  const endpoint = `${opts.url}/api/public/s/${opts.slug}/responses`;
  const count = (k: string) => stats.statuses.set(k, (stats.statuses.get(k) ?? 0) + 1);
  await Promise.all(
    Array.from({ length: opts.phones }, async (_, phone) => {
      const ip = `10.${(phone >> 8) & 255}.${phone & 255}.${opts.run.length}`;
      for (let n = 0; opts.until(); n++) {
        const key = `${opts.run}-p${phone}-n${n}`;
        const body = submissionBody(key, n);
        const started = performance.now();
        try {
          const res = await post(endpoint, body, ip);
          stats.latencies.push(performance.now() - started);
          count(String(res.status));
          if (res.status === 201) {
            const id = JSON.parse(res.body).id as string;
            stats.acked.set(key, id);
            if (Math.random() < 0.05) {
              stats.retries++;
              const again = await post(endpoint, body, ip);
              const r = JSON.parse(again.body);
              if (again.status !== 201 || r.id !== id || r.replayed !== true) stats.retryMismatches++;
            }
          } else if (res.status >= 500) {
            stats.unknown.add(key);
          }
        } catch {
          // No answer (server gone): like a phone, retry the same submission with the same key.
          count('network-error');
          stats.unknown.add(key);
          n--;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }),
  );
  return stats;
}

export function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Every acknowledged receipt is in the database with its id, no key twice, every row whole. */
export async function verify(sql: postgres.Sql, waveId: string, acked: Map<string, string>, prefix = '') {
  const rows = await sql<{ id: string; idempotency_key: string; status: string; n: number }[]>`
    select id, idempotency_key, status, (select count(*) from jsonb_object_keys(data))::int as n from responses where wave_id = ${waveId} and idempotency_key like ${prefix + '%'}`;
  const byKey = new Map(rows.map((r) => [r.idempotency_key, r]));
  let missing = 0;
  let wrongId = 0;
  for (const [key, id] of acked) {
    const row = byKey.get(key);
    if (!row) missing++;
    else if (row.id !== id) wrongId++;
  }
  const partial = rows.filter((r) => r.status !== 'complete' || r.n !== 3).length;
  return { rows: rows.length, distinctKeys: byKey.size, acked: acked.size, missing, wrongId, partial, duplicates: rows.length - byKey.size };
}

/**
 * CPU seconds used so far by the server's process group, by all PostgreSQL processes, and by this
 * load generator: on a 2-core machine they share the cores, so the report says who used them.
 */
export function cpuSeconds(serverPid: number) {
  const tick = 100; // USER_HZ on Linux
  let server = 0;
  let postgresCpu = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const used = (Number(fields[11]) + Number(fields[12])) / tick;
    if (Number(fields[2]) === serverPid) server += used;
    else if (name === 'postgres' || name.startsWith('postgres:')) postgresCpu += used;
  }
  const own = process.cpuUsage();
  return { server, postgres: postgresCpu, generator: (own.user + own.system) / 1e6 };
}
