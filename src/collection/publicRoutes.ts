import { randomBytes } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { eq, sql } from 'drizzle-orm';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import QRCode from 'qrcode';
import { z } from 'zod';
import { keyedHash } from '../auth/secrets.js';
import type { Database } from '../db/database.js';
import { invitations, organisations, questionnaireVersions, waves } from '../db/schema.js';
import { limitBody } from '../http/bodyLimit.js';
import { apiRoute, apiRouter, failures, jsonBody, jsonResponse } from '../http/openapi.js';
import { Problem } from '../http/problem.js';
import { langOf, messagePage, participantPage, thankYouPage, type SupportContact } from '../web/participantPage.js';
import { formAnswers, loc, type Lang } from '../web/surveyForm.js';
import { publishedVersion } from '../questionnaires/publishedVersions.js';
import { submitResponse } from './intake.js';
import { recentLinks } from './recentLinks.js';
import { participantReceiptSchema } from './schemas.js';
import { submissionSchema } from './submissionSchema.js';
import { alreadyAnswered, closedReason, hasEnded, unavailableLink } from './waveState.js';

type Target = {
  wave: typeof waves.$inferSelect;
  version: typeof questionnaireVersions.$inferSelect;
  organisationName?: string;
  /** 問い合わせ先 and support contacts the participant sees (organisation settings). */
  contact?: string | null;
  supportContacts?: SupportContact[] | null;
  invitation?: typeof invitations.$inferSelect;
};

/** What the participant page shows of the organisation, selected with every link lookup. */
const organisationShown = { organisationName: organisations.name, contact: organisations.contact, supportContacts: organisations.supportContacts };

/** Participant pages are small but go over slow networks: compress them (brotli, else gzip). */
export const compressHtml: MiddlewareHandler = async (c, next) => {
  await next();
  const type = c.res.headers.get('content-type') ?? '';
  if (!type.startsWith('text/html') || c.res.headers.has('content-encoding')) return;
  const accepts = c.req.header('accept-encoding') ?? '';
  const br = /\bbr\b/.test(accepts);
  if (!br && !/\bgzip\b/.test(accepts)) return;
  const body = Buffer.from(await c.res.arrayBuffer());
  const packed = br ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 7 } }) : gzipSync(body, { level: 7 });
  const headers = new Headers(c.res.headers);
  headers.set('content-encoding', br ? 'br' : 'gzip');
  headers.set('content-length', String(packed.length));
  headers.append('vary', 'accept-encoding');
  c.res = new Response(new Uint8Array(packed), { status: c.res.status, headers });
};

/** Pages and endpoints for participants: no account, reached by an open link or an invitation token. */
export function publicRoutes(database: Database, hashKey: string, publicUrl: (path: string) => string) {
  const { db } = database;
  const app = apiRouter();

  // Prepared once: the open link is the hot path, and building the query each time costs more than running it.
  // The questionnaire version comes from publishedVersion's cache, not from this query.
  const waveBySlug = db
    .select({ wave: waves, ...organisationShown })
    .from(waves)
    .innerJoin(organisations, eq(organisations.id, waves.organisationId))
    .where(eq(waves.slug, sql.placeholder('slug')))
    .prepare('wave_by_slug');

  async function bySlug(slug: string): Promise<Target | undefined> {
    if (!/^[A-Za-z0-9_-]{8,64}$/.test(slug)) return undefined;
    const [row] = await waveBySlug.execute({ slug });
    const version = row && (await publishedVersion(database, row.wave.versionId));
    return version && { ...row, version };
  }

  async function byToken(token: string) {
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return undefined;
    const [row] = await db
      .select({ wave: waves, version: questionnaireVersions, invitation: invitations, ...organisationShown })
      .from(invitations)
      .innerJoin(waves, eq(waves.id, invitations.waveId))
      .innerJoin(questionnaireVersions, eq(questionnaireVersions.id, waves.versionId))
      .innerJoin(organisations, eq(organisations.id, waves.organisationId))
      .where(eq(invitations.tokenHash, keyedHash(hashKey, token)));
    return row as Target | undefined;
  }

  function page(c: Context, found: Target | undefined, submitUrl: string) {
    if (!found) return messagePage(c, unavailableLink().body);
    const closed = closedReason(found.wave);
    if (closed) return messagePage(c, closed.body);
    if (found.invitation?.disposition === 'complete') return messagePage(c, alreadyAnswered().body);
    return participantPage(c, {
      wave: found.wave,
      definition: found.version.definition,
      organisationName: found.organisationName,
      contact: found.contact,
      supportContacts: found.supportContacts,
      personal: Boolean(found.invitation),
      submitUrl,
      formAction: c.req.path,
      lang: langOf(c),
    });
  }

  /** The plain form post (no JavaScript): same validation, a thank-you page or the form again with errors. */
  async function formPost(c: Context, found: Target | undefined, submitUrl: string) {
    if (!found) return messagePage(c, unavailableLink().body);
    const closed = closedReason(found.wave);
    if (closed) return messagePage(c, closed.body);
    const form = (await c.req.parseBody({ all: true })) as Record<string, string | string[]>;
    const field = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : undefined);
    const lang: Lang = field('__lang') === 'en' ? 'en' : 'ja';
    const definition = found.version.definition;
    const answers = formAnswers(definition, form);
    const given = field('__key') ?? '';
    const idempotencyKey = /^[A-Za-z0-9_-]{8,100}$/.test(given) ? given : `form-${randomBytes(16).toString('hex')}`;
    const participantCode = field('__participantCode')?.trim() || undefined;
    try {
      await submitResponse(database, hashKey, found, { answers, status: 'complete', mode: 'web', idempotencyKey, participantCode: participantCode?.slice(0, 64) });
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      if (error.status !== 422) return messagePage(c, error.body);
      const errors: Record<string, string> = {};
      for (const e of error.body.errors ?? []) errors[e.field] = (lang === 'en' ? e.message : e.message_ja) || e.message;
      return participantPage(
        c,
        {
          wave: found.wave,
          definition,
          organisationName: found.organisationName,
          contact: found.contact,
          supportContacts: found.supportContacts,
          personal: Boolean(found.invitation),
          submitUrl,
          formAction: c.req.path,
          lang,
          values: answers,
          errors,
          participantCode,
          idempotencyKey,
        },
        422,
      );
    }
    return thankYouPage(c, lang, loc(definition.title, lang), found.supportContacts);
  }

  const formLimit = limitBody(256 * 1024, (c) =>
    messagePage(c, { status: 413, title: 'Too much text', detail: 'The answers are too long to send.', title_ja: '送信内容が大きすぎます', detail_ja: '回答の文章が長すぎて送信できません。' }),
  );

  app.use('/s/:slug', compressHtml);
  app.use('/t/:token', compressHtml);

  app.get('/s/:slug', async (c) => page(c, await bySlug(c.req.param('slug')), `/api/public/s/${c.req.param('slug')}/responses`));
  app.post('/s/:slug', formLimit, async (c) => formPost(c, await bySlug(c.req.param('slug')), `/api/public/s/${c.req.param('slug')}/responses`));

  app.get('/t/:token', async (c) => page(c, await byToken(c.req.param('token')), `/api/public/t/${c.req.param('token')}/responses`));
  app.post('/t/:token', formLimit, async (c) => formPost(c, await byToken(c.req.param('token')), `/api/public/t/${c.req.param('token')}/responses`));

  /**
   * Printable QR codes of the open link (two plain routes: a pattern route breaks under Hono's other
   * routers). Only while the wave takes answers, so a closed wave looks like no wave here too.
   */
  async function qrCode(c: Context, format: 'svg' | 'png') {
    const slug = c.req.param('slug') ?? '';
    const found = await bySlug(slug);
    if (!found || hasEnded(found.wave)) throw unavailableLink();
    const url = publicUrl(`/s/${slug}`);
    if (format === 'svg') {
      return c.body(await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }), 200, { 'content-type': 'image/svg+xml' });
    }
    const png = await QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 600 });
    return c.body(new Uint8Array(png), 200, { 'content-type': 'image/png' });
  }
  app.get('/s/:slug/qr.svg', (c) => qrCode(c, 'svg'));
  app.get('/s/:slug/qr.png', (c) => qrCode(c, 'png'));

  const recentSlug = recentLinks(bySlug);
  app.openapi(submission('/api/public/s/{slug}/responses', 'Participant submission through an open link (idempotent by idempotencyKey)'), async (c) => {
    const found = await recentSlug(c.req.param('slug'));
    if (!found) throw unavailableLink();
    return accept(c, found, c.req.valid('json'));
  });

  app.openapi(submission('/api/public/t/{token}/responses', 'Participant submission through a personal invitation link (idempotent by idempotencyKey)'), async (c) => {
    const found = await byToken(c.req.param('token'));
    if (!found) throw unavailableLink();
    return accept(c, found, c.req.valid('json'));
  });

  async function accept(c: Context, target: Target, input: z.infer<typeof submissionSchema>) {
    const closed = closedReason(target.wave);
    if (closed) throw closed;
    const receipt = await submitResponse(database, hashKey, target, { ...input, mode: 'web' });
    return c.json(
      { ...receipt, message: 'Thank you. Your answers have been received.', message_ja: 'ご回答ありがとうございました。回答を受け付けました。' },
      201,
    );
  }

  return app;
}

/** The submission endpoints: no credentials, the link itself is the permission. */
function submission<P extends string>(path: P, summary: string) {
  const link = path.includes('{slug}') ? 'slug' : 'token';
  return apiRoute({
    method: 'post',
    path,
    summary,
    security: [],
    request: { params: z.object({ [link]: z.string() }), body: jsonBody(submissionSchema) },
    responses: {
      201: jsonResponse(participantReceiptSchema, 'Received (or, for a repeated idempotencyKey, the first receipt again)'),
      ...failures(400, 404, 410, 413, 415, 422, 429),
    },
  });
}

