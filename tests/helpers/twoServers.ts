import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import postgres from 'postgres';
import { startServer, TOKEN, type Server } from '../bench/loadShared.js';

/** A port nobody listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export type TwoServers = {
  servers: [Server, Server];
  /** The shared database, for checks behind the servers' backs. */
  sql: postgres.Sql;
  /** A staff request with the bootstrap admin token to one server. */
  staff: (server: Server, method: string, path: string, body?: unknown) => Promise<Response>;
  stop: () => Promise<void>;
};

/**
 * Two `src/main.ts` processes on one fresh PostgreSQL database (on `adminUrl`'s server), as two
 * instances behind a load balancer would run. The first migrates before the second starts.
 */
export async function startTwoServers(adminUrl: string, env: Record<string, string> = {}): Promise<TwoServers> {
  const name = `two_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const started: Server[] = [];
  const sql = postgres(url.toString(), { max: 2, onnotice: () => {} });
  const stop = async () => {
    for (const server of started) await server.stop();
    await sql.end();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
  try {
    const envOf = { RETENTION_SWEEP_MINUTES: '0', DATABASE_POOL_SIZE: '5', ...env };
    started.push(await startServer(url.toString(), await freePort(), envOf));
    started.push(await startServer(url.toString(), await freePort(), envOf));
  } catch (error) {
    await stop();
    throw error;
  }
  const staff = (server: Server, method: string, path: string, body?: unknown) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return { servers: [started[0], started[1]], sql, staff, stop };
}
