/**
 * Account staff pages, so an admin needs neither the API nor the CLI: organisation settings, own
 * account, API tokens, and for admins users, the audit log and data rights. The pages read through the
 * same functions as the API (listings.ts); their scripts (accounts.js) write through the API, so its
 * checks (roles, validation, audit) apply unchanged.
 */
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Database } from '../db/database.js';
import { staffPage } from '../web/staff/layout.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { auditPage } from './auditPage.js';
import { dataRightsPage } from './dataRightsPage.js';
import { settingsPages } from './settingsPages.js';
import { tokenPage } from './tokenPage.js';
import { userPage } from './userPage.js';

const ADMIN_PAGES = ['/staff/users', '/staff/audit', '/staff/data-rights'];

/** Admin pages answer 403 to everyone else, as the admin API routes do. */
const adminOnly = createMiddleware<StaffPageEnv>(async (c, next) => {
  if (!c.get('viewer').administers) {
    return staffPage(
      c,
      {
        title: 'このページは管理者用です',
        titleEn: 'Admins only',
        children: (
          <p>
            このページを使えるのは団体の管理者だけです。必要なときは管理者に依頼してください。
            <br />
            <span class="en">Only the organisation's admins can use this page.</span>
          </p>
        ),
      },
      403,
    );
  }
  await next();
});

export function accountPages(database: Database) {
  const app = new Hono<StaffPageEnv>();
  for (const path of ADMIN_PAGES) app.use(path, adminOnly);
  app.route('/', settingsPages(database));
  app.route('/', tokenPage(database));
  app.route('/', userPage(database));
  app.route('/', auditPage(database));
  app.route('/', dataRightsPage(database));
  return app;
}
