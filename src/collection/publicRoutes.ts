import { eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import QRCode from 'qrcode';
import { keyedHash } from '../auth/secrets.js';
import type { Database } from '../db/database.js';
import { invitations, questionnaireVersions, waves } from '../db/schema.js';
import { readJson } from '../http/json.js';

import { messagePage, participantPage } from '../web/participantPage.js';
import { submitResponse } from './intake.js';
import { submissionSchema } from './submissionSchema.js';
import { closedReason, unknownLink } from './waveState.js';



/** Pages and endpoints for participants: no account, reached by an open link or an invitation token. */
export function publicRoutes(database: Database, hashKey: string, publicUrl: (path: string) => string) {
  const { db } = database;
  const app = new Hono();

  async function bySlug(slug: string) {
    if (!/^[A-Za-z0-9_-]{8,64}$/.test(slug)) return undefined;
    const [row] = await db
      .select({ wave: waves, version: questionnaireVersions })
      .from(waves)
      .innerJoin(questionnaireVersions, eq(questionnaireVersions.id, waves.versionId))
      .where(eq(waves.slug, slug));
    return row;
  }

  async function byToken(token: string) {
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return undefined;
    const [row] = await db
      .select({ wave: waves, version: questionnaireVersions, invitation: invitations })
      .from(invitations)
      .innerJoin(waves, eq(waves.id, invitations.waveId))
      .innerJoin(questionnaireVersions, eq(questionnaireVersions.id, waves.versionId))
      .where(eq(invitations.tokenHash, keyedHash(hashKey, token)));
    return row;
  }

  function page(c: Context, found: Awaited<ReturnType<typeof bySlug>>, submitUrl: string, alreadyAnswered = false) {
    if (!found) return messagePage(c, unknownLink().body);
    const closed = closedReason(found.wave);
    if (closed) return messagePage(c, closed.body);
    if (alreadyAnswered) {
      return messagePage(c, {
        status: 409,
        title: 'Already answered',
        detail: 'Answers from this link have already been received. Thank you.',
        title_ja: '回答済みです',
        detail_ja: 'このリンクからの回答はすでに受け付けました。ご協力ありがとうございました。',
      });
    }
    return participantPage(c, { wave: found.wave, definition: found.version.definition, submitUrl });
  }

  app.get('/s/:slug', async (c) => page(c, await bySlug(c.req.param('slug')), `/api/public/s/${c.req.param('slug')}/responses`));

  app.get('/t/:token', async (c) => {
    const found = await byToken(c.req.param('token'));
    return page(c, found, `/api/public/t/${c.req.param('token')}/responses`, found?.invitation.disposition === 'complete');
  });

  app.get('/s/:slug/qr.:format{svg|png}', async (c) => {
    const slug = c.req.param('slug');
    if (!(await bySlug(slug))) throw unknownLink();
    const url = publicUrl(`/s/${slug}`);
    if (c.req.param('format') === 'svg') {
      return c.body(await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }), 200, { 'content-type': 'image/svg+xml' });
    }
    const png = await QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 600 });
    return c.body(new Uint8Array(png), 200, { 'content-type': 'image/png' });
  });

  app.post('/api/public/s/:slug/responses', async (c) => {
    const found = await bySlug(c.req.param('slug'));
    if (!found) throw unknownLink();
    return accept(c, found);
  });

  app.post('/api/public/t/:token/responses', async (c) => {
    const found = await byToken(c.req.param('token'));
    if (!found) throw unknownLink();
    return accept(c, found);
  });

  async function accept(c: Context, target: { wave: typeof waves.$inferSelect; version: typeof questionnaireVersions.$inferSelect; invitation?: typeof invitations.$inferSelect }) {
    const closed = closedReason(target.wave);
    if (closed) throw closed;
    const input = await readJson(c, submissionSchema);
    const receipt = await submitResponse(database, hashKey, target, { ...input, mode: 'web' });
    return c.json(
      { ...receipt, message: 'Thank you. Your answers have been received.', message_ja: 'ご回答ありがとうございました。回答を受け付けました。' },
      201,
    );
  }

  return app;
}

