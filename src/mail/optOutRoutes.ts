import { and, eq, isNull } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { audit } from '../accounts/audit.js';
import type { Database } from '../db/database.js';
import { invitations, organisations } from '../db/schema.js';
import { assetUrl } from '../web/assets.js';
import { messagePage } from '../web/participantPage.js';
import { validOptOut } from './optOutToken.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function page(c: Context, title: string, body: ReturnType<typeof html>) {
  c.header('cache-control', 'no-store');
  return c.html(html`<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>${title}</title>
<link rel="stylesheet" href="${assetUrl('participant.css')}">
</head>
<body><main class="message">${body}</main></body>
</html>`);
}

/**
 * The opt-out link in every e-mail (no login): GET asks to confirm, so a mail scanner opening links stops
 * nothing; POST (the button, or a mail program's one-click unsubscribe, RFC 8058) stops further e-mail
 * for this survey. Recorded as a participant's action: audited with no user.
 */
export function optOutRoutes(database: Database, hashKey: string) {
  const app = new Hono();

  async function find(c: Context) {
    const { invitationId, mac } = c.req.param() as { invitationId: string; mac: string };
    if (!UUID.test(invitationId) || !validOptOut(hashKey, invitationId, mac)) return undefined;
    const [row] = await database.db
      .select({ invitation: invitations, organisationName: organisations.name })
      .from(invitations)
      .innerJoin(organisations, eq(organisations.id, invitations.organisationId))
      .where(eq(invitations.id, invitationId));
    return row;
  }

  const unknown = (c: Context) =>
    messagePage(c, {
      status: 404,
      title: 'Link not found',
      detail: 'This opt-out link is not complete or no longer exists. Please check the address in the e-mail.',
      title_ja: 'リンクが見つかりません',
      detail_ja: 'この配信停止のリンクは、途中で切れているか、すでに無効です。メールにあるアドレスをもう一度ご確認ください。',
    });

  const stopped = (c: Context, organisationName: string) =>
    page(
      c,
      '配信を停止しました',
      html`<h1>配信を停止しました</h1>
<p>${organisationName}から、このアンケートのご案内メールは今後お送りしません。</p>
<p>回答はこれまでどおりメールのリンクからできます。ご質問は${organisationName}にお問い合わせください。</p>
<p lang="en" class="english">You will receive no more e-mail about this survey.</p>`,
    );

  app.get('/optout/:invitationId/:mac', async (c) => {
    const found = await find(c);
    if (!found) return unknown(c);
    if (found.invitation.optedOutAt) return stopped(c, found.organisationName);
    return page(
      c,
      'メールの配信停止',
      html`<h1>メールの配信停止</h1>
<p>${found.organisationName}からのアンケートのご案内メール（リマインダーを含む）を停止します。よろしければ下のボタンを押してください。</p>
<form method="post" class="nav"><button type="submit" class="btn submit">配信を停止する</button></form>
<p lang="en" class="english">Stop e-mail about this survey: press the button.</p>`,
    );
  });

  app.post('/optout/:invitationId/:mac', async (c) => {
    const found = await find(c);
    if (!found) return unknown(c);
    await database.db.transaction(async (tx) => {
      const [changed] = await tx
        .update(invitations)
        .set({ optedOutAt: new Date(), updatedAt: new Date() })
        .where(and(eq(invitations.id, found.invitation.id), isNull(invitations.optedOutAt)))
        .returning({ id: invitations.id });
      if (changed) await audit(tx, { organisationId: found.invitation.organisationId, userId: null }, 'participant.mail_opted_out', found.invitation.waveId, { unitId: found.invitation.unitId });
    });
    return stopped(c, found.organisationName);
  });

  return app;
}
