import { and, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { hashPassword, PASSWORD_MAX, PASSWORD_MIN, verifyPassword } from '../auth/password.js';
import { rateBuckets } from '../auth/rateBuckets.js';
import { loginLimiter, type RateLimitConfig } from '../auth/rateLimit.js';
import { endSession, startSession, type SessionOptions } from '../auth/sessions.js';
import type { StaffEnv } from '../auth/staff.js';
import type { Database } from '../db/database.js';
import { apiTokens, organisations, sessions, users } from '../db/schema.js';
import { apiRoute, apiRouter, failures, jsonBody, jsonResponse, noContent } from '../http/openapi.js';
import { Problem, problems } from '../http/problem.js';
import { audit } from './audit.js';
import { loggedInSchema, meSchema } from './schemas.js';

const loginSchema = z
  .object({
    email: z.string().trim().max(254),
    password: z.string().max(PASSWORD_MAX),
    /** Needed only when the same email and password open accounts in several organisations. */
    organisationId: z.uuid().optional(),
  })
  .strict();

const wrongLogin = () =>
  new Problem({
    title: 'Unauthorized',
    status: 401,
    detail: 'The email or password is not correct.',
    title_ja: 'ログインできません',
    detail_ja: 'メールアドレスまたはパスワードが違います。',
  });

/** More accounts than this under one email is not a person with a job in a few organisations. */
const MAX_ACCOUNTS_PER_EMAIL = 20;

/** POST /api/auth/login: the only account endpoint reached without credentials. */
export function loginRoutes(database: Database, options: SessionOptions & { rateLimits: RateLimitConfig }) {
  const app = apiRouter();
  const limiter = loginLimiter(options.rateLimits, rateBuckets(database), 'login');
  const login = apiRoute({
    method: 'post',
    path: '/auth/login',
    summary: 'Staff login with email and password; sets the session cookie and returns the CSRF token',
    description: '409 lists the organisations to choose from when the same email and password open accounts in several.',
    security: [],
    request: { body: jsonBody(loginSchema) },
    responses: { 200: jsonResponse(loggedInSchema, 'Logged in'), ...failures(400, 401, 403, 409, 415, 429) },
  });
  app.openapi(login, async (c) => {
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== new URL(c.req.url).origin && (!options.publicUrl || origin !== new URL(options.publicUrl).origin)) {
      throw problems.forbidden('Cross-site login refused: the Origin is not this service.');
    }
    const input = c.req.valid('json');
    const email = input.email.toLowerCase();
    const limited = await limiter.check(c, email);
    if (limited) return limited;
    const accounts = await database.db
      .select()
      .from(users)
      .where(input.organisationId ? and(eq(users.email, email), eq(users.organisationId, input.organisationId)) : eq(users.email, email))
      .limit(MAX_ACCOUNTS_PER_EMAIL);
    // Always run scrypt at least once, so an unknown email takes as long as a wrong password.
    const matching = [];
    for (const account of accounts.length ? accounts : [undefined]) {
      if ((await verifyPassword(input.password, account?.passwordHash)) && account) matching.push(account);
    }
    if (matching.length === 0) {
      for (const account of accounts) await audit(database.db, { organisationId: account.organisationId, userId: account.id }, 'auth.login_failed', account.id);
      throw wrongLogin();
    }
    if (matching.length > 1) {
      // Only someone holding the password learns which organisations share it.
      const choices = await database.db
        .select({ id: organisations.id, name: organisations.name })
        .from(organisations)
        .where(inArray(organisations.id, matching.map((u) => u.organisationId)))
        .orderBy(organisations.name);
      throw new Problem({
        title: 'Choose an organisation',
        status: 409,
        detail: 'This email and password open accounts in several organisations: send organisationId with one of these.',
        title_ja: '団体を選んでください',
        detail_ja: 'このメールアドレスとパスワードは複数の団体で使われています。ログインする団体を選んでください。',
        organisations: choices,
      });
    }
    const [user] = matching;
    const { csrfToken, expiresAt } = await startSession(database, c, user, options);
    await audit(database.db, { organisationId: user.organisationId, userId: user.id }, 'auth.login', user.id);
    const [organisation] = await database.db.select().from(organisations).where(eq(organisations.id, user.organisationId));
    return c.json({ user: describeUser(user), organisation: { id: organisation.id, name: organisation.name }, csrfToken, expiresAt });
  });
  return app;
}

/** Staff-side account endpoints for the caller: me, logout, logout everywhere, change password. */
export function selfRoutes(database: Database, rateLimits: RateLimitConfig) {
  const { db } = database;
  const app = apiRouter<StaffEnv>();
  const guesses = loginLimiter(rateLimits, rateBuckets(database), 'password');

  const me = apiRoute({
    method: 'get',
    path: '/auth/me',
    summary: 'The caller: user, role, organisation and how they authenticated',
    responses: { 200: jsonResponse(meSchema, 'The caller'), ...failures(401) },
  });
  app.openapi(me, async (c) => {
    const staff = c.get('staff');
    const [user] = await db.select().from(users).where(eq(users.id, staff.userId));
    const [organisation] = await db.select().from(organisations).where(eq(organisations.id, staff.organisationId));
    let csrfToken: string | undefined;
    if (staff.via?.kind === 'session') {
      const sessionId = staff.via.sessionId;
      [{ csrfToken }] = await db.select({ csrfToken: sessions.csrfToken }).from(sessions).where(eq(sessions.id, sessionId));
    }
    return c.json({
      user: describeUser(user),
      role: staff.role,
      studyIds: staff.studyIds ?? null,
      organisation: { id: organisation.id, name: organisation.name, suppressionK: organisation.suppressionK },
      authenticatedBy: staff.via?.kind ?? 'token',
      ...(csrfToken ? { csrfToken } : {}),
    });
  });

  const logout = apiRoute({
    method: 'post',
    path: '/auth/logout',
    summary: "End the caller's session",
    responses: { 204: noContent, ...failures(401, 403) },
  });
  app.openapi(logout, async (c) => {
    await endSession(database, c);
    return c.body(null, 204);
  });

  /** Ends every session of the caller; with {"revokeTokens": true} also revokes all their API tokens. */
  const logoutEverywhere = apiRoute({
    method: 'post',
    path: '/auth/logout-everywhere',
    summary: 'End every session of the caller; with revokeTokens also revoke all their API tokens',
    request: { body: jsonBody(z.object({ revokeTokens: z.boolean().default(false) }).strict(), false) },
    responses: { 200: jsonResponse(z.object({ sessionsEnded: z.number().int(), tokensRevoked: z.number().int() }), 'What was ended'), ...failures(400, 401, 403, 415) },
  });
  app.openapi(logoutEverywhere, async (c) => {
    const staff = c.get('staff');
    const input = c.req.valid('json');
    const result = await db.transaction(async (tx) => {
      const ended = await tx.delete(sessions).where(eq(sessions.userId, staff.userId)).returning({ id: sessions.id });
      const revoked = input.revokeTokens
        ? await tx.update(apiTokens).set({ revokedAt: new Date() }).where(and(eq(apiTokens.userId, staff.userId), isNull(apiTokens.revokedAt))).returning({ id: apiTokens.id })
        : [];
      await audit(tx, staff, 'auth.logout_everywhere', staff.userId, { sessions: ended.length, tokensRevoked: revoked.length });
      return { sessionsEnded: ended.length, tokensRevoked: revoked.length };
    });
    await endSession(database, c);
    return c.json(result);
  });

  const changePassword = apiRoute({
    method: 'post',
    path: '/auth/password',
    summary: "Change the caller's password; every session of theirs ends",
    request: { body: jsonBody(z.object({ currentPassword: z.string().max(PASSWORD_MAX), newPassword: passwordField }).strict()) },
    responses: { 200: jsonResponse(z.object({ changed: z.literal(true), note: z.string() }), 'Changed'), ...failures(400, 401, 403, 415, 429) },
  });
  app.openapi(changePassword, async (c) => {
    const staff = c.get('staff');
    const input = c.req.valid('json');
    const limited = await guesses.check(c, `password:${staff.userId}`);
    if (limited) return limited;
    const [user] = await db.select().from(users).where(eq(users.id, staff.userId));
    if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
      await audit(db, staff, 'auth.password_change_failed', user.id);
      throw problems.forbidden('The current password is not correct.', { detail_ja: '現在のパスワードが正しくありません。' });
    }
    const passwordHash = await hashPassword(input.newPassword);
    await db.transaction(async (tx) => {
      await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
      await tx.delete(sessions).where(eq(sessions.userId, user.id));
      await audit(tx, staff, 'user.password_changed', user.id);
    });
    await endSession(database, c);
    return c.json({ changed: true, note: 'All sessions were ended; log in again with the new password.' });
  });

  return app;
}

export const passwordField = z.string().min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`).max(PASSWORD_MAX);

export function describeUser(u: typeof users.$inferSelect) {
  return { id: u.id, email: u.email, name: u.name, role: u.role, studyScoped: u.studyScoped, createdAt: u.createdAt };
}
