/**
 * National comparison API: a wave's answers beside the national survey (JSON, or CSV/XLSX, audited),
 * and the organisation's own national tables by sex × age band (loaded from CSV, replaced, removed;
 * each change audited).
 */
import { and, eq } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { audit } from '../accounts/audit.js';
import { requireRole, requireWholeOrganisation, type StaffEnv } from '../auth/staff.js';
import { owned } from '../auth/scope.js';
import { loadOwnedWave } from '../collection/loaders.js';
import type { Database } from '../db/database.js';
import { nationalReferenceTables } from '../db/schema.js';
import { apiRoute, apiRouter, failures, idParam, jsonResponse, lookupFirst, noContent } from '../http/openapi.js';
import { assertStorable } from '../http/json.js';
import { problems } from '../http/problem.js';
import { sharedK } from '../results/crosstabTable.js';
import { sheetDownload } from '../results/sheetDownload.js';
import { resultResponse } from '../results/schemas.js';
import { NATIONAL_INSTRUMENTS, nationalReference, type NationalInstrument } from './reference.js';
import { parseReferenceCsv } from './referenceCsv.js';
import { comparisonQuery, comparisonResultSchema, instrumentParam, referenceListSchema, referenceTableSchema, referenceUploadQuery } from './schemas.js';
import { comparisonSheets } from './sheets.js';
import { referenceTableOf, waveComparison } from './waveComparison.js';

export function nationalRoutes(database: Database) {
  const app = apiRouter<StaffEnv>();
  const waveFirst = lookupFirst<StaffEnv>((c, id) => loadOwnedWave(database, c.get('staff'), id));

  const comparison = apiRoute({
    method: 'get',
    path: '/waves/{id}/national',
    summary: "The wave's answers to the direct loneliness question and the UCLA 3-item national block beside the national survey: % with Wilson 95% intervals, national rows with year, n, source and confidence, published breakdowns, and the standardised comparison when a sex × age table is loaded",
    middleware: waveFirst,
    request: { params: idParam('Wave'), query: comparisonQuery },
    responses: { 200: resultResponse(comparisonResultSchema, 'The comparison', ['csv', 'xlsx']), ...failures(400, 404) },
  });
  app.openapi(comparison, async (c) => {
    const staff = c.get('staff');
    const loaded = await loadOwnedWave(database, staff, c.req.param('id'));
    const { format } = c.req.valid('query');
    const result = await waveComparison(database, staff, loaded, await sharedK(database, staff, undefined));
    if (format === 'json') return c.json({ waveId: loaded.wave.id, ...result });
    if (result.instruments.length === 0) {
      throw problems.badRequest("This wave's questionnaire has neither the direct loneliness question nor the UCLA 3-item national block, so there is nothing to compare.", {
        title_ja: '全国調査と比べられる質問がありません',
        detail_ja: 'この回の質問票には、孤独感の直接質問（全国調査）も UCLA 3項目（全国調査版）もありません。',
      });
    }
    return sheetDownload(c, database, staff, format, {
      sheets: () => comparisonSheets(result, loaded.wave.name),
      name: `national-${loaded.wave.name}`,
      about: [`${loaded.wave.name}: 全国調査との比較`],
    });
  });

  const list = apiRoute({
    method: 'get',
    path: '/national/references',
    summary: "The organisation's national tables by sex × age band (one per instrument), used to standardise",
    responses: { 200: jsonResponse(referenceListSchema, 'The tables') },
  });
  app.openapi(list, async (c) => {
    const rows = await database.db.select().from(nationalReferenceTables).where(owned(nationalReferenceTables, c.get('staff')));
    return c.json({ tables: rows.map(described) });
  });

  const upload = apiRoute({
    method: 'put',
    path: '/national/references/{instrument}',
    summary: 'Load (or replace) the national table by sex × age band for an instrument from CSV: 性別, 年齢, n, one % column per answer category, optionally 無回答 (audited)',
    middleware: [requireRole('editor'), requireWholeOrganisation(), knownInstrument],
    request: {
      params: instrumentParam,
      query: referenceUploadQuery,
      body: { required: true, content: { 'text/csv': { schema: { type: 'string', description: 'The e-Stat table as CSV (UTF-8), one row per sex and age band' } } } },
    },
    responses: { 200: jsonResponse(referenceTableSchema, 'The table as stored'), ...failures(400, 403, 404, 415) },
  });
  app.openapi(upload, async (c) => {
    const staff = c.get('staff');
    const instrument = c.req.valid('param').instrument as NationalInstrument;
    const { source, fileName } = c.req.valid('query');
    if (!(c.req.header('content-type') ?? '').startsWith('text/csv')) {
      throw problems.badRequest('Send the table as text/csv.', { status: 415, title: 'Unsupported media type', title_ja: '送信形式が正しくありません', detail_ja: '参照表は CSV（text/csv）で送ってください。' });
    }
    const csv = await c.req.text();
    // A NUL anywhere in the file (PostgreSQL stores none) is named for what it is, not as a bad row.
    assertStorable(csv);
    const strata = parseReferenceCsv(csv, nationalReference(instrument));
    const before = await referenceTableOf(database, staff, instrument);
    const row = { organisationId: staff.organisationId, instrument, source, fileName: fileName || 'reference.csv', strata, uploadedBy: staff.userId, createdAt: new Date() };
    const [stored] = await database.db.transaction(async (tx) => {
      await audit(tx, staff, 'national.reference.loaded', instrument, {
        source,
        fileName: row.fileName,
        strata: strata.length,
        replaced: before ? { source: before.source, fileName: before.fileName, strata: before.strata.length } : null,
      });
      return tx
        .insert(nationalReferenceTables)
        .values(row)
        .onConflictDoUpdate({ target: [nationalReferenceTables.organisationId, nationalReferenceTables.instrument], set: { source, fileName: row.fileName, strata, uploadedBy: staff.userId, createdAt: row.createdAt } })
        .returning();
    });
    return c.json(described(stored), 200);
  });

  const remove = apiRoute({
    method: 'delete',
    path: '/national/references/{instrument}',
    summary: "Remove the organisation's national table for an instrument (audited); the standardised comparison is then not shown",
    middleware: [requireRole('editor'), requireWholeOrganisation(), knownInstrument],
    request: { params: instrumentParam },
    responses: { 204: noContent, ...failures(403, 404) },
  });
  app.openapi(remove, async (c) => {
    const staff = c.get('staff');
    const instrument = c.req.valid('param').instrument as NationalInstrument;
    const deleted = await database.db.transaction(async (tx) => {
      const gone = await tx
        .delete(nationalReferenceTables)
        .where(and(owned(nationalReferenceTables, staff), eq(nationalReferenceTables.instrument, instrument)))
        .returning();
      if (gone.length) await audit(tx, staff, 'national.reference.removed', instrument, { source: gone[0].source, fileName: gone[0].fileName });
      return gone.length;
    });
    if (!deleted) throw problems.notFound('National reference table', 'この調査票の参照表は読み込まれていません。');
    return c.body(null, 204);
  });

  return app;
}

/** Only the national templates have tables to load; anything else is as unknown as a wrong id. */
const knownInstrument: MiddlewareHandler<StaffEnv> = async (c, next) => {
  if (!(NATIONAL_INSTRUMENTS as readonly string[]).includes(c.req.param('instrument') ?? '')) {
    throw problems.notFound('National comparison template', '全国調査と比べられる調査票ではありません（loneliness-direct または ucla3-national）。');
  }
  await next();
};

function described(row: typeof nationalReferenceTables.$inferSelect) {
  return { instrument: row.instrument as NationalInstrument, source: row.source, fileName: row.fileName, strata: row.strata as { sex: string; ages: string[]; label: string }[], createdAt: row.createdAt.toISOString() };
}
