import { Hono } from 'hono';
import type { Database } from '../../db/database.js';
import { organisations } from '../../db/schema.js';
import { staffPage } from './layout.js';

/**
 * GET /: the address `npm start` prints. Staff sign in there; before any organisation exists, a newcomer
 * learns how to create the first one (the CLI, on the same DATA_DIR, with the server stopped on PGlite).
 */
export function firstRunPage(database: Database, embedded: boolean) {
  const app = new Hono();
  app.get('/', async (c) => {
    const [any] = await database.db.select({ id: organisations.id }).from(organisations).limit(1);
    if (any) return c.redirect('/staff/login', 303);
    c.header('cache-control', 'no-store');
    return staffPage(c, {
      title: 'はじめに：団体を作成してください',
      titleEn: 'First run: create an organisation',
      page: 'first-run',
      children: (
        <section class="stack">
          <p>
            このサーバーにはまだ団体（組織）がありません。最初の団体と管理者を、コマンドで作成してください。
            <span class="en"> This server has no organisation yet. Create the first organisation and its administrator from the command line.</span>
          </p>
          <ol class="stack">
            {embedded ? (
              <li>
                いま動いているサーバーを止めます（ターミナルで Ctrl+C）。内蔵データベースは同時に一つのプロセスしか開けません。
                <span class="en"> Stop this server (Ctrl+C): the embedded database opens in one process at a time.</span>
              </li>
            ) : null}
            <li>
              サーバーと同じ設定（<code>DATA_DIR</code> または <code>DATABASE_URL</code>）で、次を実行します。パスワードは一度だけ表示されます。
              <span class="en"> Run this with the server's own DATA_DIR or DATABASE_URL; the password is shown once.</span>
              <pre>npm run cli -- create-organisation --name "〇〇支援センター" --admin-email you@example.jp</pre>
            </li>
            <li>
              サーバーを起動し直し（<code>npm start</code>）、このページを開き直すとログイン画面になります。
              <span class="en"> Start the server again (npm start) and reload this page to sign in.</span>
            </li>
          </ol>
          <p class="hint">
            スクリプトから使う場合は、最初の起動時に <code>BOOTSTRAP_TOKEN</code> を設定すると既定の団体と管理者の API トークンが作られます（README「Run it」）。
            <span class="en"> For scripts, start once with BOOTSTRAP_TOKEN (README, "Run it").</span>
          </p>
        </section>
      ),
    });
  });
  return app;
}
