import { z } from 'zod';
import { NATIONAL_INSTRUMENTS } from './reference.js';

/** What the national comparison API takes and gives. */

export const comparisonQuery = z.object({ format: z.enum(['json', 'csv', 'xlsx']).default('json').describe('csv and xlsx downloads are audited') }).strict();

/** A plain string: an unknown template answers 404 before the query and body are read, like an unknown id. */
export const instrumentParam = z.object({ instrument: z.string().describe(`The template the national table is for: ${NATIONAL_INSTRUMENTS.join(' or ')}`) });

const SOURCE_MESSAGE = '出典（調査年・表番号など）を300文字までで入力してください。 Give the source, up to 300 characters.';

export const referenceUploadQuery = z
  .object({
    source: z.string().trim().min(1, SOURCE_MESSAGE).max(300, SOURCE_MESSAGE).describe('Where the table comes from, e.g. e-Stat, survey year and table number (shown under the standardised figures)'),
    fileName: z.string().trim().max(200, 'ファイル名は200文字までにしてください。 The file name is longer than 200 characters.').default('').describe('The uploaded file name, for the record'),
  })
  .strict();

/** A count or base the small-cell rule hides, as the cross-tabs print it. */
const hiddenCount = z.literal('x').describe('hidden: fewer than k, or hidden so that another hidden count cannot be worked out');
const figure = z.object({ count: z.number().int(), percent: z.number(), lower: z.number(), upper: z.number() }).nullable().describe('null: its count or its base is hidden');
const sample = z.object({ n: z.union([z.number().int(), hiddenCount]), hidden: z.boolean().describe('true: the base is hidden or under k, no figure shown'), figures: z.record(z.string(), figure) });
const nationalLine = z.looseObject({
  wave: z.string(),
  waveLabel: z.string(),
  group: z.string(),
  n: z.number().int().nullable(),
  confidence: z.enum(['confirmed', 'single', 'reconstructed']),
  confidenceLabel: z.string(),
  percents: z.record(z.string(), z.number().nullable()).describe('null: not published'),
  source: z.string(),
});

export const comparisonResultSchema = z.object({
  waveId: z.uuid(),
  n: z.union([z.number().int(), hiddenCount]).describe('Complete responses of the wave'),
  k: z.number().int().describe('Small-cell threshold: counts 1…k−1 hidden (with secondary suppression), as in the cross-tabs'),
  instruments: z.array(
    z.looseObject({
      instrument: z.enum(NATIONAL_INSTRUMENTS),
      title: z.string(),
      columns: z.array(z.object({ key: z.string(), label: z.string() })),
      sample,
      national: z.array(nationalLine),
      breakdowns: z.array(z.object({ national: nationalLine, sample: sample.nullable() })),
      standardisation: z.looseObject({ shown: z.boolean() }),
      notes: z.array(z.string()),
    }),
  ),
});

export const referenceTableSchema = z.object({
  instrument: z.enum(NATIONAL_INSTRUMENTS),
  source: z.string(),
  fileName: z.string(),
  strata: z.array(z.looseObject({ sex: z.string(), ages: z.array(z.string()), label: z.string() })),
  createdAt: z.string(),
});
export const referenceListSchema = z.object({ tables: z.array(referenceTableSchema) });
