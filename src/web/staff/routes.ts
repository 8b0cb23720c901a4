import { Hono } from 'hono';
import type { Database } from '../../db/database.js';
import { loginPage } from './loginPage.js';
import { staffPageGuard, type StaffPageEnv } from './session.js';

/**
 * Every staff page under /staff: the login page is open, everything else passes staffPageGuard
 * (session cookie, else a redirect to /staff/login). Mount more staff pages with `extra`, e.g. the
 * authoring and evaluator pages: staffPages(database, [questionnairePages(database, publicUrl), resultPages(database)]).
 */
export function staffPages(database: Database, extra: Hono<StaffPageEnv>[] = []) {
  const app = new Hono<StaffPageEnv>();
  app.route('/', loginPage(database));
  app.use('/staff', staffPageGuard(database));
  app.use('/staff/*', staffPageGuard(database));
  for (const pages of extra) app.route('/', pages);
  return app;
}
