import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

const require = createRequire(import.meta.url);
// The browser bundles are not in the packages' "exports", so locate them from each package root.
const coreDir = path.dirname(require.resolve('survey-core'));
const uiDir = path.dirname(require.resolve('survey-js-ui'));
/**
 * The staff form editor (editor.js) renders with Preact 11.2.0 and htm 3.1.1, both pinned exactly in
 * package.json: together ~6 kB gzipped, MIT, kept by the Preact team, with plain ES module builds that
 * need no build step, no eval or new Function (htm parses tagged templates itself), so they run under
 * script-src 'self' served from here. survey-creator is commercially licensed; htmx would need a
 * server round trip per keystroke to keep the questionnaire's JSON in one place.
 */
const preactFile = require.resolve('preact');
const hooksFile = require.resolve('preact/hooks');
const htmFile = path.join(path.dirname(require.resolve('htm')), 'htm.mjs');

type Asset = { body: Buffer; br: Buffer; gzip: Buffer; type: string };

/** `imports` rewrites bare module specifiers (import … from "preact") to the hashed URL of another asset. */
const sources: Record<string, { file: string; type: string; imports?: Record<string, string> }> = {
  'preact.js': { file: preactFile, type: 'text/javascript' },
  'preact-hooks.js': { file: hooksFile, type: 'text/javascript', imports: { preact: 'preact.js' } },
  'htm.js': { file: htmFile, type: 'text/javascript' },
  'editor.css': { file: fileURLToPath(new URL('../questionnaires/static/editor.css', import.meta.url)), type: 'text/css' },
  'editor.js': {
    file: fileURLToPath(new URL('../questionnaires/static/editor.js', import.meta.url)),
    type: 'text/javascript',
    imports: { preact: 'preact.js', 'preact/hooks': 'preact-hooks.js', htm: 'htm.js' },
  },
  'survey-core.js': { file: path.join(coreDir, 'survey.core.min.js'), type: 'text/javascript' },
  'survey-ja.js': { file: path.join(coreDir, 'i18n/japanese.min.js'), type: 'text/javascript' },
  'survey-js-ui.js': { file: path.join(uiDir, 'survey-js-ui.min.js'), type: 'text/javascript' },
  'survey-core.css': { file: path.join(coreDir, 'survey-core.fontless.min.css'), type: 'text/css' },
  'formAnswers.js': { file: fileURLToPath(new URL('./static/formAnswers.js', import.meta.url)), type: 'text/javascript' },
  'participant.js': { file: fileURLToPath(new URL('./static/participant.js', import.meta.url)), type: 'text/javascript' },
  'participant.css': { file: fileURLToPath(new URL('./static/participant.css', import.meta.url)), type: 'text/css' },
  'staff.js': { file: fileURLToPath(new URL('./static/staff.js', import.meta.url)), type: 'text/javascript' },
  'staff.css': { file: fileURLToPath(new URL('./static/staff.css', import.meta.url)), type: 'text/css' },
  'authoring.js': { file: fileURLToPath(new URL('../questionnaires/static/authoring.js', import.meta.url)), type: 'text/javascript' },
  'frame.js': { file: fileURLToPath(new URL('./static/frame.js', import.meta.url)), type: 'text/javascript' },
  'invitations.js': { file: fileURLToPath(new URL('../invitations/static/invitations.js', import.meta.url)), type: 'text/javascript' },
  'entry.js': { file: fileURLToPath(new URL('./static/entry.js', import.meta.url)), type: 'text/javascript' },
  'accounts.js': { file: fileURLToPath(new URL('./static/accounts.js', import.meta.url)), type: 'text/javascript' },
  'mail.js': { file: fileURLToPath(new URL('../mail/static/mail.js', import.meta.url)), type: 'text/javascript' },
  'participation.js': { file: fileURLToPath(new URL('../participation/static/participation.js', import.meta.url)), type: 'text/javascript' },
  'door.js': { file: fileURLToPath(new URL('../participation/static/door.js', import.meta.url)), type: 'text/javascript' },
  'national.js': { file: fileURLToPath(new URL('../national/static/national.js', import.meta.url)), type: 'text/javascript' },
};

const loaded = new Map<string, Asset & { hashedName: string }>();

/** Brotli at its best quality takes seconds for the SurveyJS bundle: keep the result by content hash. */
function cachedCompression(file: string, compress: () => Buffer): Buffer {
  const cached = path.join(tmpdir(), 'kodoku-survey-assets', file);
  if (existsSync(cached)) return readFileSync(cached);
  const output = compress();
  mkdirSync(path.dirname(cached), { recursive: true });
  writeFileSync(`${cached}.${process.pid}`, output);
  renameSync(`${cached}.${process.pid}`, cached);
  return output;
}

/** Compressed once at start: assets are read-only, so this is a cache, not state. */
function load(name: string) {
  let asset = loaded.get(name);
  if (!asset) {
    const { file, type, imports } = sources[name];
    let body = readFileSync(file);
    if (imports) {
      const text = body.toString('utf8').replace(/(\bfrom\s*|\bimport\s*)(["'])([^"']+)\2/g, (all, keyword: string, quote: string, specifier: string) =>
        imports[specifier] ? `${keyword}${quote}${assetUrl(imports[specifier] as keyof typeof sources)}${quote}` : all,
      );
      body = Buffer.from(text, 'utf8');
    }
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
    const dot = name.indexOf('.');
    asset = {
      body,
      type,
      br: cachedCompression(`${hash}.br`, () => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })),
      gzip: gzipSync(body, { level: 9 }),
      hashedName: `${name.slice(0, dot)}.${hash}${name.slice(dot)}`,
    };
    loaded.set(name, asset);
  }
  return asset;
}

/** The URL of an asset, with a content hash so it can be cached for a year. */
export function assetUrl(name: keyof typeof sources): string {
  return `/assets/${load(name).hashedName}`;
}

export function assetRoutes() {
  const app = new Hono();
  const byHashedName = new Map(Object.keys(sources).map((name) => [load(name).hashedName, load(name)]));
  app.get('/assets/:file', (c) => {
    const asset = byHashedName.get(c.req.param('file'));
    if (!asset) return c.notFound();
    const accepts = c.req.header('accept-encoding') ?? '';
    const headers: Record<string, string> = {
      'content-type': `${asset.type}; charset=utf-8`,
      'cache-control': 'public, max-age=31536000, immutable',
      vary: 'accept-encoding',
    };
    if (/\bbr\b/.test(accepts)) return c.body(new Uint8Array(asset.br), 200, { ...headers, 'content-encoding': 'br' });
    if (/\bgzip\b/.test(accepts)) return c.body(new Uint8Array(asset.gzip), 200, { ...headers, 'content-encoding': 'gzip' });
    return c.body(new Uint8Array(asset.body), 200, headers);
  });
  return app;
}
