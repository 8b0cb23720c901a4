import { and, eq, isNull } from 'drizzle-orm';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Database } from '../db/database.js';
import { apiTokens, studyGrants, users } from '../db/schema.js';
import { Problem, problems } from '../http/problem.js';
import { sha256 } from './secrets.js';
import { findSession, isSecure, readSessionCookie, sameToken } from './sessions.js';

export type Role = 'admin' | 'editor' | 'evaluator';

/**
 * Who is calling a staff endpoint; every staff query is scoped by `organisationId` (see scope.ts).
 * `studyIds` is null for the whole organisation, or the only studies a study-scoped user may see.
 */
export type Staff = {
  userId: string;
  organisationId: string;
  role: Role;
  studyIds?: string[] | null;
  /** How the caller authenticated; set by staffAuth. */
  via?: { kind: 'token'; tokenId: string } | { kind: 'session'; sessionId: string };
};

export type StaffEnv = { Variables: { staff: Staff } };

const rank: Record<Role, number> = { evaluator: 0, editor: 1, admin: 2 };

export function lowerRole(a: Role, b: Role): Role {
  return rank[a] <= rank[b] ? a : b;
}

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return rank[role] >= rank[minimum];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Staff authentication: a Bearer API token (scripts) or a session cookie (browser). Cookie-authenticated
 * writes must carry the session's CSRF token in X-CSRF-Token and, when the browser sends Origin, come
 * from this service's own origin.
 */
export function staffAuth(database: Database, options: { publicUrl?: string } = {}) {
  return createMiddleware<StaffEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    let staff: Staff | undefined;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S{1,200})$/i.exec(header);
      if (!match) throw problems.unauthorized();
      const [row] = await database.db
        .select({ id: apiTokens.id, userId: apiTokens.userId, organisationId: apiTokens.organisationId, role: apiTokens.role, userRole: users.role, studyScoped: users.studyScoped })
        .from(apiTokens)
        .innerJoin(users, eq(users.id, apiTokens.userId))
        .where(and(eq(apiTokens.tokenHash, sha256(match[1])), isNull(apiTokens.revokedAt)))
        .limit(1);
      if (!row) throw problems.unauthorized();
      staff = { userId: row.userId, organisationId: row.organisationId, role: lowerRole(row.role, row.userRole), via: { kind: 'token', tokenId: row.id } };
      staff.studyIds = row.studyScoped ? await grantedStudies(database, row.userId) : null;
    } else {
      const cookie = readSessionCookie(c);
      if (!cookie) throw problems.unauthorized();
      const session = cookie.length <= 200 ? await findSession(database, cookie) : undefined;
      if (!session) throw problems.unauthorized();
      const [user] = await database.db.select({ role: users.role, studyScoped: users.studyScoped }).from(users).where(eq(users.id, session.userId));
      if (!user) throw problems.unauthorized();
      if (!SAFE_METHODS.has(c.req.method)) checkCsrf(c, session.csrfToken, options.publicUrl);
      staff = { userId: session.userId, organisationId: session.organisationId, role: user.role, via: { kind: 'session', sessionId: session.id } };
      staff.studyIds = user.studyScoped ? await grantedStudies(database, session.userId) : null;
    }
    c.set('staff', staff);
    await next();
  });
}

async function grantedStudies(database: Database, userId: string): Promise<string[]> {
  const rows = await database.db.select({ studyId: studyGrants.studyId }).from(studyGrants).where(eq(studyGrants.userId, userId));
  return rows.map((r) => r.studyId);
}

function csrfProblem(detail: string) {
  return new Problem({ title: 'Forbidden', status: 403, detail });
}

export function checkCsrf(c: Context, expected: string, publicUrl?: string) {
  const origin = c.req.header('origin');
  if (origin !== undefined) {
    const allowed = new Set([new URL(c.req.url).origin]);
    if (publicUrl) allowed.add(new URL(publicUrl).origin);
    const host = c.req.header('host');
    if (host) allowed.add(`${isSecure(c) ? 'https' : 'http'}://${host}`);
    if (!allowed.has(origin)) throw csrfProblem('Cross-site request refused: the Origin is not this service.');
  }
  if (!sameToken(c.req.header('x-csrf-token'), expected)) {
    throw csrfProblem('Send the CSRF token from the login answer (or GET /api/auth/me) in the X-CSRF-Token header.');
  }
}

/** Editors can do what evaluators can, admins what editors can. */
export function requireRole(minimum: Role) {
  return createMiddleware<StaffEnv>(async (c, next) => {
    if (rank[c.get('staff').role] < rank[minimum]) {
      throw problems.forbidden(`This action needs the ${minimum} role.`);
    }
    await next();
  });
}

/** Actions on the organisation itself (users, settings, data rights) are not for study-scoped users. */
export function requireWholeOrganisation() {
  return createMiddleware<StaffEnv>(async (c, next) => {
    if (c.get('staff').studyIds) throw problems.forbidden('This account has access to granted studies only.');
    await next();
  });
}
