/**
 * Runs every benchmark in tests/bench, one after another, each in its own process (`npm run bench`).
 * Not part of `npm test`.
 *
 *   npm run bench                       every benchmark
 *   npm run bench -- --only scale       only tests/bench/scale.ts (comma-separated names allowed)
 *   npm run bench -- --only scale -- --db postgres --n 100000
 *                                       everything after a second `--` is passed to each benchmark
 *
 * A benchmark is any tests/bench/*.ts except this file, files whose name starts with `_`, and helpers:
 * files that another file in tests/bench imports (e.g. loadShared.ts, imported by load.ts).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const self = path.basename(fileURLToPath(import.meta.url));
const tsx = path.resolve(here, '../../node_modules/.bin/tsx');

const argv = process.argv.slice(2);
const split = argv.indexOf('--');
const own = split >= 0 ? argv.slice(0, split) : argv;
const passThrough = split >= 0 ? argv.slice(split + 1) : [];
const onlyAt = own.indexOf('--only');
const only = onlyAt >= 0 ? new Set(own[onlyAt + 1]?.split(',').map((s) => s.trim().replace(/\.ts$/, ''))) : null;

const files = readdirSync(here).filter((f) => f.endsWith('.ts') && f !== self && !f.startsWith('_') && !f.endsWith('.d.ts'));
const imported = new Set<string>();
for (const f of files) {
  for (const m of readFileSync(path.join(here, f), 'utf8').matchAll(/from\s+['"]\.\/([^'"]+?)(?:\.js|\.ts)?['"]/g)) imported.add(`${m[1]}.ts`);
}
const benches = files.filter((f) => !imported.has(f) && (!only || only.has(f.replace(/\.ts$/, '')))).sort();
if (benches.length === 0) {
  console.error(`No benchmark to run${only ? ` matching --only ${[...only].join(',')}` : ''}.`);
  process.exit(1);
}

const outcomes: { bench: string; status: number | null; seconds: number }[] = [];
for (const bench of benches) {
  console.log(`\n=== ${bench} ${passThrough.join(' ')}`.trimEnd());
  const start = performance.now();
  const child = spawnSync(tsx, [path.join(here, bench), ...passThrough], { stdio: 'inherit' });
  outcomes.push({ bench, status: child.status, seconds: Math.round((performance.now() - start) / 100) / 10 });
}
console.log('\n=== benchmarks');
for (const o of outcomes) console.log(`${o.status === 0 ? 'ok    ' : 'FAILED'} ${o.bench} (${o.seconds} s)`);
process.exit(outcomes.every((o) => o.status === 0) ? 0 : 1);
