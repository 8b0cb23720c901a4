import { randomBytes } from 'node:crypto';
import { sanitiseDefinition } from '../questionnaires/sanitiseHtml.js';
import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { waves } from '../db/schema.js';
import type { ProblemDetail } from '../http/problem.js';
import { assetUrl } from './assets.js';
import { deadlineText } from './japanTime.js';
import { esc, estimateMinutes, loc, needsSurveyJs, renderPages, type Lang } from './surveyForm.js';

export type PageInput = {
  wave: typeof waves.$inferSelect;
  definition: Record<string, unknown>;
  /** JSON endpoint participant.js submits to (with an idempotency key made on the device). */
  submitUrl: string;
  /** Where the plain HTML form posts when JavaScript is off (the page's own URL). */
  formAction: string;
  organisationName?: string;
  /** 問い合わせ先 (organisation settings): shown on the first screen, as older people are taught to look for it. */
  contact?: string | null;
  /** Shown with the thanks; null or empty = the national default. */
  supportContacts?: SupportContact[] | null;
  lang?: Lang;
  /** After a no-JS post that did not validate: the answers as sent and a message per question. */
  values?: Record<string, unknown>;
  errors?: Record<string, string>;
  participantCode?: string;
  idempotencyKey?: string;
  /**
   * 'form' (default): server-rendered questions, enhanced by participant.js, SurveyJS only when needed.
   * 'surveyjs': the plain SurveyJS page (the bundle renders everything); kept for comparison in the bench.
   */
  renderer?: 'form' | 'surveyjs';
  /** Staff preview (authoring): a banner says answers are not stored; submitUrl only checks them. */
  preview?: boolean;
  /** A personal invitation link: one answer per link, so a device is never offered to answer again. */
  personal?: boolean;
};

export type SupportContact = { name: string; detail?: string; url?: string };
type ShippedContact = SupportContact & { nameEn: string; detailEn: string };

/**
 * The thank-you page's default support contact: the national portal of consultation services
 * (内閣府 孤独・孤立対策推進室; it moved from notalone-cas.go.jp to notalone-cao.go.jp).
 */
export const NATIONAL_SUPPORT: ShippedContact[] = [
  {
    name: 'あなたはひとりじゃない（内閣府 孤独・孤立対策）',
    nameEn: 'You are not alone (Cabinet Office, Japan)',
    detail: '悩みに合った相談窓口（電話・SNS・チャット）を探せます。',
    detailEn: 'The national directory of support lines by phone, social media and chat (in Japanese).',
    url: 'https://notalone-cao.go.jp/',
  },
];

/** JSON inside a <script> block must not be able to close the block. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export function langOf(c: Context): Lang {
  const asked = c.req.query('lang');
  return asked === 'en' ? 'en' : 'ja';
}

function layout(title: string, body: unknown, lang: Lang = 'ja', head: unknown = '') {
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="color-scheme" content="light">
<link rel="icon" href="data:,">
<title>${title}</title>
<link rel="stylesheet" href="${assetUrl('participant.css')}">
${head}</head>
<body>${body}</body>
</html>`;
}

function languageSwitch(lang: Lang) {
  return lang === 'en'
    ? `<nav class="lang"><a href="?lang=ja" hreflang="ja" lang="ja">日本語</a></nav>`
    : `<nav class="lang"><a href="?lang=en" hreflang="en" lang="en">English</a></nav>`;
}

/** The first screen: who runs the survey, what for, how long, who sees the answers, voluntary. */
function introduction(input: PageInput, lang: Lang, title: string) {
  const d = input.definition;
  const en = lang === 'en';
  const org = loc(d.organisationName, lang) || input.organisationName || (en ? 'the organisers' : '実施団体');
  const purpose =
    (!en && input.wave.purpose?.trim()) ||
    loc(d.description, lang) ||
    (en ? `A survey by ${org} to improve its activities and support.` : `${org}の活動や支援をよりよくするためのアンケートです。`);
  const privacy =
    loc(d.privacyNotice, lang) ||
    (en
      ? `Only the staff of ${org} see individual answers. Results are reported so that no one can be identified.`
      : `回答を見るのは${org}の担当者だけです。結果は、個人が分からない形でまとめます。`);
  const minutes = estimateMinutes(d);
  const deadline = input.wave.closesAt ? deadlineText(input.wave.closesAt, lang) : null;
  const contact = input.contact?.trim();
  const rows: [string, string | null | undefined][] = en
    ? [
        ['Run by', org],
        ['Purpose', purpose],
        ['Time', `About ${minutes} minute${minutes === 1 ? '' : 's'}`],
        ['Answer by', deadline],
        ['Who sees answers', privacy],
        ['Voluntary', 'Answering is up to you. You may stop at any time, and questions not marked “Required” may be skipped.'],
        ['Questions?', contact],
      ]
    : [
        ['実施', org],
        ['目的', purpose],
        ['所要時間', `約${minutes}分`],
        ['回答期限', deadline && `${deadline}まで`],
        ['回答を見る人', privacy],
        ['任意です', '答えるかどうかは自由です。途中でやめても不利益はありません。「必須」のない質問はとばしてかまいません。'],
        ['問い合わせ先', contact],
      ];
  const shown = rows.filter((row): row is [string, string] => Boolean(row[1]));
  return `<header class="intro"><h1>${esc(title)}</h1><dl>${shown.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl></header>`;
}

/** Where to turn: a loneliness survey is expected to say it, and the thanks is where everyone arrives. */
function supportList(lang: Lang, contacts: SupportContact[] | null | undefined) {
  const en = lang === 'en';
  const list = contacts?.length ? contacts : NATIONAL_SUPPORT.map((s) => (en ? { name: s.nameEn, detail: s.detailEn, url: s.url } : s));
  const items = list
    .map((s) => {
      const name = s.url && /^https?:\/\//.test(s.url) ? `<a href="${esc(s.url)}" rel="noopener">${esc(s.name)}</a>` : esc(s.name);
      return `<li><strong>${name}</strong>${s.detail ? `<br>${esc(s.detail)}` : ''}${s.url ? `<br><span class="url">${esc(s.url)}</span>` : ''}</li>`;
    })
    .join('');
  return `<div class="support"><h3>${en ? 'If you would like to talk to someone' : '相談したいときは'}</h3><p>${
    en ? 'Worries about being alone or anything else can be talked over, free of charge.' : 'ひとりで悩まずに、気軽に相談してください。相談は無料です。'
  }</p><ul>${items}</ul></div>`;
}

function thanksSection(lang: Lang, hidden: boolean, contacts: SupportContact[] | null | undefined) {
  const en = lang === 'en';
  return `<section id="thanks" class="thanks"${hidden ? ' hidden' : ''} tabindex="-1"><h2>${en ? 'Thank you' : 'ご回答ありがとうございました'}</h2><p>${
    en ? 'Your answers have been received. You may close this page.' : '回答を受け付けました。このページは閉じてかまいません。'
  }</p><p id="answered-before" hidden>${
    en ? 'Answers from this device have already been received.' : 'この端末からの回答はすでに受け付けています。'
  } <button type="button" class="btn prev" id="answer-again">${en ? 'Someone else answers on this device' : '別の方がこの端末で回答する'}</button></p>${supportList(lang, contacts)}</section>`;
}

const sanitised = new WeakMap<object, Record<string, unknown>>();

/** What SurveyJS renders in the browser; versions stored before HTML was sanitised on saving are sanitised here. */
function shownDefinition(definition: Record<string, unknown>) {
  let shown = sanitised.get(definition);
  if (!shown) sanitised.set(definition, (shown = sanitiseDefinition(definition)));
  return shown;
}

/**
 * The participant page: the questions as server-rendered HTML (visible and answerable before any
 * script arrives), enhanced by participant.js; SurveyJS is fetched only when the questionnaire needs it.
 */
export function participantPage(c: Context, input: PageInput, status: ContentfulStatusCode = 200) {
  const lang = input.lang ?? 'ja';
  const en = lang === 'en';
  const renderer = input.renderer ?? 'form';
  const needsBundle = renderer === 'surveyjs' || needsSurveyJs(input.definition);
  const title = loc(input.definition.title, lang) || (en ? 'Survey' : 'アンケート');
  const bundle = {
    css: assetUrl('survey-core.css'),
    js: [assetUrl('survey-core.js'), assetUrl('survey-ja.js'), assetUrl('survey-js-ui.js')],
  };
  const config = {
    waveId: input.wave.id,
    submitUrl: input.submitUrl,
    askParticipantCode: input.wave.askParticipantCode,
    personal: Boolean(input.personal),
    lang,
    renderer,
    needsSurveyJs: needsBundle,
    bundle: needsBundle ? bundle : undefined,
  };
  c.header('cache-control', 'no-store');
  c.header('content-language', lang);

  const key = input.idempotencyKey ?? `form-${randomBytes(16).toString('hex')}`;
  const errorCount = Object.keys(input.errors ?? {}).length;
  const summary = errorCount
    ? `<div class="notice error-summary" role="alert" tabindex="-1" id="error-summary">${
        en ? `Please check ${errorCount} answer(s) below.` : `${errorCount}か所、回答を確認してください。`
      }</div>`
    : '';
  let form = '';
  if (renderer === 'form') {
    const pages = renderPages(input.definition, {
      lang,
      values: input.values,
      errors: input.errors,
      askParticipantCode: input.wave.askParticipantCode,
      participantCode: input.participantCode,
    });
    const jsNote = needsSurveyJs(input.definition)
      ? `<noscript><p class="notice">${en ? 'Some questions need JavaScript. Please enable it if you can.' : '一部の質問は JavaScript が必要です。できれば有効にしてください。'}</p></noscript>`
      : '';
    form = `${jsNote}<form id="survey-form" method="post" action="${esc(input.formAction)}" novalidate>
<input type="hidden" name="__key" value="${esc(key)}"><input type="hidden" name="__lang" value="${lang}">
${pages.html}
<div class="nav"><button type="button" class="btn prev">${en ? 'Back' : '戻る'}</button><button type="button" class="btn next">${en ? 'Next' : '次へ'}</button><button type="submit" class="btn submit">${en ? 'Send answers' : '回答を送信する'}</button></div>
</form>`;
  }
  const progress = `<div id="progress" class="progress" hidden><div class="bar"><span></span></div><p id="progress-text" aria-live="polite"></p></div>`;
  const previewBanner = input.preview
    ? `<p class="notice preview-banner" role="note">${en ? 'Preview: answers are checked but not stored.' : 'プレビュー：回答は確認だけで、保存されません。'}</p>`
    : '';
  const body = `<main id="app"${input.preview ? ' data-preview="true"' : ''}>${previewBanner}${languageSwitch(lang)}${introduction(input, lang, title)}${progress}${summary}<p id="status" class="notice" role="status" aria-live="polite" hidden></p>${form}<div id="survey"></div>${thanksSection(lang, true, input.supportContacts)}</main>
${needsBundle ? `<script type="application/json" id="survey-definition">${scriptJson(shownDefinition(input.definition))}</script>` : ''}
<script type="application/json" id="survey-config">${scriptJson(config)}</script>
${renderer === 'surveyjs' ? `<link rel="stylesheet" href="${bundle.css}">${bundle.js.map((src) => `<script src="${src}" defer></script>`).join('')}` : ''}
<script src="${assetUrl('formAnswers.js')}" defer></script>
<script src="${assetUrl('participant.js')}" defer></script>`;
  return c.html(layout(title, raw(body), lang, renderer === 'form' ? raw('') : ''), status);
}

/** Shown after a form post (no JavaScript) was stored. */
export function thankYouPage(c: Context, lang: Lang, title: string, contacts?: SupportContact[] | null) {
  c.header('cache-control', 'no-store');
  return c.html(layout(title, raw(`<main id="app" class="done">${thanksSection(lang, false, contacts)}</main>`), lang), 200);
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
