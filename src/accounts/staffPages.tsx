/**
 * Account staff pages, so an admin needs neither the API nor the CLI to run the organisation's accounts
 * (the CLI remains for creating an organisation, and for one whose admins are all locked out):
 * organisation settings, own account, API tokens (admins: every token of the organisation), and for
 * admins users (with password reset), the audit log and data rights. Admin routes carry `adminOnly`
 * (see ADMIN_PAGES). The pages read through the same functions as the API (listings.ts); their scripts
 * (accounts.js) write through the API, so its checks (roles, validation, audit) apply unchanged.
 */
import { Hono } from 'hono';
import type { Database } from '../db/database.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { auditPage } from './auditPage.js';
import { dataRightsPage } from './dataRightsPage.js';
import { settingsPages } from './settingsPages.js';
import { tokenPage } from './tokenPage.js';
import { userPage } from './userPage.js';

export function accountPages(database: Database) {
  const app = new Hono<StaffPageEnv>();
  app.route('/', settingsPages(database));
  app.route('/', tokenPage(database));
  app.route('/', userPage(database));
  app.route('/', auditPage(database));
  app.route('/', dataRightsPage(database));
  return app;
}
