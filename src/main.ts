import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { bootstrapAdmin } from './auth/bootstrap.js';
import { loadHashKey } from './auth/secrets.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';

async function main() {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize });
  await database.migrate();
  const hashKey = await loadHashKey(database, config.hashSecret);
  if (await bootstrapAdmin(database, config.bootstrapToken)) {
    console.log('Created the default organisation and an admin API token (the BOOTSTRAP_TOKEN value).');
  }
  const baseUrl = config.publicUrl ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  const app = createApp({ database, config: { ...config, publicUrl: baseUrl }, hashKey });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => {
    const where = database.driver === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
    console.log(`Survey service listening on ${baseUrl} (database: ${where})`);
  });
  const stop = async () => {
    server.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
