/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** A page outside the staff shell (the /c page, print pages): Japanese, not indexed, never cached. */
export function plainPage(c: Context, props: { title: string; head: Child; body: Child }, status: ContentfulStatusCode = 200) {
  c.header('cache-control', 'no-store');
  const page = (
    <html lang="ja">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <meta name="color-scheme" content="light" />
        <link rel="icon" href="data:," />
        <title>{props.title}</title>
        {props.head}
      </head>
      <body>{props.body}</body>
    </html>
  );
  return c.html(html`<!doctype html>${page}`, status);
}
