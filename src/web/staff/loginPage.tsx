import { Hono } from 'hono';
import type { Database } from '../../db/database.js';
import { staffPage } from './layout.js';
import { sessionViewer } from './session.js';

/** Only same-site staff paths are followed after login. */
export function safeNext(next: string | undefined): string {
  return next && /^\/staff(\/[^\s\\]*)?$/.test(next) && !next.startsWith('//') ? next : '/staff/templates';
}

/** GET /staff/login: the form; staff.js posts it to /api/auth/login and follows `next`. */
export function loginPage(database: Database) {
  const app = new Hono();
  app.get('/staff/login', async (c) => {
    const next = safeNext(c.req.query('next'));
    if (await sessionViewer(database, c)) return c.redirect(next, 303);
    return staffPage(c, {
      title: 'ログイン',
      titleEn: 'Log in',
      page: 'login',
      children: (
        <form id="login" class="stack narrow" data-next={next} novalidate>
          <label>
            メールアドレス <span class="en">Email</span>
            <input type="email" name="email" id="email" autocomplete="username" required />
          </label>
          <label>
            パスワード <span class="en">Password</span>
            <input type="password" name="password" id="password" autocomplete="current-password" required />
          </label>
          <label id="organisation-choice" hidden>
            団体 <span class="en">Organisation</span>
            <select name="organisationId" id="organisationId"></select>
          </label>
          <div id="login-problem" class="problems" role="alert" hidden></div>
          <button type="submit" class="primary">
            ログイン <span class="en">Log in</span>
          </button>
          <noscript>
            <p class="problems">このページには JavaScript が必要です。 This page needs JavaScript.</p>
          </noscript>
        </form>
      ),
    });
  });
  return app;
}
