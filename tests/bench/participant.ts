/**
 * Participant page speed on a throttled phone: bytes and time until the first question is visible,
 * on a first and a repeat visit, and the submission round trip; the server-rendered page against
 * the plain SurveyJS page in the same run.
 *
 *   npx tsx tests/bench/participant.ts            (RUNS=3 by default; median reported)
 *
 * Starts its own service on PGlite in memory (as tests/helpers/testApp.ts does), drives Debian
 * Chromium with playwright-core, and emulates the network with CDP Network.emulateNetworkConditions.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { createApp } from '../../src/app.js';
import { bootstrapAdmin } from '../../src/auth/bootstrap.js';
import { newToken } from '../../src/auth/secrets.js';
import { openDatabase } from '../../src/db/database.js';
import { questionnaireVersions, responses, waves } from '../../src/db/schema.js';
import { compressHtml } from '../../src/collection/publicRoutes.js';
import { participantPage } from '../../src/web/participantPage.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNS = Number(process.env.RUNS ?? 3);
const TOKEN = 'bench-admin-token-0123456789abcdef';
/** "400 kbit/s down/up, 400 ms RTT" as in the issue (CDP wants bytes per second and ms). */
const SLOW_3G = { offline: false, latency: 400, downloadThroughput: (400 * 1000) / 8, uploadThroughput: (400 * 1000) / 8 };

const FORM_FIRST = '#survey-form [data-q] .q-title';
const SJS_FIRST = '#survey .sd-question .sd-question__title';

async function main() {
  const database = await openDatabase({});
  await database.migrate();
  await bootstrapAdmin(database, TOKEN);
  const hashKey = newToken(32);
  const app = createApp({ database, config: { maxBodyBytes: 256 * 1024, publicUrl: 'http://localhost' }, hashKey });
  // The plain SurveyJS page (bundle renders everything), for comparison, behind the same CSP.
  app.get('/plain/s/:slug', compressHtml, async (c) => {
    const [row] = await database.db
      .select({ wave: waves, version: questionnaireVersions })
      .from(waves)
      .innerJoin(questionnaireVersions, eq(questionnaireVersions.id, waves.versionId))
      .where(eq(waves.slug, c.req.param('slug')));
    return participantPage(c, {
      wave: row.wave,
      definition: row.version.definition,
      submitUrl: `/api/public/s/${c.req.param('slug')}/responses`,
      formAction: `/s/${c.req.param('slug')}`,
      renderer: 'surveyjs',
    });
  });
  const staff = async (path: string, body?: unknown) =>
    (await app.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })).json();
  const openWave = async (templateIds: string[]) => {
    const q = await staff('/api/questionnaires', { title: 'ベンチ', templateIds });
    await staff(`/api/questionnaires/${q.id}/publish`);
    const w = await staff('/api/waves', { name: 'bench', questionnaireId: q.id });
    return { slug: String(w.openLink).split('/s/')[1], waveId: String(w.id) };
  };

  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });

  /** Counts bytes on the wire (CDP encodedDataLength: headers + compressed body) per request. */
  function meter(cdp: CDPSession) {
    type Req = { url: string; cached: boolean; finishedAt?: number; bytes?: number; chunks: [number, number][] };
    const reqs = new Map<string, Req>();
    let clock: { wall: number; mono: number } | undefined; // CDP monotonic seconds → wall-clock seconds
    const req = (id: string) => reqs.get(id) ?? reqs.set(id, { url: '', cached: false, chunks: [] }).get(id)!;
    cdp.on('Network.requestWillBeSent', (e) => {
      req(e.requestId).url = e.request.url;
      if (!clock) clock = { wall: e.wallTime, mono: e.timestamp };
    });
    cdp.on('Network.requestServedFromCache', (e) => (req(e.requestId).cached = true));
    cdp.on('Network.responseReceived', (e) => { if (e.response.fromDiskCache || e.response.fromPrefetchCache) req(e.requestId).cached = true; });
    cdp.on('Network.dataReceived', (e) => req(e.requestId).chunks.push([e.timestamp, e.encodedDataLength]));
    cdp.on('Network.loadingFinished', (e) => Object.assign(req(e.requestId), { finishedAt: e.timestamp, bytes: e.encodedDataLength }));
    const wall = (mono: number) => (clock ? clock.wall + (mono - clock.mono) : 0);
    return {
      /** Bytes received over the network up to a wall-clock time (seconds; Infinity = everything). */
      bytes: (until = Infinity) => {
        let sum = 0;
        for (const r of reqs.values()) {
          if (r.cached) continue;
          if (r.finishedAt !== undefined && wall(r.finishedAt) <= until) sum += r.bytes ?? 0;
          else for (const [t, n] of r.chunks) if (wall(t) <= until) sum += n;
        }
        return sum;
      },
      requests: () => [...reqs.values()].map((r) => `${r.url.replace(base, '')}${r.cached ? ' (cache)' : ` ${r.bytes ?? 0} B`}`),
    };
  }

  async function throttledPage(context: BrowserContext) {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
    // In the page, from its start: the time of the first frame with the first question laid out.
    // (A string, not a function: tsx would wrap named functions in a helper the page does not have.)
    await page.addInitScript(`(() => {
      const check = () => {
        if (window.__firstQuestion) return;
        const el = document.querySelector('#survey-form [data-q] .q-title, #survey .sd-question .sd-question__title');
        // Laid out, with the page's stylesheet applied (it is render-blocking, so nothing paints before it).
        const styled = getComputedStyle(document.documentElement).getPropertyValue('--ink') !== '';
        if (el && styled && el.getBoundingClientRect().height > 0) {
          requestAnimationFrame(() => {
            if (window.__firstQuestion) return;
            window.__firstQuestion = performance.now();
          });
        }
      };
      new MutationObserver(check).observe(document, { childList: true, subtree: true });
      document.addEventListener('readystatechange', check);
      window.addEventListener('load', check);
      const poll = () => { check(); if (!window.__firstQuestion) setTimeout(poll, 20); };
      poll();
    })();`);
    return { page, m: meter(cdp) };
  }

  async function visit(context: BrowserContext, url: string, first: string) {
    const { page, m } = await throttledPage(context);
    const start = Date.now();
    await page.goto(url, { waitUntil: 'commit' });
    await page.locator(first).filter({ visible: true }).first().waitFor({ state: 'visible', timeout: 60_000 });
    const wall = Date.now() - start;
    await page.waitForFunction(() => (window as unknown as { __firstQuestion?: number }).__firstQuestion, undefined, { timeout: 60_000 });
    const [inPage, origin] = await page.evaluate(() => [(window as unknown as { __firstQuestion: number }).__firstQuestion, performance.timeOrigin]);
    await page.waitForTimeout(300); // let CDP events for requests finished by then arrive
    const bytesAtFirst = m.bytes((origin + inPage) / 1000);
    await page.waitForLoadState('load', { timeout: 120_000 });
    await page.locator('html[data-ready="true"]').waitFor({ timeout: 120_000 });
    const needsBundle = await page.evaluate(() => JSON.parse(document.getElementById('survey-config')!.textContent!).needsSurveyJs as boolean);
    let takeover = NaN;
    if (needsBundle && first !== SJS_FIRST) {
      await page.locator('html[data-renderer="surveyjs"]').waitFor({ timeout: 120_000 });
      takeover = await page.evaluate(() => performance.now());
    }
    await page.waitForTimeout(200);
    return { page, wall, inPage, bytesAtFirst, takeover, bytesTotal: m.bytes(), requests: m.requests() };
  }

  /** Answers every question on every page with its first choice (or "1" in text boxes) and sends. */
  async function submit(page: Page, plain: boolean) {
    if (plain) {
      for (;;) {
        for (const q of await page.locator('.sd-question:visible').all()) {
          const item = q.locator('label:has(input[type=radio]), label:has(input[type=checkbox])').first();
          if (await item.count()) await item.click();
          else await q.locator('input[type=text], textarea').first().fill('1');
        }
        const done = page.locator('.sd-navigation__complete-btn:visible');
        if (await done.count()) {
          const start = Date.now();
          await done.click();
          await page.locator('html[data-submitted="true"]').waitFor({ timeout: 60_000 }).catch(async (e) => {
            await page.screenshot({ path: '/tmp/bench-failure.png', fullPage: true });
            throw e;
          });
          return Date.now() - start;
        }
        await page.locator('.sd-navigation__next-btn:visible').click();
      }
    }
    for (;;) {
      for (const q of await page.locator('#survey-form .page:not([hidden]) [data-q]').all()) {
        const kind = await q.getAttribute('data-kind');
        if (kind === 'matrix') for (const row of await q.locator('.m-row').all()) await row.locator('label.choice').first().click();
        else if (kind === 'single' && (await q.locator('select').count())) await q.locator('select').selectOption({ index: 1 });
        else if (kind === 'single' || kind === 'multi') await q.locator('label.choice').first().click();
        else await q.locator('input, textarea').first().fill('1');
      }
      const send = page.locator('#survey-form .submit:visible');
      if (await send.count()) {
        const start = Date.now();
        await send.click();
        await page.locator('html[data-submitted="true"]').waitFor({ timeout: 60_000 });
        return Date.now() - start;
      }
      await page.locator('#survey-form .next:visible').click();
    }
  }

  type Row = Record<string, number>;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const results: { name: string; rows: Row[]; requests: string[] }[] = [];

  const scenarios: { name: string; templates: string[]; plain: boolean }[] = [
    { name: 'UCLA 3 items — server-rendered form (this page)', templates: ['ucla3-national'], plain: false },
    { name: 'UCLA 3 items — plain SurveyJS page', templates: ['ucla3-national'], plain: true },
    { name: 'post-activity + UCLA 3 + profile (19 q) — server-rendered form', templates: ['post-activity', 'ucla3-national', 'profile'], plain: false },
    { name: 'post-activity + UCLA 3 + profile (19 q) — plain SurveyJS page', templates: ['post-activity', 'ucla3-national', 'profile'], plain: true },
    { name: 'kesennuma-org-survey (has conditions → SurveyJS loads after the form)', templates: ['kesennuma-org-survey'], plain: false },
  ];

  for (const s of scenarios) {
    const rows: Row[] = [];
    let requests: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const { slug, waveId } = await openWave(s.templates);
      const url = `${base}${s.plain ? '/plain' : ''}/s/${slug}`;
      const first = s.plain ? SJS_FIRST : `${FORM_FIRST}, ${SJS_FIRST}`;
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP', isMobile: true, hasTouch: true });
      const v1 = await visit(context, url, first);
      requests = v1.requests;
      let roundTrip = NaN;
      if (!s.templates.includes('kesennuma-org-survey')) {
        roundTrip = await submit(v1.page, s.plain);
        const stored = await database.db.select().from(responses).where(eq(responses.waveId, waveId));
        if (stored.length !== 1) throw new Error(`expected one stored response, found ${stored.length}`);
      }
      await v1.page.close();
      const v2 = await visit(context, url, first);
      await v2.page.close();
      await context.close();
      rows.push({
        firstBytes: v1.bytesAtFirst,
        firstWall: v1.wall,
        firstInPage: v1.inPage,
        firstTotalBytes: v1.bytesTotal,
        repeatBytes: v2.bytesAtFirst,
        repeatWall: v2.wall,
        repeatInPage: v2.inPage,
        roundTrip,
        takeover: v1.takeover,
      });
    }
    results.push({ name: s.name, rows, requests });
    const m = (k: string) => median(rows.map((r) => r[k]));
    console.log(`\n${s.name}`);
    console.log(`  first visit : first question visible after ${kb(m('firstBytes'))} on the wire, ${ms(m('firstInPage'))} in page (${ms(m('firstWall'))} wall); ${kb(m('firstTotalBytes'))} once everything loaded`);
    console.log(`  repeat visit: first question visible after ${kb(m('repeatBytes'))} on the wire, ${ms(m('repeatInPage'))} in page (${ms(m('repeatWall'))} wall)`);
    if (!Number.isNaN(m('takeover'))) console.log(`  SurveyJS took over (conditions) at ${ms(m('takeover'))}; the form was answerable before that`);
    if (!Number.isNaN(m('roundTrip'))) console.log(`  submission  : ${ms(m('roundTrip'))} from tapping send to the thank-you screen`);
    console.log(`  requests (first visit, last run): ${requests.join(', ')}`);
  }

  const get = (i: number, k: string) => median(results[i].rows.map((r) => r[k]));
  console.log('\nRatios, plain SurveyJS ÷ server-rendered (medians):');
  for (const [label, a, b] of [['UCLA 3', 0, 1], ['19 questions', 2, 3]] as const) {
    console.log(
      `  ${label}: first-visit bytes ×${(get(b, 'firstBytes') / get(a, 'firstBytes')).toFixed(1)}, first-visit time ×${(get(b, 'firstInPage') / get(a, 'firstInPage')).toFixed(1)}, repeat time ×${(get(b, 'repeatInPage') / get(a, 'repeatInPage')).toFixed(1)}`,
    );
  }
  console.log(`
How measured: ${RUNS} run(s) per scenario, median shown. Chromium ${browser.version()} (${CHROMIUM}) headless, 390×844 mobile
viewport, CDP Network.emulateNetworkConditions latency ${SLOW_3G.latency} ms, ${SLOW_3G.downloadThroughput} B/s down and up
(400 kbit/s) on every page, served over loopback HTTP/1.1 by this process (PGlite in memory). "On the wire" = CDP
encodedDataLength (headers + compressed bodies) of requests not served from cache, summed when the first
question's title is visible. "In page" = performance.now() at the first animation frame after the first question's
title is laid out (navigation start = 0); "wall" = from page.goto to Playwright seeing it visible. First visit = new
browser context (empty cache); repeat visit = a new tab in the same context after submitting. Submission = tap on
send → thank-you screen, which includes the POST under the same throttling.
Budget: ≤ 450 KB and < 3 s first visit; < 30 KB and < 1.5 s repeat visit.`);

  await browser.close();
  server.close();
  await database.close();
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const ms = (n: number) => `${(n / 1000).toFixed(2)} s`;

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
