import { z } from 'zod';

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  BOOTSTRAP_TOKEN: z.string().min(24, 'must be at least 24 characters (it is an admin credential)').optional(),
  /** Secret for keyed hashes of participant codes and invitation tokens. */
  HASH_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** File holding that key instead (created on first start); default beside DATA_DIR for the embedded database. */
  HASH_KEY_FILE: z.string().min(1).optional(),
  // Links are built as PUBLIC_URL + path, so a trailing slash would double it.
  PUBLIC_URL: z.url().transform((u) => u.replace(/\/+$/, '')).optional(),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_000_000).default(256 * 1024),
  // Generous: phones on Japanese mobile networks and venue Wi-Fi share addresses (carrier-grade NAT).
  RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(300),
  RATE_LIMIT_WAVE_PER_SECOND: z.coerce.number().int().min(0).max(1_000_000).default(200),
  RATE_LIMIT_LOGIN_PER_MINUTE: z.coerce.number().int().min(0).max(10_000).default(10),
  TRUST_PROXY: z.enum(['0', '1', 'true', 'false']).default('false'),
  SESSION_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  RETENTION_SWEEP_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(60),
  WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** E-mail invitations and reminders (src/mail/): smtp://user:pass@host:587 or smtps://…:465; unset = no e-mail. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/\s]+/, 'must look like smtp://user:pass@host:587 (or smtps://…)')
    .optional(),
  MAIL_FROM: z.string().trim().min(3).max(300).optional(),
  // Modest by default: providers throttle or flag bursts from a new sender.
  MAIL_PER_SECOND: z.coerce.number().min(0.1).max(100).default(2),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  databasePoolSize: number;
  bootstrapToken?: string;
  hashSecret?: string;
  hashKeyFile?: string;
  publicUrl?: string;
  maxBodyBytes: number;
  rateLimits: { ipPerMinute: number; wavePerSecond: number; loginPerMinute: number; trustProxy: boolean };
  sessionHours: number;
  retentionSweepMinutes: number;
  workers: number;
  /** Set together (SMTP_URL needs MAIL_FROM); absent = e-mail sending is not configured. */
  mail?: { smtpUrl: string; from: string; perSecond: number };
};

export class ConfigError extends Error {}

/** Reads the environment; a wrong value stops start-up with a message naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.DATABASE_URL && !e.HASH_SECRET && !e.HASH_KEY_FILE) {
    throw new ConfigError(
      'Invalid configuration:\n  HASH_SECRET or HASH_KEY_FILE: needed with DATABASE_URL. The key for participant codes and invitation links is kept outside the database; every server process must use the same one.',
    );
  }
  if (e.SMTP_URL && !e.MAIL_FROM) {
    throw new ConfigError('Invalid configuration:\n  MAIL_FROM: needed with SMTP_URL, e.g. MAIL_FROM="気仙沼まちづくり支援センター <survey@example.jp>"');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    bootstrapToken: e.BOOTSTRAP_TOKEN,
    hashSecret: e.HASH_SECRET,
    // Never in the database: beside the embedded database's folder, or named when a server holds the data.
    hashKeyFile: e.HASH_KEY_FILE ?? (e.DATABASE_URL ? undefined : `${e.DATA_DIR.replace(/\/+$/, '')}-hash.key`),
    publicUrl: e.PUBLIC_URL,
    maxBodyBytes: e.MAX_BODY_BYTES,
    rateLimits: {
      ipPerMinute: e.RATE_LIMIT_IP_PER_MINUTE,
      wavePerSecond: e.RATE_LIMIT_WAVE_PER_SECOND,
      loginPerMinute: e.RATE_LIMIT_LOGIN_PER_MINUTE,
      trustProxy: e.TRUST_PROXY === '1' || e.TRUST_PROXY === 'true',
    },
    sessionHours: e.SESSION_HOURS,
    retentionSweepMinutes: e.RETENTION_SWEEP_MINUTES,
    workers: e.WORKERS,
    mail: e.SMTP_URL && e.MAIL_FROM ? { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, perSecond: e.MAIL_PER_SECOND } : undefined,
  };
}
