import { timingSafeEqual } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Database } from '../db/database.js';
import { sessions } from '../db/schema.js';
import { newToken, sha256 } from './secrets.js';

/** Plain name over http (local use); the __Host- prefix (Secure, Path=/, no Domain) behind TLS. */
export const COOKIE = 'kodoku_session';
export const SECURE_COOKIE = `__Host-${COOKIE}`;

export type SessionOptions = { publicUrl?: string; sessionHours?: number };

/** Secure when the service is reached over https: PUBLIC_URL says so or the proxy says so. */
export function isSecure(c: Context, publicUrl?: string): boolean {
  return publicUrl?.startsWith('https://') || c.req.header('x-forwarded-proto')?.split(',')[0].trim() === 'https' || new URL(c.req.url).protocol === 'https:';
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SECURE_COOKIE) ?? getCookie(c, COOKIE);
}

export async function startSession(database: Database, c: Context, user: { id: string; organisationId: string }, options: SessionOptions) {
  const token = newToken(32);
  const csrfToken = newToken(24);
  const hours = options.sessionHours ?? 12;
  const expiresAt = new Date(Date.now() + hours * 3600_000);
  await database.db.insert(sessions).values({ userId: user.id, organisationId: user.organisationId, tokenHash: sha256(token), csrfToken, expiresAt });
  const secure = isSecure(c, options.publicUrl);
  setCookie(c, secure ? SECURE_COOKIE : COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    path: '/',
    maxAge: hours * 3600,
  });
  return { csrfToken, expiresAt };
}

export async function endSession(database: Database, c: Context) {
  const token = readSessionCookie(c);
  if (token) await database.db.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
  deleteCookie(c, COOKIE, { path: '/' });
  deleteCookie(c, SECURE_COOKIE, { path: '/', secure: true });
}

export async function findSession(database: Database, token: string) {
  const [row] = await database.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.tokenHash, sha256(token)), gt(sessions.expiresAt, new Date())))
    .limit(1);
  return row;
}

export async function purgeExpiredSessions(database: Database) {
  await database.db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
}

export function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
