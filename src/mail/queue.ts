import PgBoss from 'pg-boss';
import type { Database } from '../db/database.js';

/**
 * The job queue for e-mail rounds: pg-boss, with its tables (schema `pgboss`) in the app's own database
 * on either driver. pg-boss talks to PostgreSQL through any object with executeSql(text, values); this
 * one runs on the app's client, so it works the same on embedded PGlite (one process, one connection)
 * and on a PostgreSQL server, and scheduled rounds live and die with the survey data they belong to.
 */
export const ROUND_QUEUE = 'mail-round';

type Executor = { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };

/** Queries still running: stopping waits for them, so no job update is cut off when the database closes. */
function executor(database: Database): Executor & { settled(): Promise<void> } {
  const running = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>) => {
    running.add(p);
    void p.finally(() => running.delete(p)).catch(() => {});
    return p;
  };
  // As pg's driver sends them (pg-boss is written for it): undefined as null, a plain object as JSON.
  const params = (values: unknown[]) => values.map((v) => (v === undefined ? null : v));
  const pgParams = (values: unknown[]) =>
    params(values).map((v) => (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) ? JSON.stringify(v) : v));
  const run =
    database.driver === 'pglite'
      ? async (text: string, values?: unknown[]) => {
          const client = (database.db as unknown as { $client: import('@electric-sql/pglite').PGlite }).$client;
          if (values?.length) return { rows: (await client.query(text, params(values))).rows };
          // pg-boss's migrations are several statements (BEGIN … COMMIT) without parameters.
          const results = await client.exec(text);
          return { rows: results.at(-1)?.rows ?? [] };
        }
      : async (text: string, values?: unknown[]) => {
          const client = (database.db as unknown as { $client: import('postgres').Sql }).$client;
          if (values?.length) return { rows: [...(await client.unsafe(text, pgParams(values) as never[]))] };
          // postgres.js runs BEGIN … COMMIT only on a connection of its own.
          const connection = await client.reserve();
          try {
            const result = await connection.unsafe(text).simple();
            return { rows: Array.isArray(result) && !Array.isArray(result[0]) ? [...result] : [] };
          } finally {
            connection.release();
          }
        };
  return {
    executeSql: (text, values) => track(run(text, values)),
    settled: async () => {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

export type MailQueue = { boss: PgBoss; stop(): Promise<void> };

/**
 * Opens the queue; `work` also runs its maintenance (expired jobs are retried). HTTP worker processes
 * (WORKERS > 1) only enqueue: the primary process migrates the queue's tables and runs the rounds.
 */
export async function openMailQueue(database: Database, options: { work: boolean }): Promise<MailQueue> {
  const db = executor(database);
  const boss = new PgBoss({ db, schema: 'pgboss', migrate: options.work, supervise: options.work, schedule: false } as unknown as PgBoss.ConstructorOptions);
  boss.on('error', (error) => console.error('E-mail queue:', error));
  await boss.start();
  if (options.work) await boss.createQueue(ROUND_QUEUE);
  return {
    boss,
    stop: async () => {
      await boss.stop({ graceful: true, timeout: 10_000, close: false });
      await db.settled();
    },
  };
}
