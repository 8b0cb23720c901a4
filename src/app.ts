import { z } from 'zod';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { dataRightsRoutes } from './accounts/dataRights.js';
import { loginRoutes, selfRoutes } from './accounts/authRoutes.js';
import { accountRoutes } from './accounts/routes.js';
import { accountPages } from './accounts/staffPages.js';
import { rateBuckets } from './auth/rateBuckets.js';
import { NO_RATE_LIMITS, publicRateLimit } from './auth/rateLimit.js';
import { staffAuth, type StaffEnv } from './auth/staff.js';
import { entryRoutes } from './collection/entryRoutes.js';
import { collectionRoutes } from './collection/routes.js';
import { participationPages } from './participation/pages.js';
import { participationRoutes } from './participation/routes.js';
import { collectionPages } from './collection/staffPages.js';
import { publicRoutes } from './collection/publicRoutes.js';
import { accessCodeRoutes } from './invitations/accessCodePage.js';
import { invitationRoutes } from './invitations/routes.js';
import { invitationPages } from './invitations/pages.js';
import { printPages } from './invitations/printPages.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { apiRoute, apiRouter, jsonResponse, openApiDocument, registerSecuritySchemes } from './http/openapi.js';
import { logError } from './http/logError.js';
import type { MailService } from './mail/mailer.js';
import { optOutRoutes } from './mail/optOutRoutes.js';
import { mailPages } from './mail/pages.js';
import { mailRoutes } from './mail/routes.js';
import { limitBody } from './http/bodyLimit.js';
import { Problem, problemResponse } from './http/problem.js';
import { questionnaireRoutes } from './questionnaires/routes.js';
import { questionnairePages } from './questionnaires/staffPages.js';
import { nationalPages } from './national/pages.js';
import { nationalRoutes } from './national/routes.js';
import { resultPages } from './results/pageRoutes.js';
import { resultRoutes } from './results/routes.js';
import { assetRoutes } from './web/assets.js';
import { firstRunPage } from './web/staff/firstRun.js';
import { messagePage } from './web/participantPage.js';
import { staffPages } from './web/staff/routes.js';

export type AppDeps = {
  database: Database;
  config: Pick<Config, 'maxBodyBytes' | 'publicUrl'> & Partial<Pick<Config, 'rateLimits' | 'sessionHours'>>;
  /** Key for keyed hashes of tokens and participant codes (see auth/secrets.ts loadHashKey). */
  hashKey: string;
  /** E-mail invitations and reminders (src/mail/mailer.ts startMail); absent when SMTP_URL is not set. */
  mail?: MailService;
};

/** The whole service as a Hono app; no globals, so tests build one per database. */
export function createApp({ database, config, hashKey, mail }: AppDeps) {
  const app = apiRouter();
  registerSecuritySchemes(app);
  const publicUrl = (path: string) => `${config.publicUrl ?? ''}${path}`;

  // A NUL byte in an address can never name anything and PostgreSQL cannot compare with it: refused here, for every route.
  app.use('*', async (c, next) => {
    if (/%00/.test(c.req.url)) {
      return problemResponse(c, { title: 'Bad request', status: 400, detail: 'The address contains a NUL character.', title_ja: 'アドレスが正しくありません', detail_ja: 'アドレスに使えない文字（NUL）が含まれています。' });
    }
    await next();
  });
  const headers = (frameAncestors: string) =>
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: [frameAncestors],
      },
      referrerPolicy: 'no-referrer',
    });
  const strictHeaders = headers("'none'");
  // Staff previews are shown in the authoring pages' phone frame: framable by this origin only.
  const previewHeaders = headers("'self'");
  app.use('*', (c, next) => (c.req.path.startsWith('/staff/preview/') ? previewHeaders : strictHeaders)(c, next));
  const bodyLimit = limitBody(config.maxBodyBytes, (c) =>
    problemResponse(c, {
      title: 'Request too large',
      status: 413,
      detail: `The request body is larger than ${config.maxBodyBytes} bytes.`,
      title_ja: '送信内容が大きすぎます',
      detail_ja: `送信できる大きさは ${config.maxBodyBytes} バイトまでです。`,
    }),
  );
  for (const path of ['/api/*', '/staff/*']) app.use(path, bodyLimit);
  // Staff data, downloads and participants' receipts must not stay in a browser's or proxy's cache.
  for (const path of ['/api/*', '/staff/*']) {
    app.use(path, async (c, next) => {
      await next();
      if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
    });
  }

  // Participant endpoints are rate limited per IP and per wave link (off when no limits are configured, as in tests).
  const rateLimits = config.rateLimits ?? NO_RATE_LIMITS;
  if (rateLimits.ipPerMinute > 0 || rateLimits.wavePerSecond > 0) {
    const limit = publicRateLimit(rateLimits, rateBuckets(database));
    for (const path of ['/api/public/*', '/s/*', '/t/*', '/optout/*', '/c']) app.use(path, limit);
  }

  const health = apiRoute({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness, and which database driver is in use',
    security: [],
    responses: { 200: jsonResponse(z.object({ ok: z.literal(true), database: z.string() }), 'Up') },
  });
  app.openapi(health, (c) => c.json({ ok: true, database: database.driver }));
  app.route('/', assetRoutes());
  app.route('/', firstRunPage(database, database.driver === 'pglite'));
  app.route('/', publicRoutes(database, hashKey, publicUrl));
  app.route('/', optOutRoutes(database, hashKey));
  app.route('/', accessCodeRoutes(database, hashKey));
  app.route('/', staffPages(database, [questionnairePages(database, publicUrl), resultPages(database), nationalPages(database), collectionPages(database, publicUrl), accountPages(database), participationPages(database), mailPages(database, mail, publicUrl), invitationPages(database, hashKey, publicUrl), printPages(database, hashKey, publicUrl)]));

  const description = apiRoute({
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This description (OpenAPI 3.1), generated from the schemas that validate each route',
    security: [],
    responses: { 200: jsonResponse(z.looseObject({ openapi: z.literal('3.1.0') }), 'The OpenAPI document') },
  });
  // Made on each request: sub-apps mounted below add their routes to the registry after this line runs.
  app.openapi(description, (c) => c.json(openApiDocument(app, config.publicUrl)));
  app.route('/api', loginRoutes(database, { publicUrl: config.publicUrl, sessionHours: config.sessionHours, rateLimits }));

  const staff = apiRouter<StaffEnv>();
  staff.use('*', staffAuth(database, { publicUrl: config.publicUrl }));
  staff.route('/', selfRoutes(database, rateLimits));
  staff.route('/', accountRoutes(database));
  staff.route('/', dataRightsRoutes(database, hashKey));
  staff.route('/', questionnaireRoutes(database));
  staff.route('/', collectionRoutes(database, hashKey, publicUrl));
  staff.route('/', invitationRoutes(database, hashKey, publicUrl));
  staff.route('/', entryRoutes(database, hashKey));
  staff.route('/', participationRoutes(database, hashKey));
  staff.route('/', mailRoutes(database, { hashKey, publicUrl }, mail));
  staff.route('/', resultRoutes(database));
  staff.route('/', nationalRoutes(database));
  app.route('/api', staff);

  app.notFound((c) => {
    // People type addresses from letters: /C and /c/ are the short address too, and a wrong address gets a page, not JSON.
    if (c.req.method === 'GET' && /^\/c\/?$/i.test(c.req.path)) return c.redirect('/c', 301);
    const problem = { title: 'Not found', status: 404, detail: `No route for ${c.req.method} ${c.req.path}.`, title_ja: 'ページが見つかりません', detail_ja: 'アドレスをご確認ください。お手元の案内に書かれたアドレスを、そのまま入力してください。' };
    if (c.req.method === 'GET' && !c.req.path.startsWith('/api/') && (c.req.header('accept') ?? '').includes('text/html')) {
      return messagePage(c, { ...problem, detail: 'Please check the address you were given and type it exactly.' });
    }
    return problemResponse(c, problem);
  });
  app.onError((error, c) => {
    if (error instanceof Problem) return problemResponse(c, error.body);
    if (error instanceof HTTPException) return problemResponse(c, { title: error.message || 'Error', status: error.status });
    logError(`${c.req.method} ${c.req.path}`, error);
    return problemResponse(c, {
      title: 'Internal server error',
      status: 500,
      detail: 'Something went wrong on the server. Nothing was stored. Please try again.',
      title_ja: 'サーバーでエラーが発生しました',
      detail_ja: 'サーバーで問題が発生しました。回答は保存されていません。もう一度お試しください。',
    });
  });
  return app;
}
