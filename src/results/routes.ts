import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import type { Staff, StaffEnv } from '../auth/staff.js';
import { loadOwnedWave } from '../collection/loaders.js';
import type { Database } from '../db/database.js';
import { audit } from '../accounts/audit.js';
import { apiRoute, apiRouter, failures, idParam, lookupFirst } from '../http/openapi.js';
import { problems } from '../http/problem.js';
import { codebook } from '../questionnaires/codebook.js';
import { crosstabChart, pairedPlot, ratesChart } from './charts.js';
import { crosstabTable, sharedK, type CrosstabSpec } from './crosstabTable.js';
import { studyPrePost } from './prepost.js';
import { prePostSheets } from './prePostSheets.js';
import { waveRates } from './rates.js';
import { responseTable } from './responseTable.js';
import { responsesText } from './responsesText.js';
import { responsesXlsx } from './responsesXlsx.js';
import { summarySheet } from './summarySheet.js';
import { waveSummary } from './waveSummary.js';
import {
  crosstabQuery,
  crosstabResultSchema,
  exportQuery,
  prePostQuery,
  prePostResultSchema,
  ratesQuery,
  ratesResultSchema,
  reportQuery,
  reportResultSchema,
  summaryQuery,
  summaryResultSchema,
  responsesExportSchema,
  resultResponse,
} from './schemas.js';
import { exportsBusy, takeExportSlot } from './exportSlots.js';
import { codebookSheet, crosstabSheet, ratesSheet, type Sheet } from './sheets.js';
import { sheetDownload } from './sheetDownload.js';

/** Tables one report may hold (each is a query over every response of the wave). */
export const MAX_REPORT_TABLES = 50;

export function resultRoutes(database: Database) {
  const app = apiRouter<StaffEnv>();
  const waveParams = idParam('Wave');
  const waveFirst = lookupFirst<StaffEnv>((c, id) => loadOwnedWave(database, c.get('staff'), id));

  const record = (staff: Staff, action: string, target: string, details: Record<string, unknown>) => audit(database.db, staff, action, target, details);

  type Output = { body: unknown; sheets: () => Sheet[]; chart: () => Promise<string>; name: string; about: string[] };

  /** JSON for the page, SVG for its chart; CSV or XLSX downloads are audited. */
  async function respond(c: Context<StaffEnv>, fmt: string, { body, sheets, chart, name, about }: Output) {
    if (fmt === 'json') return c.json(body);
    if (fmt === 'svg') return c.body(await chart(), 200, { 'content-type': 'image/svg+xml; charset=utf-8' });
    return sheetDownload(c, database, c.get('staff'), fmt === 'csv' ? 'csv' : 'xlsx', { sheets, name, about });
  }

  const ratesRoute = apiRoute({
    method: 'get',
    path: '/waves/{id}/rates',
    summary: 'Response rates (simple and AAPOR RR1–RR6) overall and by frame attributes',
    middleware: waveFirst,
    request: { params: waveParams, query: ratesQuery },
    responses: { 200: resultResponse(ratesResultSchema, 'The rates', ['csv', 'xlsx', 'svg']), ...failures(400, 404) },
  });
  app.openapi(ratesRoute, async (c) => {
    const { wave, version } = await loadOwnedWave(database, c.get('staff'), c.req.param('id'));
    const q = c.req.valid('query');
    const by = q.by ? q.by.split(',').map((s) => s.trim()).filter(Boolean).slice(0, 2) : [];
    const pages = ((version.definition.pages as { name?: string }[] | undefined) ?? []).map((p) => String(p.name ?? ''));
    const result = await waveRates(database, wave.id, by, pages);
    if (result.kind !== 'frame' && q.format !== 'json') {
      throw problems.badRequest('This wave has no frame of invited units, so it has no response rate; see the JSON for completes and break-offs.');
    }
    return respond(c, q.format, {
      body: result,
      sheets: () => (result.kind === 'frame' ? [ratesSheet(result)] : []),
      chart: () => (result.kind === 'frame' ? ratesChart(result) : Promise.resolve('')),
      name: `rates-${wave.id}`,
      about: [`Wave: ${wave.name}`],
    });
  });

  /** JSON and SVG answer with the k asked for (the page's chart asks for the page's k); files are shared outputs. */
  async function suppressionFor(staff: Staff, fmt: string, asked: number | undefined) {
    return fmt === 'json' || fmt === 'svg' ? (asked ?? 0) : sharedK(database, staff, asked);
  }

  const crosstab = apiRoute({
    method: 'get',
    path: '/waves/{id}/crosstab',
    summary: 'Cross-tabulation with counts, percentages, base n, chi-square / Fisher, column letters and suppression',
    middleware: waveFirst,
    request: { params: waveParams, query: crosstabQuery },
    responses: { 200: resultResponse(crosstabResultSchema, 'The table', ['csv', 'xlsx', 'svg']), ...failures(400, 404) },
  });
  app.openapi(crosstab, async (c) => {
    const staff = c.get('staff');
    const loaded = await loadOwnedWave(database, staff, c.req.param('id'));
    const q = c.req.valid('query');
    const { outcome, entries, sheet } = await crosstabTable(loaded, database, q, await suppressionFor(staff, q.format, q.suppress));
    return respond(c, q.format, {
      body: { waveId: loaded.wave.id, row: q.row, col: q.col ?? null, ...outcome },
      sheets: () => [sheet(), codebookSheet(entries)],
      chart: () => crosstabChart(outcome),
      name: `crosstab-${q.row}-${q.col ?? 'total'}`,
      about: [`Wave: ${loaded.wave.name}`, `Responses: ${q.include === 'all' ? 'complete and partial' : 'complete only'}.`],
    });
  });

  const summaryRoute = apiRoute({
    method: 'get',
    path: '/waves/{id}/summary',
    summary: 'The 単純集計: every question at once (counts, % of respondents and of answers, no-answer), scale score distributions, optionally filtered and broken down by one variable; free text only as counts',
    middleware: waveFirst,
    request: { params: waveParams, query: summaryQuery },
    responses: { 200: resultResponse(summaryResultSchema, 'The summary', ['csv', 'xlsx']), ...failures(400, 404) },
  });
  app.openapi(summaryRoute, async (c) => {
    const { wave, version } = await loadOwnedWave(database, c.get('staff'), c.req.param('id'));
    const q = c.req.valid('query');
    const summary = await waveSummary(database, wave, codebook(version), version.scoring, {
      statuses: q.include === 'all' ? ['complete', 'partial'] : ['complete'],
      filter: q.filter,
      by: q.by,
      texts: 0,
    });
    return respond(c, q.format, {
      body: { waveId: wave.id, ...summary },
      sheets: () => [summarySheet(summary), codebookSheet(codebook(version))],
      chart: async () => '',
      name: `summary-${wave.name}`,
      about: [`${wave.name}（第${version.version}版）`],
    });
  });

  /** A wave's report in one file: response rates and any number of cross-tabs, one sheet each, plus the codebook. */
  const reportRoute = apiRoute({
    method: 'get',
    path: '/waves/{id}/report',
    summary: 'One workbook for a wave: response rates and several cross-tabs, one sheet each, with codebook and notes',
    middleware: waveFirst,
    request: { params: waveParams, query: reportQuery },
    responses: { 200: resultResponse(reportResultSchema, 'The report', ['csv', 'xlsx']), ...failures(400, 404) },
  });
  app.openapi(reportRoute, async (c) => {
    const staff = c.get('staff');
    const loaded = await loadOwnedWave(database, staff, c.req.param('id'));
    const q = c.req.valid('query');
    const pairs = q.tables.split(',').filter(Boolean);
    // Each table is a query over every response: a bound keeps one request from holding the server.
    if (pairs.length > MAX_REPORT_TABLES) {
      throw problems.badRequest(`A report holds at most ${MAX_REPORT_TABLES} tables; ${pairs.length} were asked for. Split it into several reports.`, {
        detail_ja: `1つのレポートに入れられる表は ${MAX_REPORT_TABLES} までです（${pairs.length} 個が指定されました）。複数のレポートに分けてください。`,
      });
    }
    const specs = pairs.map((pair) => {
      const [row, col] = pair.split(':');
      return { row, col: col || undefined, include: 'complete' as const, missing: q.missing, letters: q.letters, suppress: q.suppress };
    });
    const tables: ({ spec: CrosstabSpec } & Awaited<ReturnType<typeof crosstabTable>>)[] = [];
    const suppressBelow = await suppressionFor(staff, q.format, q.suppress);
    for (const spec of specs) tables.push({ spec, ...(await crosstabTable(loaded, database, spec, suppressBelow)) });
    const by = q.by ? q.by.split(',').map((b) => b.trim()).filter(Boolean).slice(0, 2) : [];
    const rates = await waveRates(database, loaded.wave.id, by, []);
    const sheets = () => [
      ...(rates.kind === 'frame' ? [ratesSheet(rates)] : []),
      ...tables.map((t, i) => ({ ...t.sheet(), name: `表${i + 1} ${t.spec.row}` })),
      codebookSheet(codebook(loaded.version)),
    ];
    return respond(c, q.format, {
      body: { waveId: loaded.wave.id, rates, tables: tables.map((t) => ({ row: t.spec.row, col: t.spec.col ?? null, ...t.outcome })) },
      sheets,
      chart: () => Promise.resolve(''),
      name: `report-${loaded.wave.name}`,
      about: [`Wave: ${loaded.wave.name}`, 'Responses: complete only.'],
    });
  });

  const prePost = apiRoute({
    method: 'get',
    path: '/studies/{id}/prepost',
    summary: 'Pre/post comparison of a scale score, paired by participant code',
    request: { params: idParam('Study'), query: prePostQuery },
    responses: { 200: resultResponse(prePostResultSchema, 'The comparison', ['csv', 'xlsx', 'svg']), ...failures(400, 404, 422) },
  });
  app.openapi(prePost, async (c) => {
    const q = c.req.valid('query');
    const report = await studyPrePost(database, c.get('staff'), c.req.param('id'), q);
    return respond(c, q.format, {
      body: report,
      sheets: () => prePostSheets(report),
      chart: () => pairedPlot(report.pairs, report.scale.range),
      name: `prepost-${report.scale.id}`,
      about: [`Study: ${report.study.name}`],
    });
  });

  /** Raw responses, one row per response, codes and labels; every download is audited. */
  const responsesRoute = apiRoute({
    method: 'get',
    path: '/waves/{id}/responses',
    summary: 'Raw responses, one row per response with codes and labels (audited)',
    middleware: waveFirst,
    request: { params: waveParams, query: exportQuery },
    responses: { 200: resultResponse(responsesExportSchema, 'The responses', ['csv', 'xlsx']), ...failures(400, 404, 429) },
  });
  app.openapi(responsesRoute, async (c) => {
    const staff = c.get('staff');
    const { wave, version } = await loadOwnedWave(database, staff, c.req.param('id'));
    const { format: fmt } = c.req.valid('query');
    const table = await responseTable(database, wave.id, version);
    const release = takeExportSlot(staff.organisationId);
    if (!release) throw exportsBusy();
    await record(staff, 'export.responses', wave.id, { format: fmt });
    if (fmt === 'xlsx') {
      return c.body(responsesXlsx(database, table, release), 200, {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': `attachment; filename="responses-${wave.id}.xlsx"`,
      });
    }
    const csv = fmt === 'csv';
    c.header('content-type', csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    if (csv) c.header('content-disposition', `attachment; filename="responses-${wave.id}.csv"`);
    return stream(c, async (out) => {
      try {
        for await (const chunk of responsesText(database, table, csv ? 'csv' : 'json')) await out.write(chunk);
      } finally {
        release();
      }
    });
  });

  return app;
}
