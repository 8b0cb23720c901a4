import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { TestApp } from './testApp.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Browser tests need Debian's Chromium. CI installs it and sets REQUIRE_BROWSER=1, so a missing
 * browser fails there; on a laptop without it the browser suites are skipped.
 */
export const browserAvailable = existsSync(CHROMIUM) || process.env.REQUIRE_BROWSER === '1';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
  });
}

/** Serves a test app on a loopback port so a real browser can reach it. */
export async function listen(t: TestApp): Promise<{ url: string; close: () => Promise<void> }> {
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

export const STAFF_PASSWORD = 'correct horse battery staple';

/**
 * A Chromium, a served test app and a staff user of the given role for a browser suite;
 * `logIn` opens a staff page, is sent to the login form, logs in (as the suite's user unless another
 * email is given, with STAFF_PASSWORD) and lands back on the page.
 */
export function useStaffBrowser(t: TestApp, user: { email: string; name: string; role: 'admin' | 'editor' | 'evaluator' }) {
  const ctx = {} as { browser: Browser; server: Awaited<ReturnType<typeof listen>>; logIn: (page: Page, path: string, email?: string) => Promise<void> };
  beforeAll(async () => {
    ctx.browser = await launchChromium();
    ctx.server = await listen(t);
    const res = await t.staff('POST', '/api/users', { ...user, password: STAFF_PASSWORD });
    if (!res.ok) throw new Error(await res.text());
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.server?.close();
  });
  ctx.logIn = async (page, path, email = user.email) => {
    await page.goto(`${ctx.server.url}${path}`);
    await page.waitForURL(/\/staff\/login/);
    await page.getByLabel(/メールアドレス|Email/i).fill(email);
    await page.getByLabel(/パスワード|Password/i).fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: /ログイン/ }).click();
    await page.waitForURL((url) => url.pathname === path.split('?')[0]);
  };
  return ctx;
}
