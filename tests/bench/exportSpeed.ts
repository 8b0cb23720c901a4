/**
 * Raw-responses downloads and frame-joined cross-tabs against the database's own pace (issue 16).
 *
 *   npx tsx tests/bench/exportSpeed.ts                  PostgreSQL at 1,000,000 responses, then PGlite at 200,000
 *   npx tsx tests/bench/exportSpeed.ts --db postgres --n 100000
 *   npm run bench -- --only exportSpeed -- --n 50000 --pglite-n 20000
 *
 * Settings: --db postgres|pglite|both (default both), --n N (PostgreSQL, default 1,000,000), --pglite-n N
 * (default 200,000, or --n when smaller), --repeat R (cross-tab rounds, default 3), --database-url URL
 * (default BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres).
 *
 * Method. A fresh migrated database (PostgreSQL: a scratch database created and dropped; PGlite: in memory),
 * the questionnaire (profile + UCLA-3 national + post-activity, so the CSV has a scale's score and band, a
 * multiple choice and free text) and wave made through the app, then a frame of 1.25 N invitations with a
 * city and N responses inserted by INSERT … SELECT generate_series with setseed (same answers each run),
 * then ANALYZE. Every download is an app.request() on createApp, read chunk by chunk and dropped. Each
 * database runs in its own process, so memory figures are its own.
 *
 * Printed, in one run:
 *   - CSV download: rows/s, and the ratio of its time to a COPY (SELECT …) TO STDOUT WITH (FORMAT csv) of the
 *     same projection (csvCells: the same cells, labels, times and order) run just before it (PostgreSQL:
 *     through postgres.js; PGlite: COPY … TO '/dev/blob'); goal ≤ 3×;
 *   - RSS growth of the process over the CSV download (peak sampled every 50 ms over the RSS before, after a
 *     GC); goal < 64 MB at 1M rows on PostgreSQL;
 *   - XLSX download: rows/s and RSS growth;
 *   - frame-joined cross-tab: GET /crosstab?row=profile_age_band&col=frame.city against the bare GROUP BY
 *     with the same join run alone (interleaved rounds, medians); goal ≤ 1.5×.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import postgres from 'postgres';
import { createApp } from '../../src/app.js';
import { bootstrapAdmin } from '../../src/auth/bootstrap.js';
import { newToken } from '../../src/auth/secrets.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { csvCellCount, csvCells } from '../../src/results/csvCells.js';
import { responseTable } from '../../src/results/responseTable.js';

type Kind = 'pglite' | 'postgres';

const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const only = (flag('db') ?? 'both') as Kind | 'both';
const n = Number(flag('n') ?? 1_000_000);
const pgliteN = Number(flag('pglite-n') ?? Math.min(n, 200_000));
const repeat = Number(flag('repeat') ?? 3);
const url = flag('database-url') ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ADMIN_TOKEN = `bench-admin-${randomBytes(12).toString('hex')}`;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** Time and the peak RSS over the RSS just before (after a GC), sampled every 50 ms. */
async function measure(work: () => Promise<unknown>): Promise<{ ms: number; growthMb: number }> {
  gc();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const start = performance.now();
  try {
    await work();
    const ms = performance.now() - start;
    return { ms, growthMb: mb(Math.max(peak, process.memoryUsage().rss) - baseline) };
  } finally {
    clearInterval(timer);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const pick = (values: string[]) => sql.raw(`(array[${values.map((v) => `'${v}'`).join(',')}])[1 + floor(random() * ${values.length})::int]`);

async function seeded(database: Database, seed: number, statement: SQL) {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`select setseed(${seed})`);
    await tx.execute(statement);
  });
}

/** A query's text with its parameters written in as literals: COPY takes no parameters. */
function inlined(database: Database, query: SQL): string {
  const { sql: text, params } = (database.db as unknown as { dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } } }).dialect.sqlToQuery(query);
  return text.replace(/\$(\d+)/g, (_, k) => `'${String(params[Number(k) - 1]).replace(/'/g, "''")}'`);
}

/** COPY of a query to CSV, the bytes read and dropped; the planner settings the download's pages use. */
async function copyBytes(database: Database, select: string): Promise<number> {
  const settings = `set enable_sort = off; set jit = off`;
  const copy = `copy (${select}) to stdout with (format csv)`;
  const client = (database.db as unknown as { $client: unknown }).$client;
  if (database.driver === 'pglite') {
    const pg = client as PGlite;
    await pg.exec(settings);
    const [result] = await pg.exec(copy.replace('to stdout', `to '/dev/blob'`));
    await pg.exec('reset enable_sort; reset jit');
    return result.blob?.size ?? 0;
  }
  const reserved = await (client as postgres.Sql).reserve();
  try {
    await reserved.unsafe(settings).simple();
    let bytes = 0;
    for await (const chunk of await reserved.unsafe(copy).readable()) bytes += (chunk as Buffer).length;
    await reserved.unsafe('reset enable_sort; reset jit').simple();
    return bytes;
  } finally {
    reserved.release();
  }
}

async function runOne(kind: Kind, rows: number) {
  let dropDatabase = async () => {};
  let database: Database;
  if (kind === 'pglite') database = await openDatabase({});
  else {
    const name = `bench_export_${Date.now()}_${randomBytes(3).toString('hex')}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const dbUrl = new URL(url);
    dbUrl.pathname = `/${name}`;
    database = await openDatabase({ databaseUrl: dbUrl.toString(), poolSize: 10 });
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
  try {
    await database.migrate();
    await bootstrapAdmin(database, ADMIN_TOKEN);
    const app = createApp({ database, config: { maxBodyBytes: 256 * 1024, publicUrl: 'http://localhost' }, hashKey: newToken(32) });
    const staff = async (method: string, path: string, body?: unknown) => {
      const res = await app.request(path, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res;
    };
    const q = await (await staff('POST', '/api/questionnaires', { title: 'ベンチマーク', templateIds: ['profile', 'ucla3-national', 'post-activity'] })).json();
    await staff('POST', `/api/questionnaires/${q.id}/publish`);
    const wave = await (await staff('POST', '/api/waves', { name: 'export', questionnaireId: q.id, openLink: false })).json();
    const [{ organisation_id: orgId }] = await database.rows<{ organisation_id: string }>(sql`select organisation_id from waves where id = ${wave.id}`);

    const load = performance.now();
    await seeded(
      database,
      0.11,
      sql`insert into invitations (organisation_id, wave_id, unit_id, attributes, token_hash, disposition)
        select ${orgId}, ${wave.id}, 'u' || g, jsonb_build_object('city', ${pick(['大船渡市', '陸前高田市', '気仙沼市', '一関市', '釜石市'])}),
          md5('bench' || g) || md5('token' || g), case when g <= ${rows} then 'complete' else 'pending' end
        from generate_series(1, ${Math.round(rows * 1.25)}) g`,
    );
    const answers = sql`jsonb_strip_nulls(jsonb_build_object(
        'profile_age_band', case when random() < 0.02 then null else ${pick(['16_19', '20_29', '30_39', '40_49', '50_59', '60_64', '65_69', '70_74', '75_79', '80_plus', 'no_answer'])} end,
        'profile_gender', ${pick(['female', 'male', 'other', 'no_answer'])},
        'profile_living_alone', ${pick(['alone', 'with_others', 'no_answer'])},
        'ucla3_companionship', 1 + floor(random() * 4)::int,
        'ucla3_left_out', 1 + floor(random() * 4)::int,
        'ucla3_isolated', case when random() < 0.05 then null else 1 + floor(random() * 4)::int end,
        'post_satisfaction', 1 + floor(random() * 4)::int,
        'post_comment', case when random() < 0.1 then 'とても楽しかった、また来たい' end,
        'post_heard_from', (select jsonb_agg(o) from unnest(array['flyer','newsletter','friend_family','staff']) o where random() < 0.3 + 0 * length(i.unit_id))))`;
    await seeded(
      database,
      0.22,
      sql`insert into responses (organisation_id, wave_id, version_id, invitation_id, data, status, mode, idempotency_key, submitted_at)
        select ${orgId}, ${wave.id}, ${wave.versionId}, i.id, ${answers}, case when random() < 0.95 then 'complete' else 'partial' end, 'web',
          'bench-' || i.unit_id, timestamptz '2026-01-01' + (random() * 30) * interval '1 day'
        from invitations i where i.wave_id = ${wave.id} and i.disposition = 'complete'`,
    );
    await database.rows(sql`analyze`);
    console.error(`[${kind}] loaded ${rows} responses in ${((performance.now() - load) / 1000).toFixed(1)} s`);

    const [version] = await database.rows<{ id: string; status: string; definition: Record<string, unknown>; scoring: unknown[] }>(
      sql`select id, status, definition, scoring from questionnaire_versions where id = ${wave.versionId}`,
    );
    const table = await responseTable(database, wave.id, version);
    const cells = Array.from({ length: csvCellCount(table) }, (_, k) => `c${k}`).join(', ');
    const projection = inlined(database, sql`select ${sql.raw(cells)}, items from (${csvCells(table, sql`r.wave_id = ${wave.id}`)}) s`);

    const download = (format: string) => async () => {
      const res = await staff('GET', `/api/waves/${wave.id}/responses?format=${format}`);
      const reader = res.body!.getReader();
      let lines = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (format === 'csv') for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
      }
      if (format === 'csv' && lines !== rows + 2) throw new Error(`CSV had ${lines - 2} rows, not ${rows}`);
    };
    let copied = 0;
    const copy = await measure(async () => (copied = await copyBytes(database, projection)));
    const csv = await measure(download('csv'));
    const xlsx = await measure(download('xlsx'));

    const bare = sql`select r.data->>'profile_age_band' as row, case when r.invitation_id is null then 'outside' else i.attributes->>'city' end as col, count(*)::int
      from responses r left join invitations i on i.id = r.invitation_id where r.wave_id = ${wave.id} and r.status in ('complete') group by 1, 2`;
    const crosstab = async () => staff('GET', `/api/waves/${wave.id}/crosstab?row=profile_age_band&col=frame.city`).then((r) => r.json());
    await database.rows(bare);
    await crosstab();
    const bareMs: number[] = [];
    const apiMs: number[] = [];
    for (let i = 0; i < repeat; i++) {
      bareMs.push((await measure(() => database.rows(bare))).ms);
      apiMs.push((await measure(crosstab)).ms);
    }
    const perSecond = (ms: number) => Math.round(rows / (ms / 1000));
    return {
      kind,
      rows,
      lines: [
        `COPY of the same projection (${mb(copied)} MB): ${(copy.ms / 1000).toFixed(2)} s, ${perSecond(copy.ms)} rows/s`,
        `CSV download: ${(csv.ms / 1000).toFixed(2)} s, ${perSecond(csv.ms)} rows/s, ${(csv.ms / copy.ms).toFixed(2)}× the COPY (goal ≤ 3×); RSS growth ${csv.growthMb} MB (goal < 64 MB)`,
        `XLSX download: ${(xlsx.ms / 1000).toFixed(2)} s, ${perSecond(xlsx.ms)} rows/s; RSS growth ${xlsx.growthMb} MB`,
        `cross-tab profile_age_band × frame.city: ${median(apiMs).toFixed(0)} ms against its bare GROUP BY with the join ${median(bareMs).toFixed(0)} ms: ${(median(apiMs) / median(bareMs)).toFixed(2)}× (goal ≤ 1.5×; medians of ${repeat})`,
        `load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs`,
      ],
    };
  } finally {
    await database.close();
    await dropDatabase();
  }
}

const self = fileURLToPath(import.meta.url);
if (only === 'both') {
  // Each database in its own process, so one's memory does not show in the other's figures.
  let failed = false;
  for (const kind of ['postgres', 'pglite'] as const) {
    const rest = argv.filter((a, i) => a !== '--db' && argv[i - 1] !== '--db');
    const child = spawnSync(process.execPath, [...process.execArgv, self, ...rest, '--db', kind], { stdio: 'inherit' });
    failed ||= child.status !== 0;
  }
  process.exit(failed ? 1 : 0);
} else {
  const result = await runOne(only, only === 'pglite' ? pgliteN : n);
  console.log(`\n${result.kind}, ${result.rows} responses:\n${result.lines.map((l) => `  ${l}`).join('\n')}`);
}
