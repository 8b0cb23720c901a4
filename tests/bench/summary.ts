/**
 * Wave summary (単純集計) benchmark (issue 12): waveSummary() over a wave of a questionnaire composed of three
 * templates, against the plain alternative of one `GROUP BY` per question run in the same process.
 *
 *   npx tsx tests/bench/summary.ts                      PostgreSQL at 1,000,000 responses, then PGlite at 100,000
 *   BENCH_SUMMARY_DB=pglite BENCH_SUMMARY_PGLITE_N=20000 npx tsx tests/bench/summary.ts
 *   npm run bench -- --only summary -- --db postgres --n 200000
 *
 * Settings (flag, or environment variable; flags win):
 *   --db postgres|pglite|both    BENCH_SUMMARY_DB         which databases (default both)
 *   --n N                        BENCH_SUMMARY_N          responses on PostgreSQL (default 1,000,000)
 *   --pglite-n N                 BENCH_SUMMARY_PGLITE_N   responses on PGlite (default 100,000)
 *   --repeat R                   BENCH_SUMMARY_REPEAT     timed rounds after one warm-up round (default 3)
 *   --templates a,b,c            BENCH_SUMMARY_TEMPLATES  (default ucla3-national,lsns6,post-activity: single choice,
 *                                                         one multiple choice, free text, two scored scales)
 *                                BENCH_ADMIN_URL          server to create the scratch database on
 *                                                         (default postgres://postgres@127.0.0.1:5432/postgres)
 *                                BENCH_KEEP_DB=1          keep the PostgreSQL database (URL printed) for EXPLAIN ANALYZE
 *
 * Method. Each database is fresh and migrated (PostgreSQL: `create database bench_summary_…` on the server,
 * dropped at the end; PGlite: in memory). The organisation, questionnaire (POST /api/questionnaires with the
 * template ids, then publish) and wave are made through the app (createApp + a bootstrapped admin token, no
 * socket). Responses are then inserted by one INSERT … SELECT over generate_series, with random() seeded by
 * setseed so every run holds the same answers, generated from the version's codebook: every choice question
 * answered with a uniformly drawn code (3 % left unanswered), the multiple choice as a random subset of its
 * options (each 20 %; empty means unanswered), 10 % of free-text questions written. All responses are complete.
 * Then VACUUM ANALYZE.
 *
 * Timed, interleaved round by round (summary, baseline, summary, baseline, …) after one warm-up round of each,
 * so that the load of the shared machine falls on both alike; figures are medians:
 *   - summary:  waveSummary(database, wave, codebook(version), version.scoring, { statuses: ['complete'],
 *               texts: 200 }), as the results page calls it (200 = the page's free-text list length);
 *   - baseline: one plain query per question, run one after another and summed, with the server's defaults:
 *               single choice (and number) `select r.data->>q, count(*) from responses r where r.wave_id = $1
 *               and r.status = 'complete' group by 1`, multiple choice the same over
 *               jsonb_array_elements_text(r.data->q), a matrix one such query per row. Free-text questions and
 *               scale scores have no baseline query (the summary does them on top).
 * The summary's counts are checked against the baseline's before anything is printed.
 *
 * Targets (issue 12): PostgreSQL ratio summary / baseline ≤ 2; PGlite at 100k responses < 3 s.
 * Nothing here is part of `npm test`; the bench prints PASS/FAIL and exits 0 unless it could not run.
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { sql, type SQL } from 'drizzle-orm';
import { createApp } from '../../src/app.js';
import { bootstrapAdmin } from '../../src/auth/bootstrap.js';
import { newToken } from '../../src/auth/secrets.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { codebook, type CodebookEntry } from '../../src/questionnaires/codebook.js';
import { waveSummary, type WaveSummary } from '../../src/results/waveSummary.js';
import { freshDatabase as scratchDatabase } from './loadShared.js';

type Kind = 'postgres' | 'pglite';

const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const setting = (name: string, env: string, fallback: string) => flag(name) ?? process.env[env] ?? fallback;

const DB = setting('db', 'BENCH_SUMMARY_DB', 'both') as Kind | 'both';
if (!['postgres', 'pglite', 'both'].includes(DB)) throw new Error(`--db must be postgres, pglite or both, not ${DB}`);
const SIZES: Record<Kind, number> = {
  postgres: Number(setting('n', 'BENCH_SUMMARY_N', '1000000')),
  pglite: Number(setting('pglite-n', 'BENCH_SUMMARY_PGLITE_N', '100000')),
};
const REPEAT = Number(setting('repeat', 'BENCH_SUMMARY_REPEAT', '3'));
const TEMPLATES = setting('templates', 'BENCH_SUMMARY_TEMPLATES', 'ucla3-national,lsns6,post-activity').split(',').map((t) => t.trim());
/** Free-text answers listed per question on the results page (FREE_TEXTS_ON_PAGE in src/results/pageRoutes.tsx). */
const TEXTS = 200;
const TARGET_RATIO = 2;
const TARGET_PGLITE_MS = 3000;

const ADMIN_TOKEN = `bench-admin-${randomBytes(12).toString('hex')}`;

// ---------- database ----------

/** PGlite in memory, or a new database on the server (tests/bench/loadShared.ts), dropped by `dispose`. */
async function freshDatabase(kind: Kind) {
  if (kind === 'pglite') {
    const database = await openDatabase({});
    return { database, where: 'PGlite in memory', dispose: () => database.close() };
  }
  const scratch = await scratchDatabase('bench_summary');
  const database = await openDatabase({ databaseUrl: scratch.url, poolSize: 5 });
  return {
    database,
    where: `database ${scratch.name} on ${new URL(scratch.url).host}`,
    dispose: async () => {
      await database.close();
      if (process.env.BENCH_KEEP_DB) console.error(`kept database ${scratch.url}`);
      await scratch.drop();
    },
  };
}

/** Bulk SQL in one transaction, so setseed and the random() calls share a connection. */
async function seeded(database: Database, seed: number, statement: SQL) {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`select setseed(${seed})`);
    await tx.execute(statement);
  });
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
/** A code as it is stored in answers: numbers as JSON numbers (SurveyJS keeps choice values' types). */
const jsonCode = (code: string) => (/^-?\d+(\.\d+)?$/.test(code) ? code : JSON.stringify(code));
const randomOf = (codes: string[], row: string) =>
  `(${literal(`[${codes.map(jsonCode).join(',')}]`)}::jsonb -> (floor(random() * ${codes.length})::int + 0 * ${row}))`;

/** One response's answers as a jsonb expression over generate_series column `g`, from the codebook. */
function answersExpression(entries: CodebookEntry[]): SQL {
  const pairs: string[] = [];
  for (const e of entries) {
    const missing = (value: string) => `case when random() < 0.03 then null else ${value} end`;
    if (e.shape === 'single' && e.categories.length) pairs.push(`${literal(e.name)}, ${missing(randomOf(e.categories.map((c) => c.code), 'g'))}`);
    if (e.shape === 'multiple' && e.categories.length) {
      const options = `${literal(`[${e.categories.map((c) => jsonCode(c.code)).join(',')}]`)}::jsonb`;
      pairs.push(`${literal(e.name)}, (select jsonb_agg(o) from jsonb_array_elements(${options}) o where random() < 0.2 + 0 * g)`);
    }
    if (e.shape === 'matrix') {
      const rows = e.rows.map((r) => `${literal(r.code)}, ${missing(randomOf(e.categories.map((c) => c.code), 'g'))}`);
      pairs.push(`${literal(e.name)}, jsonb_strip_nulls(jsonb_build_object(${rows.join(', ')}))`);
    }
    if (e.shape === 'number') pairs.push(`${literal(e.name)}, ${missing('to_jsonb(floor(random() * 100)::int + 0 * g)')}`);
    if (e.shape === 'text') pairs.push(`${literal(e.name)}, case when random() < 0.1 then to_jsonb('感想 ' || g) end`);
  }
  // jsonb_build_object takes at most 100 arguments: 40 questions per call, joined with ||.
  const chunks: string[] = [];
  for (let i = 0; i < pairs.length; i += 40) chunks.push(`jsonb_build_object(${pairs.slice(i, i + 40).join(', ')})`);
  return sql.raw(`jsonb_strip_nulls(${chunks.join(' || ') || "'{}'::jsonb"})`);
}

// ---------- the two things timed ----------

type Cell = { q: string; sub: string | null; code: string | null; count: number };

/** One plain GROUP BY per question with the server's defaults, run one after another; its counts, for checking. */
async function baseline(database: Database, waveId: string, entries: CodebookEntry[]): Promise<Cell[]> {
  const cells: Cell[] = [];
  const where = sql`where r.wave_id = ${waveId} and r.status = 'complete'`;
  for (const e of entries) {
    if (e.shape === 'single' || e.shape === 'number') {
      const rows = await database.rows<{ code: string | null; count: number }>(sql`select r.data->>${e.name} as code, count(*)::int as count from responses r ${where} group by 1`);
      cells.push(...rows.map((r) => ({ q: e.name, sub: null, code: r.code, count: Number(r.count) })));
    } else if (e.shape === 'multiple') {
      const rows = await database.rows<{ code: string | null; count: number }>(
        sql`select o as code, count(*)::int as count from responses r cross join lateral jsonb_array_elements_text(r.data->${e.name}) o ${where} group by 1`,
      );
      cells.push(...rows.map((r) => ({ q: e.name, sub: null, code: r.code, count: Number(r.count) })));
    } else if (e.shape === 'matrix') {
      for (const row of e.rows) {
        const rows = await database.rows<{ code: string | null; count: number }>(
          sql`select r.data->${e.name}->>${row.code} as code, count(*)::int as count from responses r ${where} group by 1`,
        );
        cells.push(...rows.map((r) => ({ q: e.name, sub: row.code, code: r.code, count: Number(r.count) })));
      }
    }
  }
  return cells;
}

/** The summary's counts must be the baseline's: every code of every counted question, and every no-answer. */
function check(summary: WaveSummary, cells: Cell[], entries: CodebookEntry[], n: number) {
  const problems: string[] = [];
  if (summary.groups[0].n !== n) problems.push(`summary n=${summary.groups[0].n}, expected ${n}`);
  const expect = (what: string, got: number, want: number) => {
    if (got !== want) problems.push(`${what}: summary ${got}, baseline ${want}`);
  };
  for (const q of summary.questions) {
    const e = entries.find((x) => x.name === q.name)!;
    const mine = cells.filter((c) => c.q === q.name);
    if (q.kind === 'choice') {
      const table = q.groups[0];
      for (const line of table.lines) {
        if (line.code === null) {
          if (e.shape === 'single') expect(`${q.name} 無回答`, line.count, mine.find((c) => c.code === null)?.count ?? 0);
        } else expect(`${q.name}=${line.code}`, line.count, mine.find((c) => c.code === line.code)?.count ?? 0);
      }
    } else if (q.kind === 'matrix') {
      for (const row of q.rows) {
        for (const line of row.groups[0].lines) expect(`${q.name}[${row.code}]=${line.code}`, line.count, mine.find((c) => c.sub === row.code && c.code === line.code)?.count ?? 0);
      }
    }
  }
  if (problems.length) throw new Error(`summary and baseline disagree:\n  ${problems.slice(0, 20).join('\n  ')}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

// ---------- one database ----------

type Result = {
  kind: Kind;
  n: number;
  where: string;
  loadMs: number;
  tableMb: number;
  questions: string;
  queries: number;
  summaryMs: number[];
  baselineMs: number[];
  settings: string;
  version: string;
  load: string;
};

async function runOne(kind: Kind, n: number): Promise<Result> {
  const { database, where, dispose } = await freshDatabase(kind);
  try {
    await database.migrate();
    await bootstrapAdmin(database, ADMIN_TOKEN);
    const app = createApp({ database, config: { maxBodyBytes: 256 * 1024, publicUrl: 'http://localhost' }, hashKey: newToken(32) });
    const staff = async (method: string, path: string, body?: unknown) => {
      const response = await app.request(path, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.json();
    };

    // The app's own compose and publish path.
    const q = await staff('POST', '/api/questionnaires', { title: '単純集計ベンチマーク', templateIds: TEMPLATES });
    await staff('POST', `/api/questionnaires/${q.id}/publish`);
    const wave = await staff('POST', '/api/waves', { name: 'summary bench', questionnaireId: q.id, openLink: false });
    const [version] = await database.rows<{ id: string; status: string; definition: Record<string, unknown>; scoring: unknown[]; organisation_id: string }>(
      sql`select v.id, v.status, v.definition, v.scoring, w.organisation_id from questionnaire_versions v join waves w on w.version_id = v.id where w.id = ${wave.id}`,
    );
    const entries = codebook(version);
    const scoring = typeof version.scoring === 'string' ? JSON.parse(version.scoring) : (version.scoring ?? []);

    console.error(`[${kind}] inserting ${n} responses into ${where} …`);
    const load = await timed(async () => {
      await seeded(
        database,
        0.12,
        sql`insert into responses (organisation_id, wave_id, version_id, data, status, mode, idempotency_key, submitted_at)
          select ${version.organisation_id}, ${wave.id}, ${version.id}, ${answersExpression(entries)}, 'complete', 'web', 'bench-' || g,
            timestamptz '2026-01-01' + (g::float8 / ${n}) * interval '30 days'
          from generate_series(1, ${n}) g`,
      );
      await database.rows(sql`vacuum analyze responses`);
    });
    const [{ mb }] = await database.rows<{ mb: number }>(sql`select (pg_total_relation_size('responses') / 1048576)::int as mb`);
    console.error(`[${kind}] loaded in ${(load.ms / 1000).toFixed(1)} s (responses: ${mb} MB with indexes)`);

    const counted = entries.filter((e) => ['single', 'number', 'multiple', 'matrix'].includes(e.shape));
    const queries = counted.reduce((k, e) => k + (e.shape === 'matrix' ? e.rows.length : 1), 0);
    const shapes = new Map<string, number>();
    for (const e of entries) shapes.set(e.shape, (shapes.get(e.shape) ?? 0) + 1);

    const summarise = () => waveSummary(database, wave, entries, scoring, { statuses: ['complete'], texts: TEXTS });
    const plain = () => baseline(database, wave.id, entries);

    // Warm-up round (also the correctness check), then interleaved timed rounds.
    check(await summarise(), await plain(), entries, n);
    const summaryMs: number[] = [];
    const baselineMs: number[] = [];
    const loadBefore = loadavg()[0].toFixed(2);
    for (let i = 0; i < REPEAT; i++) {
      summaryMs.push((await timed(summarise)).ms);
      baselineMs.push((await timed(plain)).ms);
      console.error(`[${kind}] round ${i + 1}: summary ${summaryMs[i].toFixed(0)} ms, baseline ${baselineMs[i].toFixed(0)} ms`);
    }
    const names = ['work_mem', 'shared_buffers', 'max_parallel_workers_per_gather', 'jit', 'enable_hashagg', 'effective_cache_size', 'hash_mem_multiplier'];
    const shown: string[] = [];
    for (const name of names) {
      const [row] = await database.rows<{ setting: string }>(sql`select current_setting(${name}, true) as setting`);
      shown.push(`${name}=${row.setting}`);
    }
    const [{ version: pgVersion }] = await database.rows<{ version: string }>(sql`select version()`);
    return {
      kind,
      n,
      where,
      loadMs: load.ms,
      tableMb: Number(mb),
      questions: `${entries.length} questions (${[...shapes].map(([s, k]) => `${k} ${s}`).join(', ')}), ${scoring.length} scored scale(s)`,
      queries,
      summaryMs,
      baselineMs,
      settings: shown.join(', '),
      version: pgVersion,
      load: `1-minute load average ${loadBefore} before the timed rounds, ${loadavg()[0].toFixed(2)} after`,
    };
  } finally {
    await dispose();
  }
}

// ---------- report ----------

const seconds = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

function report(results: Result[]) {
  const lines = [
    '',
    `Wave summary benchmark (issue 12) — ${new Date().toISOString()}`,
    `Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, node ${process.version}; shared with other work`,
    `Questionnaire: templates ${TEMPLATES.join(' + ')}, composed and published through the API; all responses complete`,
    `Times: median of ${REPEAT} rounds after one warm-up round, summary and baseline interleaved in the same process`,
    '',
  ];
  for (const r of results) {
    const summary = median(r.summaryMs);
    const base = median(r.baselineMs);
    const ratio = summary / base;
    lines.push(`${r.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'}: ${r.n.toLocaleString('en')} responses, ${r.questions}`);
    lines.push(`  ${r.version}`);
    lines.push(`  settings: ${r.settings}`);
    lines.push(`  load: ${seconds(r.loadMs)} (INSERT … SELECT generate_series + VACUUM ANALYZE), responses table ${r.tableMb} MB with indexes; ${r.load}`);
    lines.push(`  waveSummary (texts ${TEXTS}):                ${seconds(summary).padStart(9)}   runs ${r.summaryMs.map((m) => m.toFixed(0)).join(' / ')} ms`);
    lines.push(`  baseline, ${String(r.queries).padStart(2)} GROUP BYs one after another: ${seconds(base).padStart(9)}   runs ${r.baselineMs.map((m) => m.toFixed(0)).join(' / ')} ms`);
    lines.push(`  ratio summary / baseline: ${ratio.toFixed(2)}×`);
    if (r.kind === 'postgres') lines.push(`  target ratio ≤ ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? 'PASS' : 'FAIL'}${r.n === 1_000_000 ? '' : ` (issue's size is 1,000,000; this run ${r.n})`}`);
    else lines.push(`  target summary < ${TARGET_PGLITE_MS / 1000} s: ${summary < TARGET_PGLITE_MS ? 'PASS' : 'FAIL'}${r.n === 100_000 ? '' : ` (issue's size is 100,000; this run ${r.n})`}`);
    lines.push('');
  }
  console.log(lines.join('\n'));
}

async function main() {
  const kinds: Kind[] = DB === 'both' ? ['postgres', 'pglite'] : [DB];
  const results: Result[] = [];
  for (const kind of kinds) results.push(await runOne(kind, SIZES[kind]));
  report(results);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
