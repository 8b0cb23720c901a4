import { Hono } from 'hono';
import type { Database } from '../../db/database.js';
import { authoringPages } from './authoringPages.js';
import { loginPage } from './loginPage.js';
import { previewRoutes } from './previewRoutes.js';
import { staffPageGuard, type StaffPageEnv } from './session.js';

/**
 * Every staff page under /staff: the login page is open, everything else passes staffPageGuard
 * (session cookie, else a redirect to /staff/login). Mount more staff pages with `extra`, e.g. the
 * evaluator pages: staffPages(database, publicUrl, [resultPages(database)]).
 */
export function staffPages(database: Database, publicUrl: (path: string) => string, extra: Hono<StaffPageEnv>[] = []) {
  const app = new Hono<StaffPageEnv>();
  app.route('/', loginPage(database));
  app.use('/staff', staffPageGuard(database));
  app.use('/staff/*', staffPageGuard(database));
  app.route('/', previewRoutes(database));
  app.route('/', authoringPages(database, publicUrl));
  for (const pages of extra) app.route('/', pages);
  return app;
}
