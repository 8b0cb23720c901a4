import { z } from 'zod';
import { NATIONAL_INSTRUMENTS } from './reference.js';

/** What the national comparison API takes and gives. */

export const comparisonQuery = z.object({ format: z.enum(['json', 'csv', 'xlsx']).default('json').describe('csv and xlsx downloads are audited') }).strict();

/** A plain string: an unknown template answers 404 before the query and body are read, like an unknown id. */
export const instrumentParam = z.object({ instrument: z.string().describe(`The template the national table is for: ${NATIONAL_INSTRUMENTS.join(' or ')}`) });

export const referenceUploadQuery = z
  .object({
    source: z.string().trim().min(1).max(300).describe('Where the table comes from, e.g. e-Stat, survey year and table number (shown under the standardised figures)'),
    fileName: z.string().trim().max(200).default('').describe('The uploaded file name, for the record'),
  })
  .strict();

const figure = z.object({ count: z.number().int(), percent: z.number(), lower: z.number(), upper: z.number() }).nullable().describe('null: hidden (n < k)');
const sample = z.object({ n: z.number().int(), hidden: z.boolean(), figures: z.record(z.string(), figure) });
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
  n: z.number().int().describe('Complete responses of the wave'),
  k: z.number().int().describe('Small-cell threshold: no percentage for a base below k'),
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
