/**
 * Scale benchmark for the results engine (issue 5, "Scale").
 *
 *   npx tsx tests/bench/scale.ts [--db pglite|postgres|both] [--n 1000000] [--pairs 100000] [--repeat 3]
 *                                [--pglite-n N] [--database-url postgres://…] [--json FILE] [--keep]
 *
 * For each database it builds a fresh, migrated database (PostgreSQL: a new database created on the
 * server at --database-url / BENCH_DATABASE_URL / postgres://postgres@127.0.0.1:5432/postgres and dropped
 * afterwards; PGlite: in memory), sets up the organisation, questionnaire (profile + UCLA 3-item national +
 * post-activity with the multi-select post_heard_from), waves and study through the real API, then fills the
 * tables by bulk SQL (INSERT … SELECT generate_series with random() seeded by setseed, so every run holds
 * the same answers) and measures through the real code path: every figure is an `app.request()` against the
 * app built by createApp with a bootstrapped admin token, as tests/helpers/testApp.ts does (no HTTP socket).
 *
 * --keep leaves the PostgreSQL database in place (its URL is printed) for EXPLAIN ANALYZE afterwards.
 * With --db both (the default) each database runs in its own child process so that memory figures are
 * not mixed, and one table is printed at the end.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { crosstab } from '../../analysis/index.js';
import { createApp } from '../../src/app.js';
import { bootstrapAdmin } from '../../src/auth/bootstrap.js';
import { newToken } from '../../src/auth/secrets.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { codebook } from '../../src/questionnaires/codebook.js';
import { analyticRows } from '../../src/results/analyticQuery.js';
import { STATUS_LABELS } from '../../src/results/responseTable.js';

type Kind = 'pglite' | 'postgres';
type Figure = { what: string; ms: number; peakRssMb: number; rssGrowthMb: number; note?: string };
type Result = { db: Kind; n: number; pairs: number; loadMs: number; figures: Figure[]; derived: Record<string, string>; serverNote?: string; loadAverage: string };

const ADMIN_TOKEN = `bench-admin-${randomBytes(12).toString('hex')}`;
const TEMPLATES = ['profile', 'ucla3-national', 'post-activity'];
const ROW_Q = 'profile_age_band';
const COL_Q = 'profile_gender';
/** The CSV download's header: question text, then variable names. */
const HEADER_LINES = 2;
const MULTI_Q = 'post_heard_from';

function args() {
  const a = process.argv.slice(2);
  const get = (name: string) => {
    const i = a.indexOf(`--${name}`);
    return i >= 0 ? a[i + 1] : undefined;
  };
  const db = (get('db') ?? 'both') as Kind | 'both';
  if (!['pglite', 'postgres', 'both'].includes(db)) throw new Error(`--db must be pglite, postgres or both, not ${db}`);
  const n = Number(get('n') ?? 1_000_000);
  return {
    db,
    n,
    pgliteN: get('pglite-n') ? Number(get('pglite-n')) : n,
    pairs: Number(get('pairs') ?? 100_000),
    repeat: Number(get('repeat') ?? 3),
    url: get('database-url') ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    json: get('json'),
  };
}

// ---------- measuring ----------

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Runs `work` while sampling RSS every 50 ms; growth is the peak over the RSS just before (after a GC). */
async function measure<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; peakRss: number; growth: number }> {
  gc();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const start = performance.now();
  try {
    const value = await work();
    const ms = performance.now() - start;
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, ms, peakRss: peak, growth: peak - baseline };
  } finally {
    clearInterval(timer);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One warm-up, then `repeat` timed runs; reports the median time and the largest memory figures. */
async function repeated(what: string, repeat: number, work: () => Promise<unknown>, note?: string): Promise<Figure> {
  await work();
  const runs = [];
  for (let i = 0; i < repeat; i++) runs.push(await measure(work));
  return {
    what,
    ms: median(runs.map((r) => r.ms)),
    peakRssMb: mb(Math.max(...runs.map((r) => r.peakRss))),
    rssGrowthMb: mb(Math.max(...runs.map((r) => r.growth))),
    note,
  };
}

/** Several measurements run in turn, `repeat` rounds after one warm-up round; medians as in `repeated`. */
async function interleaved(repeat: number, works: [string, () => Promise<unknown>][]): Promise<Figure[]> {
  for (const [, work] of works) await work();
  const runs = works.map(() => [] as Awaited<ReturnType<typeof measure>>[]);
  for (let i = 0; i < repeat; i++) for (const [j, [, work]] of works.entries()) runs[j].push(await measure(work));
  return works.map(([what], j) => ({
    what,
    ms: median(runs[j].map((r) => r.ms)),
    peakRssMb: mb(Math.max(...runs[j].map((r) => r.peakRss))),
    rssGrowthMb: mb(Math.max(...runs[j].map((r) => r.growth))),
  }));
}

// ---------- one database ----------

const KEEP = process.argv.includes('--keep');

async function freshDatabase(kind: Kind, url: string) {
  if (kind === 'pglite') {
    const database = await openDatabase({});
    return { database, dispose: () => database.close() };
  }
  const name = `bench_scale_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: dbUrl.toString(), poolSize: 10 });
  return {
    database,
    dispose: async () => {
      await database.close();
      if (KEEP) {
        console.error(`kept database ${dbUrl.toString()}`);
        await admin.end();
        return;
      }
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

async function check(response: Response, what: string) {
  if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return response;
}

/** Bulk SQL in one transaction, so setseed and the random() calls share a connection. */
async function seeded(database: Database, seed: number, statement: ReturnType<typeof sql>) {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`select setseed(${seed})`);
    await tx.execute(statement);
  });
}

const pick = (values: string[]) => sql.raw(`(array[${values.map((v) => `'${v}'`).join(',')}])[1 + floor(random() * ${values.length})::int]`);

async function runOne(kind: Kind, n: number, pairs: number, repeat: number, url: string): Promise<Result> {
  const { database, dispose } = await freshDatabase(kind, url);
  try {
    await database.migrate();
    await bootstrapAdmin(database, ADMIN_TOKEN);
    const hashKey = newToken(32);
    const app = createApp({ database, config: { maxBodyBytes: 256 * 1024, publicUrl: 'http://localhost' }, hashKey });
    const staff = (method: string, p: string, body?: unknown) =>
      app.request(p, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });

    // Set-up through the API: questionnaire composed from templates, published; a wave; a study with pre/post.
    const q = await (await check(await staff('POST', '/api/questionnaires', { title: 'ベンチマーク', templateIds: TEMPLATES }), 'questionnaire')).json();
    await check(await staff('POST', `/api/questionnaires/${q.id}/publish`), 'publish');
    const wave = await (await check(await staff('POST', '/api/waves', { name: 'scale', questionnaireId: q.id, openLink: false }), 'wave')).json();
    const study = await (await check(await staff('POST', '/api/studies', { name: 'scale pre/post' }), 'study')).json();
    const pre = await (await check(await staff('POST', '/api/waves', { name: 'pre', questionnaireId: q.id, studyId: study.id, phase: 'pre' }), 'pre')).json();
    const post = await (await check(await staff('POST', '/api/waves', { name: 'post', questionnaireId: q.id, studyId: study.id, phase: 'post' }), 'post')).json();
    const [{ organisation_id: orgId }] = await database.rows<{ organisation_id: string }>(sql`select organisation_id from waves where id = ${wave.id}`);
    const versionId: string = wave.versionId;

    // Bulk load: a frame of 1.25 N invitations with a city attribute; N of them answered (95 % complete).
    const frameSize = Math.round(n * 1.25);
    const cities = ['大船渡市', '陸前高田市', '気仙沼市', '一関市', '釜石市'];
    const load = performance.now();
    await seeded(
      database,
      0.11,
      sql`insert into invitations (organisation_id, wave_id, unit_id, attributes, token_hash, disposition)
        select ${orgId}, ${wave.id}, 'u' || g, jsonb_build_object('city', ${pick(cities)}),
          md5('bench' || g) || md5('token' || g),
          case when g <= ${n} then (case when random() < 0.95 then 'complete' else 'partial' end)
               else ${pick(['pending', 'refused', 'non-contact', 'ineligible'])} end
        from generate_series(1, ${frameSize}) g`,
    );
    const answers = sql`jsonb_strip_nulls(jsonb_build_object(
        'profile_age_band', case when random() < 0.02 then null else ${pick(['16_19', '20_29', '30_39', '40_49', '50_59', '60_64', '65_69', '70_74', '75_79', '80_plus', 'no_answer'])} end,
        'profile_gender', case when random() < 0.02 then null else ${pick(['female', 'male', 'other', 'no_answer'])} end,
        'profile_living_alone', ${pick(['alone', 'with_others', 'no_answer'])},
        'ucla3_companionship', 1 + floor(random() * 4)::int,
        'ucla3_left_out', 1 + floor(random() * 4)::int,
        'ucla3_isolated', 1 + floor(random() * 4)::int,
        'post_satisfaction', 1 + floor(random() * 4)::int,
        ${MULTI_Q}::text, (select jsonb_agg(o) from unnest(array['flyer','newsletter','friend_family','staff','welfare_office','web_sns','media','other']) o
                     where random() < 0.2 + 0 * length(seed_ref))))`;
    await seeded(
      database,
      0.22,
      sql`insert into responses (organisation_id, wave_id, version_id, invitation_id, data, status, mode, idempotency_key, submitted_at)
        select ${orgId}, ${wave.id}, ${versionId}, i.id, ${answers},
          case when i.disposition = 'complete' then 'complete' else 'partial' end, 'web', 'bench-' || i.unit_id,
          timestamptz '2026-01-01' + (random() * 30) * interval '1 day'
        from (select i.*, i.unit_id as seed_ref from invitations i where i.wave_id = ${wave.id} and i.disposition in ('complete', 'partial')) i`,
    );
    // Pre/post: `pairs` participants answer both waves, keyed by participant_key_hash; post is a little lower.
    for (const [w, shift, seed] of [[pre.id, 0, 0.33], [post.id, 0.1, 0.44]] as const) {
      await seeded(
        database,
        seed,
        sql`insert into responses (organisation_id, wave_id, version_id, data, status, mode, idempotency_key, participant_key_hash, submitted_at)
          select ${orgId}, ${w}, ${versionId},
            jsonb_build_object('ucla3_companionship', 1 + floor(random() * (4 - ${shift}::float8))::int,
                               'ucla3_left_out', 1 + floor(random() * (4 - ${shift}::float8))::int,
                               'ucla3_isolated', 1 + floor(random() * (4 - ${shift}::float8))::int),
            'complete', 'web', 'bench-' || g, md5('participant' || g) || md5('key' || g),
            timestamptz '2026-01-01' + (random() * 30) * interval '1 day'
          from generate_series(1, ${pairs}) g`,
      );
    }
    await database.rows(sql`analyze`);
    const loadMs = performance.now() - load;
    console.error(`[${kind}] loaded ${n} responses, ${frameSize} invitations, ${pairs} pairs in ${(loadMs / 1000).toFixed(1)} s`);

    const loadBefore = loadavg()[0].toFixed(1);
    const figures: Figure[] = [];
    const derived: Record<string, string> = {};
    const say = (f: Figure) => {
      figures.push(f);
      console.error(`[${kind}] ${f.what}: ${f.ms.toFixed(0)} ms, peak RSS ${f.peakRssMb} MB (+${f.rssGrowthMb})`);
    };
    const getJson = async (p: string) => (await check(await staff('GET', p), p)).json();

    // 1. The bare GROUP BY the cross-tab is built on, and the cross-tab through the API, in the same run,
    //    interleaved (bare, API, bare, API, …) so that a change in machine load hits both alike.
    const bareQuery = sql`select data->>${ROW_Q} as r, data->>${COL_Q} as c, count(*)::int as n
        from responses where wave_id = ${wave.id} and status = 'complete' group by 1, 2`;
    let apiTable: { table: { n: number; counts: number[][] } } | undefined;
    const [bare, bareTuned, xt] = await interleaved(repeat, [
      [`bare GROUP BY ${ROW_Q} × ${COL_Q} (SQL only, server defaults)`, () => database.rows(bareQuery)],
      [`bare GROUP BY, same SQL, with the path's settings (analyticRows)`, () => analyticRows(database, bareQuery, { hashAggregate: true })],
      [
        `cross-tab ${ROW_Q} × ${COL_Q} (GET /api/waves/:id/crosstab)`,
        async () => {
          apiTable = await getJson(`/api/waves/${wave.id}/crosstab?row=${ROW_Q}&col=${COL_Q}`);
        },
      ],
    ]);
    say(bare);
    say(bareTuned);
    say(xt);
    derived['cross-tab / bare GROUP BY'] =
      `${(xt.ms / bare.ms).toFixed(2)}× (goal ≤ 1.5× on PostgreSQL); vs the same SQL with the path's settings: ${(xt.ms / bareTuned.ms).toFixed(2)}× (app overhead)`;
    say(await repeated(`cross-tab ${MULTI_Q} (multi) × ${COL_Q}`, repeat, () => getJson(`/api/waves/${wave.id}/crosstab?row=${MULTI_Q}&col=${COL_Q}`)));
    say(await repeated(`cross-tab ${ROW_Q} × frame.city (join to frame)`, repeat, () => getJson(`/api/waves/${wave.id}/crosstab?row=${ROW_Q}&col=frame.city`)));

    // 2. Response rates by a frame attribute.
    say(await repeated(`response rates by frame.city (${frameSize} invitations)`, repeat, () => getJson(`/api/waves/${wave.id}/rates?by=city`)));

    // 3. Pre/post over `pairs` pairs.
    let report: { paired: { n: number } | null } | undefined;
    const pp = await repeated(`pre/post over ${pairs} pairs (GET /api/studies/:id/prepost)`, repeat, async () => {
      report = await getJson(`/api/studies/${study.id}/prepost`);
    });
    say(pp);
    if (report?.paired?.n !== pairs) throw new Error(`pre/post paired ${report?.paired?.n} of ${pairs}`);
    derived['pre/post'] = `${(pp.ms / 1000).toFixed(2)} s (goal < 2 s on PostgreSQL)`;

    // 4. Full CSV export, streamed and consumed chunk by chunk (bytes counted, nothing kept).
    let exported = 0;
    let lines = 0;
    // RSS at each quarter of the rows: flat memory means it stops rising after the first quarter.
    const quarters: number[] = [];
    const exp = await measure(async () => {
      const response = await check(await staff('GET', `/api/waves/${wave.id}/responses?format=csv`), 'export');
      const reader = response.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        exported += value.byteLength;
        for (let i = 0; i < value.length; i++) if (value[i] === 10) lines += 1;
        while (quarters.length < 4 && lines - HEADER_LINES >= ((quarters.length + 1) * n) / 4) quarters.push(process.memoryUsage().rss);
      }
    });
    say({
      what: `CSV export of ${n} responses, streamed (GET /api/waves/:id/responses?format=csv)`,
      ms: exp.ms,
      peakRssMb: mb(exp.peakRss),
      rssGrowthMb: mb(exp.growth),
      note: `${mb(exported)} MB, ${lines - HEADER_LINES} rows; RSS at 25/50/75/100 % of rows: ${quarters.map((q) => mb(q)).join(' / ')} MB`,
    });
    if (lines - HEADER_LINES !== n) throw new Error(`export gave ${lines - HEADER_LINES} rows, expected ${n}`);
    derived['CSV export throughput'] = `${Math.round(n / (exp.ms / 1000))} rows/s, ${(mb(exported) / (exp.ms / 1000)).toFixed(1)} MB/s; RSS growth ${mb(exp.growth)} MB for ${mb(exported)} MB of CSV`;

    // 5. The evaluator's usual alternative: download the CSV to a file, parse it all in memory, count in JS.
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-scale-'));
    try {
      const file = path.join(dir, 'responses.csv');
      const entries = codebook((await database.rows<{ id: string; status: string; definition: Record<string, unknown> }>(sql`select id, status, definition from questionnaire_versions where id = ${versionId}`))[0]);
      const categories = (name: string) => entries.find((e) => e.name === name)!.categories;
      let total = 0;
      let altCounts: number[][] = [];
      const alt = await measure(async () => {
        const response = await check(await staff('GET', `/api/waves/${wave.id}/responses?format=csv`), 'export');
        const out = createWriteStream(file);
        const reader = response.body!.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (!out.write(value)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        }
        await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
        const records = parse(readFileSync(file), { bom: true, from_line: HEADER_LINES, columns: true, skip_empty_lines: true }) as Record<string, string>[];
        const counts = new Map<string, number>();
        for (const r of records) {
          if (r.status !== STATUS_LABELS.complete) continue;
          const key = `${r[ROW_Q]}\u0000${r[COL_Q]}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        const cells = [...counts].map(([key, count]) => {
          const [row, col] = key.split('\u0000');
          return { row: row === '' ? null : row, col: col === '' ? null : col, count };
        });
        const table = crosstab({ rowCategories: categories(ROW_Q), colCategories: categories(COL_Q), cells });
        total = table.n;
        altCounts = table.counts;
      });
      say({ what: 'evaluator alternative: CSV download → parse in memory → cross-tab in JS', ms: alt.ms, peakRssMb: mb(alt.peakRss), rssGrowthMb: mb(alt.growth) });
      if (!apiTable || total !== apiTable.table.n || JSON.stringify(altCounts) !== JSON.stringify(apiTable.table.counts)) {
        throw new Error(`alternative table (n=${total}) differs from the API table (n=${apiTable?.table.n})`);
      }
      derived['alternative / API cross-tab'] = `${(alt.ms / xt.ms).toFixed(0)}× the API cross-tab's time (same counts, n=${total})`;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    return {
      db: kind,
      n,
      pairs,
      loadMs,
      figures,
      derived,
      loadAverage: `${loadBefore} before the measurements, ${loadavg()[0].toFixed(1)} after (1-minute load average; the machine has ${cpus().length} CPUs)`,
      serverNote:
        kind === 'postgres'
          ? 'RSS is the benchmark process (app, driver, JS analysis); the PostgreSQL server\'s own memory is not in it.'
          : 'RSS includes the embedded PGlite database (in memory) as well as the app.',
    };
  } finally {
    await dispose();
  }
}

// ---------- report ----------

function machine() {
  let pg = '';
  try {
    pg = spawnSync('psql', ['--version'], { encoding: 'utf8' }).stdout.trim();
  } catch {
    /* psql not installed */
  }
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout?.trim() || String(cpus().length);
  return `nproc=${nproc}, ${cpus()[0]?.model ?? 'cpu?'}, ${mb(totalmem()) / 1024 | 0} GiB RAM, node ${process.version}, ${pg || 'psql ?'}`;
}

function printReport(results: Result[], repeat: number) {
  const lines: string[] = [];
  lines.push('', `Scale benchmark (issue 5) — ${new Date().toISOString()}`, `Machine: ${machine()}`);
  lines.push(
    `Method: fresh migrated database per DB; data by INSERT … SELECT generate_series with setseed; every figure through app.request()`,
    `  on createApp with a bootstrapped admin token (no socket). Times: median of ${repeat} runs after one warm-up (export and`,
    `  alternative: one run). Peak RSS: process RSS sampled every 50 ms; growth = peak − RSS just before (after GC).`,
    '',
  );
  for (const r of results) {
    lines.push(`DB: ${r.db}   N=${r.n} responses (+${Math.round(r.n * 1.25)} frame invitations), ${r.pairs} pre/post pairs; bulk load ${(r.loadMs / 1000).toFixed(1)} s`);
    const w = Math.max(...r.figures.map((f) => f.what.length));
    lines.push(`  ${'measurement'.padEnd(w)}  ${'time'.padStart(10)}  ${'peak RSS'.padStart(10)}  ${'RSS growth'.padStart(10)}`);
    for (const f of r.figures) {
      const t = f.ms >= 1000 ? `${(f.ms / 1000).toFixed(2)} s` : `${f.ms.toFixed(0)} ms`;
      lines.push(`  ${f.what.padEnd(w)}  ${t.padStart(10)}  ${`${f.peakRssMb} MB`.padStart(10)}  ${`+${f.rssGrowthMb} MB`.padStart(10)}${f.note ? `  ${f.note}` : ''}`);
    }
    for (const [k, v] of Object.entries(r.derived)) lines.push(`  ${k}: ${v}`);
    lines.push(`  load: ${r.loadAverage}`);
    if (r.serverNote) lines.push(`  (${r.serverNote})`);
    lines.push('');
  }
  console.log(lines.join('\n'));
}

async function main() {
  const a = args();
  const self = fileURLToPath(import.meta.url);
  if (a.db === 'both') {
    // Each database in its own process, so one's memory does not show in the other's figures.
    const results: Result[] = [];
    for (const kind of ['postgres', 'pglite'] as const) {
      const dir = mkdtempSync(path.join(tmpdir(), 'bench-scale-json-'));
      const json = path.join(dir, 'result.json');
      const child = spawnSync(
        process.execPath,
        [...process.execArgv, self, '--db', kind, '--n', String(kind === 'pglite' ? a.pgliteN : a.n), '--pairs', String(a.pairs), '--repeat', String(a.repeat), '--database-url', a.url, '--json', json, '--quiet'],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
      if (child.status !== 0) throw new Error(`${kind} benchmark failed (exit ${child.status})`);
      results.push(JSON.parse(readFileSync(json, 'utf8')));
      rmSync(dir, { recursive: true, force: true });
    }
    printReport(results, a.repeat);
    if (a.json) writeFileSync(a.json, JSON.stringify(results, null, 2));
    return;
  }
  const result = await runOne(a.db, a.db === 'pglite' ? a.pgliteN : a.n, a.pairs, a.repeat, a.url);
  if (a.json) writeFileSync(a.json, JSON.stringify(result, null, 2));
  if (!process.argv.includes('--quiet')) printReport([result], a.repeat);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
