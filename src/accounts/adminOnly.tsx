/**
 * Passed in the definition of every admin page route (those under ADMIN_PAGES), so the check travels
 * with the route: everyone else gets a 403 page, as the admin API routes answer 403.
 */
import { createMiddleware } from 'hono/factory';
import { staffPage } from '../web/staff/layout.js';
import type { StaffPageEnv } from '../web/staff/session.js';

export const adminOnly = createMiddleware<StaffPageEnv>(async (c, next) => {
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
