import { z } from 'zod';
import { DUPLICATE_POLICIES } from '../../analysis/index.js';

/**
 * What the results API takes and gives. The CLI builds its requests from these same query schemas,
 * so an option the API learns is an option the CLI passes on.
 */

const format = z.enum(['json', 'csv', 'xlsx', 'svg']).default('json').describe('csv and xlsx downloads are audited');
const letters = z.enum(['none', 'bonferroni', 'holm']).default('none').describe('Column letters: which columns differ, with this correction');
const suppress = z.coerce.number().int().min(0).max(100).optional().describe('Cells below k are suppressed (0 = off); downloads use at least the organisation k');
/** show: "no answer" is its own line; exclude: left out of the table and its base (stated in warnings). */
const missing = z.enum(['show', 'exclude']).default('show');

export const ratesQuery = z.object({ by: z.string().max(200).optional().describe('One or two frame attributes, comma separated'), format }).strict();

export const crosstabQuery = z
  .object({
    row: z.string().min(1).max(200).describe('Question name'),
    col: z.string().max(200).optional().describe('Question name or frame.<attribute>; none: the total'),
    include: z.enum(['complete', 'all']).default('complete'),
    missing,
    letters,
    suppress,
    percent: z.enum(['row', 'col', 'total']).default('row').describe('Percent of the row (Japanese 属性別 layout), of the column (where column letters sit), or of the whole'),
    format,
  })
  .strict();

export const reportQuery = z
  .object({
    tables: z.string().max(2000).default('').describe('Cross-tabs as row:col pairs, comma separated; a row alone is a one-way table'),
    by: z.string().max(200).optional().describe('Frame attributes for the rates'),
    missing,
    letters,
    suppress,
    format: z.enum(['json', 'csv', 'xlsx']).default('xlsx'),
  })
  .strict();

export const prePostQuery = z
  .object({
    score: z.string().max(100).optional().describe('Scale id; default the first scale'),
    pre: z.uuid().optional().describe('Wave id'),
    post: z.uuid().optional().describe('Wave id'),
    duplicates: z.enum(DUPLICATE_POLICIES).default('exclude').describe('A participant code that answered a wave twice: exclude it, or use its first or latest answer'),
    format,
  })
  .strict();

export const summaryQuery = z
  .object({
    by: z.string().max(200).optional().describe('A single-choice question or frame.<attribute>: every table broken down by it (属性別)'),
    filter: z.string().max(300).optional().describe('<question or frame.attribute>=<code>: only respondents with that answer'),
    include: z.enum(['complete', 'all']).default('complete'),
    format: z.enum(['json', 'csv', 'xlsx']).default('json'),
  })
  .strict();

export const exportQuery = z.object({ format: z.enum(['csv', 'xlsx', 'json']).default('json') }).strict();

export type RatesQuery = z.input<typeof ratesQuery>;
export type CrosstabQuery = z.input<typeof crosstabQuery>;
export type PrePostQuery = z.input<typeof prePostQuery>;
export type ExportQuery = z.input<typeof exportQuery>;
export type SummaryQuery = z.input<typeof summaryQuery>;

// The analysis results are large nested tables typed in analysis/*; their top level is described here.
const table = z.looseObject({}).describe('See analysis/ for the full shape');

export const ratesResultSchema = z.union([
  z.looseObject({ kind: z.literal('frame'), overall: table, groups: z.array(table) }).describe('AAPOR RR1–RR6 and the simple rate, overall and by group'),
  z.looseObject({ kind: z.literal('open-link') }).describe('No frame: completes, partials and break-off by page'),
]);

/** The 単純集計: every question of the wave, each with one table per group (全体 first). */
export const summaryResultSchema = z.looseObject({
  waveId: z.uuid(),
  groups: z.array(z.object({ code: z.string().nullable(), label: z.string(), n: z.number().int() })),
  questions: z.array(table),
  scores: z.array(table),
});

export const crosstabResultSchema = z.looseObject({
  waveId: z.uuid(),
  row: z.string(),
  col: z.string().nullable(),
  kind: z.enum(['single', 'multiple']),
  table,
  suppressed: table.nullable(),
});

export const reportResultSchema = z.object({
  waveId: z.uuid(),
  rates: ratesResultSchema,
  tables: z.array(crosstabResultSchema.omit({ waveId: true })),
});

export const prePostResultSchema = z.looseObject({
  study: z.object({ id: z.uuid(), name: z.string() }),
  preWave: z.object({ id: z.uuid(), name: z.string() }),
  postWave: z.object({ id: z.uuid(), name: z.string() }),
  scaleLabel: z.unknown(),
  scale: table,
  pairs: z.array(table),
});

export const responsesExportSchema = z.object({
  waveId: z.uuid(),
  responses: z.array(z.looseObject({}).describe('One response: codes and labels per question')),
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const download = { schema: { type: 'string' as const, format: 'binary' } };

/** The 200 of a results route: JSON, or the same result as a file or chart (`format`). */
export function resultResponse(json: z.ZodType, description: string, formats: ('csv' | 'xlsx' | 'svg')[]) {
  return {
    description: `${description}; format=${['json', ...formats].join('|')}`,
    content: {
      'application/json': { schema: json },
      ...(formats.includes('csv') ? { 'text/csv': download } : {}),
      ...(formats.includes('xlsx') ? { [XLSX]: download } : {}),
      ...(formats.includes('svg') ? { 'image/svg+xml': download } : {}),
    },
  };
}
