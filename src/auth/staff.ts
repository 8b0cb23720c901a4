import { and, eq, isNull } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import type { Database } from '../db/database.js';
import { apiTokens } from '../db/schema.js';
import { problems } from '../http/problem.js';
import { sha256 } from './secrets.js';

export type Role = 'admin' | 'editor' | 'evaluator';

/** Who is calling a staff endpoint; every staff query is scoped by `organisationId`. */
export type Staff = { userId: string; organisationId: string; role: Role };

export type StaffEnv = { Variables: { staff: Staff } };

const rank: Record<Role, number> = { evaluator: 0, editor: 1, admin: 2 };

export function staffAuth(database: Database) {
  return createMiddleware<StaffEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw problems.unauthorized();
    const [token] = await database.db
      .select({ userId: apiTokens.userId, organisationId: apiTokens.organisationId, role: apiTokens.role })
      .from(apiTokens)
      .where(and(eq(apiTokens.tokenHash, sha256(match[1])), isNull(apiTokens.revokedAt)))
      .limit(1);
    if (!token) throw problems.unauthorized();
    c.set('staff', token);
    await next();
  });
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
