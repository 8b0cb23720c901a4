import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { findSession, readSessionCookie } from '../../auth/sessions.js';
import type { Role, Staff } from '../../auth/staff.js';
import type { Database } from '../../db/database.js';
import { problemResponse } from '../../http/problem.js';
import { organisations, sessions, studyGrants, users } from '../../db/schema.js';

/**
 * Who is looking at a staff page, and what the page's scripts need (the CSRF token for API writes).
 * `administers`: may use the admin pages (users, audit log, data rights), as the API's admin routes allow.
 */
export type StaffViewer = { csrfToken: string; userName: string; email: string | null; organisationName: string; role: Role; administers: boolean };

/**
 * The pages for admins only, and every page below them: the nav offers them to admins only, and each
 * of their routes is defined with the `adminOnly` middleware (src/web/staff/pageGuards.tsx); a test
 * asks every such route as a non-admin.
 */
export const ADMIN_PAGES = ['/staff/users', '/staff/audit', '/staff/data-rights'];

export const isAdminPage = (path: string) => ADMIN_PAGES.some((page) => path === page || path.startsWith(`${page}/`));

/** The API's requireRole('admin') with requireWholeOrganisation(), for pages. */
export function administers(staff: Staff): boolean {
  return staff.role === 'admin' && !staff.studyIds;
}

export type StaffPageEnv = { Variables: { staff: Staff; viewer: StaffViewer } };

/** Resolves the session cookie to a staff member, or undefined when there is no valid session. */
export async function sessionViewer(database: Database, c: Context): Promise<{ staff: Staff; viewer: StaffViewer } | undefined> {
  const cookie = readSessionCookie(c);
  if (!cookie || cookie.length > 200) return undefined;
  const session = await findSession(database, cookie);
  if (!session) return undefined;
  const [row] = await database.db
    .select({ role: users.role, studyScoped: users.studyScoped, name: users.name, email: users.email, organisationName: organisations.name, csrfToken: sessions.csrfToken })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(organisations, eq(organisations.id, sessions.organisationId))
    .where(eq(sessions.id, session.id));
  if (!row) return undefined;
  let studyIds: string[] | null = null;
  if (row.studyScoped) {
    const grants = await database.db.select({ studyId: studyGrants.studyId }).from(studyGrants).where(eq(studyGrants.userId, session.userId));
    studyIds = grants.map((g) => g.studyId);
  }
  const staff: Staff = { userId: session.userId, organisationId: session.organisationId, role: row.role, studyIds, via: { kind: 'session', sessionId: session.id } };
  return {
    staff,
    viewer: { csrfToken: row.csrfToken, userName: row.name, email: row.email, organisationName: row.organisationName, role: row.role, administers: administers(staff) },
  };
}

/**
 * Guard for /staff/* pages: a valid session cookie sets `staff` and `viewer`; without one, GET
 * requests are redirected to /staff/login?next=<path> and other methods answer 401. Requests with an
 * Authorization header (API tokens) answer 401: pages are for browsers.
 */
export function staffPageGuard(database: Database) {
  return createMiddleware<StaffPageEnv>(async (c, next) => {
    if (c.req.header('authorization') !== undefined) {
      // Pages are for browsers with a login session; API tokens are for /api.
      return problemResponse(c, { title: 'Unauthorized', status: 401, detail: 'Staff pages need a login session (/staff/login); use API tokens with /api.' });
    }
    const found = await sessionViewer(database, c);
    if (!found) {
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return c.text('Log in first. / ログインしてください。', 401);
      const url = new URL(c.req.url);
      return c.redirect(`/staff/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
    }
    c.set('staff', found.staff);
    c.set('viewer', found.viewer);
    c.header('cache-control', 'no-store');
    await next();
  });
}
