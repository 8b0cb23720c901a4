import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { bootstrapAdmin } from '../../src/auth/bootstrap.js';
import { loadHashKey } from '../../src/auth/secrets.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { kesennumaWave } from '../helpers/kesennuma.js';
import { ADMIN_TOKEN, openWave, type TestApp } from '../helpers/testApp.js';

const adminUrl = process.env.TEST_DATABASE_URL;
const ROOT = path.resolve(import.meta.dirname, '../..');

/** The app on a database, as the server would run it: the hashing key from the key file beside DATA_DIR. */
async function appOn(database: Database, keyFile: string): Promise<TestApp> {
  const hashKey = await loadHashKey(database, { keyFile });
  const app = createApp({ database, config: { maxBodyBytes: 256 * 1024, publicUrl: 'http://localhost' }, hashKey });
  const request = async (p: string, init?: RequestInit) => app.request(p, init);
  const staff = async (method: string, p: string, body?: unknown) =>
    app.request(p, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { database, app, request, staff, hashKey };
}

const ucla3 = (v: number) => ({ ucla3_companionship: v, ucla3_left_out: Math.min(3, v + 1), ucla3_isolated: v });

function answer(t: TestApp, slug: string, key: string, code: string, v: number) {
  return t.request(`/api/public/s/${slug}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idempotencyKey: key, participantCode: code, answers: ucla3(v) }) });
}

function login(t: TestApp) {
  return t.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'evaluator@example.jp', password: 'evaluator password 1' }) });
}

type Study = { kesennuma: string; studyId: string; preSlug: string; postSlug: string };

/** What staff read off a study: rates, a cross-tab, the pre/post report, and whether the evaluator can log in. */
async function readings(t: TestApp, s: Study) {
  const json = async (p: string) => (await t.staff('GET', p)).json();
  const signedIn = await login(t);
  return {
    rates: await json(`/api/waves/${s.kesennuma}/rates?by=city`),
    crosstab: await json(`/api/waves/${s.kesennuma}/crosstab?row=kesen_legal_type&col=kesen_city`),
    prepost: await json(`/api/studies/${s.studyId}/prepost`),
    login: { status: signedIn.status, user: (await signedIn.json()).user?.email },
  };
}

function moveCommand(dataDir: string, to: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  delete env.HASH_SECRET;
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'move-to-postgres', '--to', to], { cwd: ROOT, env, encoding: 'utf8' });
}

/** Issue 16: the embedded database moves to PostgreSQL with one command, and nothing reads differently. */
describe.skipIf(!adminUrl)('moving the embedded database to PostgreSQL', () => {
  const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'move-')), 'data');
  const keyFile = `${dataDir}-hash.key`;
  const name = `move_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const target = Object.assign(new URL(adminUrl ?? 'postgres://x/'), { pathname: `/${name}` }).toString();
  const admin = adminUrl ? postgres(adminUrl, { max: 1, onnotice: () => {} }) : null;
  let study: Study;
  let before: Awaited<ReturnType<typeof readings>>;

  beforeAll(async () => {
    await admin!.unsafe(`create database ${name}`);
    const source = await openDatabase({ dataDir });
    await source.migrate();
    await bootstrapAdmin(source, ADMIN_TOKEN);
    const t = await appOn(source, keyFile);
    const kesennuma = await kesennumaWave(t);
    const { id: studyId } = await (await t.staff('POST', '/api/studies', { name: '移行前後' })).json();
    const pre = await openWave(t, ['ucla3-national'], { studyId, phase: 'pre', askParticipantCode: true });
    const post = await openWave(t, ['ucla3-national'], { studyId, phase: 'post', askParticipantCode: true });
    for (const [i, code] of ['A1', 'B2', 'C3', 'D4', 'E5'].entries()) {
      expect((await answer(t, pre.slug, `pre-${code}-key`, code, 3)).status).toBe(201);
      if (i < 4) expect((await answer(t, post.slug, `post-${code}-key`, code, 1 + (i % 3))).status).toBe(201);
    }
    expect((await t.staff('POST', '/api/users', { email: 'evaluator@example.jp', name: '評価者', role: 'evaluator', password: 'evaluator password 1' })).status).toBe(201);
    study = { kesennuma, studyId, preSlug: pre.slug, postSlug: post.slug };
    before = await readings(t, study);
    await source.close();
  }, 300_000);

  afterAll(async () => {
    await admin?.unsafe(`drop database if exists ${name} with (force)`);
    await admin?.end();
    rmSync(path.dirname(dataDir), { recursive: true, force: true });
  });

  it('copies every table, checks the counts, and says what to set next', () => {
    const moved = moveCommand(dataDir, target);
    expect(moved.stderr).toBe('');
    expect(moved.status).toBe(0);
    for (const table of ['organisations', 'users', 'waves', 'invitations', 'responses', 'audit_events']) expect(moved.stdout).toMatch(new RegExp(`^${table}\\s+(\\d+)\\s+\\1$`, 'm'));
    expect(moved.stdout).toMatch(/^responses\s+77\s+77$/m);
    expect(moved.stdout).toContain('すべての表の件数が一致しました');
    expect(moved.stdout).toContain(`HASH_KEY_FILE=${keyFile}`);
  }, 120_000);

  it('rates, a cross-tab, the pre/post report and a login read the same on PostgreSQL', async () => {
    const moved = await openDatabase({ databaseUrl: target, poolSize: 2 });
    try {
      const t = await appOn(moved, keyFile);
      const after = await readings(t, study);
      expect(before.login).toEqual({ status: 200, user: 'evaluator@example.jp' });
      expect(before.prepost.paired.n).toBe(4);
      expect(after).toEqual(before);
      // The key moved with it: a participant code typed after the move pairs with its answer from before.
      expect((await answer(t, study.postSlug, 'post-E5-key', 'E5', 2)).status).toBe(201);
      expect((await (await t.staff('GET', `/api/studies/${study.studyId}/prepost`)).json()).paired.n).toBe(5);
    } finally {
      await moved.close();
    }
  }, 120_000);

  it('refuses a target that is not empty, in Japanese and English, changing nothing', async () => {
    const again = moveCommand(dataDir, target);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('移行先のデータベースは空ではありません');
    expect(again.stderr).toContain('The target database is not empty');
    const check = postgres(target, { max: 1, onnotice: () => {} });
    try {
      const [{ n }] = await check<{ n: number }[]>`select count(*)::int as n from responses`;
      expect(n).toBe(78);
    } finally {
      await check.end();
    }
  }, 60_000);
});
