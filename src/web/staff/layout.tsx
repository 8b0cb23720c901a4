/**
 * The staff shell: every staff page (authoring, and the evaluator pages under /staff/waves/:id/…)
 * is rendered through `staffPage`, so they share header, navigation, styles and the api() helper.
 *
 *   staffPage(c, props, status = 200): Response
 *     c      a Hono Context whose variables include `viewer` (set by staffPageGuard in session.ts;
 *            mount your routes on the app returned by staffPages(), or use staffPageGuard yourself)
 *     props  StaffLayoutProps:
 *       title     Japanese page title (shown in <title> and as <h1>)
 *       titleEn   optional English subtitle, shown small beside the title
 *       active    which nav item is highlighted (StaffNav); items under ADMIN_PAGES (session.ts) are
 *                 shown to viewers who administer the organisation only
 *       page      optional name put on <body data-page="…"> for page scripts
 *       scripts   optional extra static scripts by asset name (see assets.ts `sources`), loaded
 *                 after staff.js (which defines window.staffApi: api(method, path, body) → {ok, status, body},
 *                 problemText(body), and the CSRF token from <meta name="csrf-token">)
 *       modules   optional ES module scripts by asset name (<script type="module">), after `scripts`
 *       styles    optional extra style sheets by asset name, after staff.css
 *       wide      full-width main area (tables, side-by-side preview)
 *       children  the page body (hono/jsx)
 *
 * `staffLayout(viewer, props)` returns the same page as JSX, for callers that build the response themselves.
 * CSP allows only script-src 'self': no inline scripts or handlers; put behaviour in static JS files.
 */
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { assetUrl } from '../assets.js';
import { isAdminPage, type StaffViewer } from './session.js';

export type StaffNav = 'templates' | 'questionnaires' | 'results' | 'activities' | 'organisation' | 'users' | 'tokens' | 'audit' | 'data-rights' | 'account';

export type StaffLayoutProps = {
  title: string;
  titleEn?: string;
  active?: StaffNav;
  page?: string;
  scripts?: string[];
  modules?: string[];
  styles?: string[];
  wide?: boolean;
  children?: Child;
};

const NAV: { key: StaffNav; href: string; ja: string; en: string }[] = [
  { key: 'templates', href: '/staff/templates', ja: 'テンプレート', en: 'Templates' },
  { key: 'questionnaires', href: '/staff/questionnaires', ja: 'アンケート', en: 'Questionnaires' },
  { key: 'results', href: '/staff/waves', ja: '結果', en: 'Results' },
  { key: 'activities', href: '/staff/activities', ja: '参加の記録', en: 'Participation' },
  { key: 'organisation', href: '/staff/organisation', ja: '団体設定', en: 'Organisation' },
  { key: 'users', href: '/staff/users', ja: 'ユーザー', en: 'Users' },
  { key: 'tokens', href: '/staff/tokens', ja: 'APIトークン', en: 'API tokens' },
  { key: 'audit', href: '/staff/audit', ja: '操作記録', en: 'Audit log' },
  { key: 'data-rights', href: '/staff/data-rights', ja: 'データの開示・削除', en: 'Data rights' },
];

export function staffLayout(viewer: StaffViewer | undefined, props: StaffLayoutProps) {
  return (
    <html lang="ja">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <link rel="icon" href="data:," />
        {viewer ? <meta name="csrf-token" content={viewer.csrfToken} /> : null}
        <title>{`${props.title} | 孤独・孤立アンケート`}</title>
        <link rel="stylesheet" href={assetUrl('staff.css')} />
        {(props.styles ?? []).map((name) => (
          <link rel="stylesheet" href={assetUrl(name)} />
        ))}
        <script src={assetUrl('staff.js')} defer></script>
        {(props.scripts ?? []).map((name) => (
          <script src={assetUrl(name)} defer></script>
        ))}
        {(props.modules ?? []).map((name) => (
          <script type="module" src={assetUrl(name)}></script>
        ))}
      </head>
      <body data-page={props.page ?? ''}>
        <header class="site">
          <a class="brand" href="/staff">
            孤独・孤立アンケート <span class="en">Survey staff</span>
          </a>
          {viewer ? (
            <nav aria-label="メニュー">
              {NAV.filter((item) => viewer.administers || !isAdminPage(item.href)).map((item) => (
                <a href={item.href} aria-current={props.active === item.key ? 'page' : undefined}>
                  {item.ja} <span class="en">{item.en}</span>
                </a>
              ))}
            </nav>
          ) : null}
          {viewer ? (
            <div class="who">
              <span>
                {viewer.organisationName} /{' '}
                <a href="/staff/account" aria-current={props.active === 'account' ? 'page' : undefined}>
                  {viewer.userName}
                </a>
              </span>
              <button type="button" class="link" data-action="logout">
                ログアウト
              </button>
            </div>
          ) : null}
        </header>
        <main class={props.wide ? 'wide' : undefined}>
          <h1>
            {props.title} {props.titleEn ? <span class="en">{props.titleEn}</span> : null}
          </h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** Renders a staff page (see the comment at the top of this file). */
export function staffPage(c: Context, props: StaffLayoutProps, status: ContentfulStatusCode = 200) {
  const viewer = c.get('viewer') as StaffViewer | undefined;
  c.header('cache-control', 'no-store');
  return c.html(html`<!doctype html>${staffLayout(viewer, props)}`, status);
}
