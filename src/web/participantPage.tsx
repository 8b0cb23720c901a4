import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { waves } from '../db/schema.js';
import type { ProblemDetail } from '../http/problem.js';
import { assetUrl } from './assets.js';

type PageInput = { wave: typeof waves.$inferSelect; definition: Record<string, unknown>; submitUrl: string };

/** JSON inside a <script> block must not be able to close the block. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function layout(title: string, body: unknown) {
  return html`<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<link rel="stylesheet" href="${assetUrl('participant.css')}">
</head>
<body>${body}</body>
</html>`;
}

/** The participant page: a small shell that SurveyJS fills in on the phone. */
export function participantPage(c: Context, input: PageInput) {
  const config = {
    waveId: input.wave.id,
    submitUrl: input.submitUrl,
    askParticipantCode: input.wave.askParticipantCode,
  };
  const title = typeof input.definition.title === 'string' ? input.definition.title : 'アンケート';
  c.header('cache-control', 'no-store');
  return c.html(
    layout(
      title,
      html`<main id="app">
<noscript><p class="notice">このアンケートに回答するには JavaScript を有効にしてください。 / Please enable JavaScript to answer this survey.</p></noscript>
<p id="status" class="notice" role="status" aria-live="polite" hidden></p>
<div id="survey"></div>
</main>
<script type="application/json" id="survey-definition">${raw(scriptJson(input.definition))}</script>
<script type="application/json" id="survey-config">${raw(scriptJson(config))}</script>
<link rel="stylesheet" href="${assetUrl('survey-core.css')}">
<script src="${assetUrl('survey-core.js')}" defer></script>
<script src="${assetUrl('survey-ja.js')}" defer></script>
<script src="${assetUrl('survey-js-ui.js')}" defer></script>
<script src="${assetUrl('participant.js')}" defer></script>`,
    ),
  );
}

/** A plain page for closed or unknown links: never a stack trace. */
export function messagePage(c: Context, problem: ProblemDetail) {
  c.header('cache-control', 'no-store');
  return c.html(
    layout(
      problem.title_ja ?? problem.title,
      html`<main class="message">
<h1>${problem.title_ja ?? problem.title}</h1>
<p>${problem.detail_ja ?? ''}</p>
<p lang="en" class="english">${problem.title}. ${problem.detail ?? ''}</p>
</main>`,
    ),
    problem.status as ContentfulStatusCode,
  );
}
