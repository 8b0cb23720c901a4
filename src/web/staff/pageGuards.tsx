/**
 * Page middlewares passed in the definition of a staff page route, so the check travels with the
 * route: others get a 403 page, as the matching API routes answer 403.
 *   adminOnly    the organisation's admins (every page under ADMIN_PAGES)
 *   editorsOnly  editors and admins: pages that only write (evaluators read results)
 */
import type { Context, Next } from 'hono';
import { createMiddleware } from 'hono/factory';
import { staffPage } from './layout.js';
import type { StaffPageEnv } from './session.js';

function refuse(c: Context<StaffPageEnv>, who: { ja: string; en: string }) {
  return staffPage(
    c,
    {
      title: `このページは${who.ja}用です`,
      titleEn: `${who.en} only`,
      children: (
        <p>
          このページを使えるのは{who.ja}だけです。必要なときは{who.ja}に依頼してください。
          <br />
          <span class="en">Only {who.en.toLowerCase()} can use this page.</span>
        </p>
      ),
    },
    403,
  );
}

export const adminOnly = createMiddleware<StaffPageEnv>(async (c, next: Next) => {
  if (!c.get('viewer').administers) return refuse(c, { ja: '団体の管理者', en: "The organisation's admins" });
  await next();
});

export const editorsOnly = createMiddleware<StaffPageEnv>(async (c, next: Next) => {
  if (c.get('viewer').role === 'evaluator') return refuse(c, { ja: '編集者と管理者', en: 'Editors and admins' });
  await next();
});
