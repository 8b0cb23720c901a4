import cluster from 'node:cluster';
import { serve } from '@hono/node-server';
import { sweepRetention } from './accounts/dataRights.js';
import { createApp } from './app.js';
import { bootstrapAdmin } from './auth/bootstrap.js';
import { sweepRateBuckets } from './auth/rateBuckets.js';
import { loadHashKey } from './auth/secrets.js';
import { purgeExpiredSessions } from './auth/sessions.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { logError } from './http/logError.js';
import { startMail, type MailService } from './mail/mailer.js';

/**
 * WORKERS=1 (default): one process does everything. WORKERS>1 (PostgreSQL only): the primary migrates,
 * bootstraps and runs the retention sweep, then forks that many HTTP workers sharing the port.
 */
async function main() {
  const config = loadConfig();
  if (config.workers > 1 && !config.databaseUrl) {
    throw new ConfigError('Invalid configuration:\n  WORKERS: more than 1 needs DATABASE_URL (embedded PGlite is one process)');
  }
  if (cluster.isPrimary) {
    const database = await open(config);
    await database.migrate();
    await loadHashKey(database, { secret: config.hashSecret, keyFile: config.hashKeyFile });
    if (await bootstrapAdmin(database, config.bootstrapToken)) {
      console.log('Created the default organisation and an admin API token (the BOOTSTRAP_TOKEN value).');
    } else if (config.bootstrapToken) {
      console.warn('BOOTSTRAP_TOKEN is ignored: this database already has users, so no organisation or token was created. Remove it, or create tokens on /staff/tokens.');
    }
    const housekeeping = startHousekeeping(database, config);
    if (config.workers > 1) {
      // The primary sends e-mail rounds; HTTP workers only queue them.
      const mail = await openMail(config, database, true);
      for (let i = 0; i < config.workers; i++) cluster.fork();
      cluster.on('exit', (worker, code, signal) => {
        if (!stopping) {
          console.error(`Worker ${worker.process.pid} exited (${signal ?? code}); starting another.`);
          cluster.fork();
        }
      });
      let stopping = false;
      const stop = async () => {
        stopping = true;
        clearInterval(housekeeping);
        for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
        await mail?.stop();
        await database.close();
        process.exit(0);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      console.log(`Survey service: ${config.workers} workers on ${baseUrl(config)} (database: PostgreSQL (DATABASE_URL))`);
      return;
    }
    await serveHttp(config, database, true, () => clearInterval(housekeeping));
    return;
  }
  // A cluster worker: the limits are buckets in PostgreSQL, shared by every worker and instance.
  await serveHttp(config, await open(config), false, () => {});
}

function open(config: Config) {
  return openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize });
}

function baseUrl(config: Config) {
  return config.publicUrl ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
}

/** E-mail invitations and reminders when SMTP_URL is set; `work`: this process sends the rounds. */
async function openMail(config: Config, database: Database, work: boolean): Promise<MailService | undefined> {
  if (!config.mail) return undefined;
  const hashKey = await loadHashKey(database, { secret: config.hashSecret, keyFile: config.hashKeyFile });
  const url = baseUrl(config);
  return startMail({ database, hashKey, publicUrl: (path) => `${url}${path}`, ...config.mail, work });
}

async function serveHttp(config: Config, database: Database, sendsMail: boolean, onStop: () => void) {
  const hashKey = await loadHashKey(database, { secret: config.hashSecret, keyFile: config.hashKeyFile });
  const url = baseUrl(config);
  const mail = await openMail(config, database, sendsMail);
  const app = createApp({ database, config: { ...config, publicUrl: url }, hashKey, mail });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => {
    if (!cluster.isWorker) {
      const where = database.driver === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
      console.log(`Survey service listening on ${url} (database: ${where})`);
    }
  });
  server.once('error', async (error: NodeJS.ErrnoException) => {
    console.error(
      error.code === 'EADDRINUSE'
        ? `Cannot listen on ${config.host}:${config.port}: another program uses that port. Set PORT to a free one, e.g. PORT=3001 npm start.`
        : error,
    );
    await mail?.stop();
    await database.close();
    process.exit(1);
  });
  const stop = async () => {
    onStop();
    server.close();
    await mail?.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** Retention sweep, expired-session purge and refilled rate-limit buckets: at start, then every RETENTION_SWEEP_MINUTES (0 = only at start). */
function startHousekeeping(database: Database, config: Config) {
  const run = async () => {
    try {
      const deleted = await sweepRetention(database);
      for (const d of deleted) console.log(`Retention: deleted ${d.deleted} responses of wave ${d.waveId}.`);
      await purgeExpiredSessions(database);
      await sweepRateBuckets(database);
    } catch (error) {
      logError('Retention sweep failed', error);
    }
  };
  void run();
  const timer = setInterval(run, Math.max(1, config.retentionSweepMinutes) * 60_000);
  if (config.retentionSweepMinutes === 0) clearInterval(timer);
  timer.unref();
  return timer;
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
