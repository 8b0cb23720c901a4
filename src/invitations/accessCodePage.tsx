/** @jsxImportSource hono/jsx */
/**
 * /c: the short address printed on letters. An older participant types the letter's 8-character アクセスコード;
 * the page finds the invitation and goes on to its questionnaire. Plain HTML, no JavaScript needed. The
 * 参加者コード of a card looks the same but is typed inside the questionnaire: the page says so, by name.
 */
import { eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { accessCodeHash, invitationToken, normaliseAccessCode } from '../collection/invitationLinks.js';
import type { Database } from '../db/database.js';
import { invitations } from '../db/schema.js';
import { assetUrl } from '../web/assets.js';
import { plainPage } from './plainPage.js';

function codePage(c: Context, input: { typed?: string; unknown?: boolean }, status: ContentfulStatusCode = 200) {
  return plainPage(
    c,
    {
      title: 'アクセスコードを入力',
      head: <link rel="stylesheet" href={assetUrl('participant.css')} />,
      body: (
        <main class="access-code">
          <h1>アクセスコードを入力</h1>
          <p>
            お手紙（アンケートのご案内）に書かれた <strong>8文字のアクセスコード</strong>（例: <span class="code-sample">ABCD-EFGH</span>）を入力して、「次へ」を押してください。
            小文字や全角のまま、ハイフン（-）や空白があっても大丈夫です。
          </p>
          <p class="hint">
            カードに書かれた「参加者コード」は、ここではなく、アンケートの画面の中で入力します。
          </p>
          {input.unknown ? (
            <div class="notice error-summary" role="alert" id="code-error">
              <p>
                <strong>このコードではアンケートを開けませんでした。</strong>
                <br />
                お手紙に書かれたアクセスコードをもう一度お確かめください。コードに数字の 0（ゼロ）と 1（いち）、英字の O（オー）と I（アイ）は使っていません。
              </p>
              <p>
                <strong>カードの「参加者コード」は、ここでは使えません。</strong>
                参加者コードは、カードやチラシのQRコードなどからアンケートを開き、その画面の中で「参加者コード」をたずねられたときに入力してください。
              </p>
              <p>分からないときは、お手紙やカードに書かれた問い合わせ先・実施団体にお尋ねください。</p>
              <p lang="en" class="english">This access code did not open a survey. Please check it. A participant code from a card is not typed here: open the survey (e.g. from the card's QR code) and type it when the survey asks for it.</p>
            </div>
          ) : null}
          <form method="post" action="/c" class="panel">
            <label class="q-title" for="access-code">
              アクセスコード <span lang="en" class="english">Access code</span>
            </label>
            <input
              id="access-code"
              name="code"
              type="text"
              inputmode="text"
              autocomplete="off"
              autocapitalize="characters"
              spellcheck={false}
              maxlength={40}
              required
              value={input.typed ?? ''}
              aria-describedby={input.unknown ? 'code-error' : undefined}
              aria-invalid={input.unknown ? 'true' : undefined}
            />
            <div class="nav">
              <button type="submit" class="btn submit">
                次へ <span lang="en">Next</span>
              </button>
            </div>
          </form>
          <p lang="en" class="english">Enter the 8-character access code from your letter. A participant code from a card is typed inside the survey, not here.</p>
        </main>
      ),
    },
    status,
  );
}

/** The /c page and its form post: a known code goes on to the invitation's link (303), anything else gets one message. */
export function accessCodeRoutes(database: Database, hashKey: string) {
  const app = new Hono();
  app.get('/c', (c) => codePage(c, {}));
  app.post('/c', async (c) => {
    const form = await c.req.parseBody();
    const typed = typeof form.code === 'string' ? form.code.slice(0, 40) : '';
    const code = normaliseAccessCode(typed);
    const [found] = code
      ? await database.db
          .select({ id: invitations.id, tokenIssue: invitations.tokenIssue })
          .from(invitations)
          .where(eq(invitations.accessCodeHash, accessCodeHash(hashKey, code)))
      : [];
    // A mistyped code and one never issued read the same, so the page tells nobody whether a code exists.
    if (!found || found.tokenIssue === null) return codePage(c, { typed, unknown: true }, 404);
    return c.redirect(`/t/${invitationToken(hashKey, found.id, found.tokenIssue)}`, 303);
  });
  return app;
}
