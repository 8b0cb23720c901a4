import { parseArgs } from 'node:util';
import { and, eq, isNull, type SQL } from 'drizzle-orm';
import { audit } from './accounts/audit.js';
import { sweepRetention } from './accounts/dataRights.js';
import { hashPassword, PASSWORD_MIN } from './auth/password.js';
import { newToken, sha256 } from './auth/secrets.js';
import { ConfigError, loadConfig } from './config.js';
import { RESULTS_COMMANDS, RESULTS_HELP, RESULTS_OPTIONS, runResultsCommand } from './results/cliCommands.js';
import { openDatabase, type Database } from './db/database.js';
import { MOVE_HELP, runMoveToPostgres } from './db/moveCommand.js';
import { apiTokens, organisations, sessions, users } from './db/schema.js';

const HELP = `Usage: npm run cli -- <command> [options]   (same environment as npm start: DATABASE_URL, DATA_DIR, …)

  create-organisation --name <name> --admin-email <email> [--admin-name <name>] [--password <pw>] [--token <label>]
      Creates an organisation and its first admin. Without --password a password is generated and shown once.
      With --token an admin API token is created too and shown once.
  reset-password --email <email> [--organisation <uuid>] [--password <pw>]
      Sets a new password (generated and shown once when not given) and ends the user's sessions.
  revoke-tokens (--email <email> [--organisation <uuid>] | --token-id <uuid> | --organisation <uuid>)
      Revokes API tokens of a user, one token, or a whole organisation, and ends the matching sessions.
  list-organisations
  retention
      Deletes answers older than their wave's retention period now (the server also does this periodically).
${MOVE_HELP}`;

type Args = Record<string, string | boolean | undefined>;

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(HELP + RESULTS_HELP);
    return 0;
  }
  if ((RESULTS_COMMANDS as readonly string[]).includes(command)) {
    // Evaluator commands talk to the running service with an API token, not to the database.
    const { values } = parseArgs({ args: rest, options: { ...RESULTS_OPTIONS, token: { type: 'string' } }, strict: true });
    return runResultsCommand(command as (typeof RESULTS_COMMANDS)[number], values);
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-name': { type: 'string' },
      password: { type: 'string' },
      token: { type: 'string' },
      email: { type: 'string' },
      'token-id': { type: 'string' },
      organisation: { type: 'string' },
      to: { type: 'string' },
    },
    strict: true,
  });
  const config = loadConfig();
  if (command === 'move-to-postgres') return runMoveToPostgres(config, values.to);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    await database.migrate();
    switch (command) {
      case 'create-organisation':
        return await createOrganisation(database, values);
      case 'reset-password':
        return await resetPassword(database, values);
      case 'revoke-tokens':
        return await revokeTokens(database, values);
      case 'list-organisations': {
        for (const o of await database.db.select().from(organisations).orderBy(organisations.createdAt)) console.log(`${o.id}  ${o.name}`);
        return 0;
      }
      case 'retention': {
        const done = await sweepRetention(database);
        console.log(done.length ? done.map((d) => `wave ${d.waveId}: ${d.deleted} responses deleted`).join('\n') : 'Nothing past its retention period.');
        return 0;
      }
      default:
        console.error(`Unknown command "${command}".\n\n${HELP}`);
        return 2;
    }
  } finally {
    await database.close();
  }
}

function need(values: Args, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${name} is required.`);
  return v.trim();
}

function checkPassword(pw: string) {
  if (pw.length < PASSWORD_MIN) throw new UsageError(`The password must be at least ${PASSWORD_MIN} characters.`);
}

async function createOrganisation(database: Database, values: Args) {
  const name = need(values, 'name');
  const email = need(values, 'admin-email').toLowerCase();
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new UsageError('--admin-email is not an email address.');
  const password = typeof values.password === 'string' ? values.password : newToken(12);
  checkPassword(password);
  const passwordHash = await hashPassword(password);
  const token = typeof values.token === 'string' ? newToken(32) : undefined;
  const result = await database.db.transaction(async (tx) => {
    const [org] = await tx.insert(organisations).values({ name }).returning();
    const [admin] = await tx
      .insert(users)
      .values({ organisationId: org.id, email, name: typeof values['admin-name'] === 'string' ? values['admin-name'] : 'Administrator', role: 'admin', passwordHash })
      .returning();
    if (token) await tx.insert(apiTokens).values({ userId: admin.id, organisationId: org.id, label: String(values.token), tokenHash: sha256(token), role: 'admin' });
    await audit(tx, { organisationId: org.id, userId: null }, 'cli.organisation_created', org.id, { adminEmail: email });
    return { org, admin };
  });
  console.log(`Organisation ${result.org.id} "${name}" created with admin ${email} (user ${result.admin.id}).`);
  if (typeof values.password !== 'string') console.log(`Password (shown once): ${password}`);
  if (token) console.log(`API token (shown once): ${token}`);
  return 0;
}

async function resetPassword(database: Database, values: Args) {
  const email = need(values, 'email').toLowerCase();
  const password = typeof values.password === 'string' ? values.password : newToken(12);
  checkPassword(password);
  const passwordHash = await hashPassword(password);
  const account = await findAccount(database, email, values.organisation);
  await database.db.transaction(async (tx) => {
    const [row] = await tx.update(users).set({ passwordHash }).where(eq(users.id, account.id)).returning();
    await tx.delete(sessions).where(eq(sessions.userId, row.id));
    await audit(tx, { organisationId: row.organisationId, userId: null }, 'cli.password_reset', row.id);
    return row;
  });
  console.log(`Password of ${email} reset; all their sessions ended.`);
  if (typeof values.password !== 'string') console.log(`New password (shown once): ${password}`);
  return 0;
}

/** Emails are unique per organisation: with accounts in several, --organisation says which. */
async function findAccount(database: Database, email: string, organisation: Args[string]) {
  const accounts = await database.db
    .select({ id: users.id, organisationId: users.organisationId, organisation: organisations.name })
    .from(users)
    .innerJoin(organisations, eq(organisations.id, users.organisationId))
    .where(typeof organisation === 'string' ? and(eq(users.email, email), eq(users.organisationId, organisation)) : eq(users.email, email));
  if (accounts.length === 0) throw new UsageError(`No user with email ${email}.`);
  if (accounts.length > 1) {
    const list = accounts.map((a) => `  --organisation ${a.organisationId}  (${a.organisation})`).join('\n');
    throw new UsageError(`${email} has accounts in ${accounts.length} organisations; add one of:\n${list}`);
  }
  return accounts[0];
}

async function revokeTokens(database: Database, values: Args) {
  const { db } = database;
  let where: SQL;
  let userFilter: SQL | undefined;
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  for (const k of ['token-id', 'organisation']) {
    if (typeof values[k] === 'string' && !uuid.test(values[k])) throw new UsageError(`--${k} must be a UUID.`);
  }
  if (typeof values.email === 'string') {
    const user = await findAccount(database, values.email.toLowerCase(), values.organisation);
    where = eq(apiTokens.userId, user.id);
    userFilter = eq(sessions.userId, user.id);
  } else if (typeof values['token-id'] === 'string') {
    where = eq(apiTokens.id, values['token-id']);
  } else if (typeof values.organisation === 'string') {
    where = eq(apiTokens.organisationId, values.organisation);
    userFilter = eq(sessions.organisationId, values.organisation);
  } else {
    throw new UsageError('Give --email, --token-id or --organisation.');
  }
  const revoked = await db.transaction(async (tx) => {
    const rows = await tx.update(apiTokens).set({ revokedAt: new Date() }).where(and(where, isNull(apiTokens.revokedAt))).returning();
    const ended = userFilter ? await tx.delete(sessions).where(userFilter).returning({ id: sessions.id }) : [];
    for (const row of rows) await audit(tx, { organisationId: row.organisationId, userId: null }, 'cli.token_revoked', row.id, { label: row.label });
    return { tokens: rows.length, sessions: ended.length };
  });
  console.log(`Revoked ${revoked.tokens} API token(s); ended ${revoked.sessions} session(s).`);
  return 0;
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof UsageError || error instanceof ConfigError ? error.message : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
