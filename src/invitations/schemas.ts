import { z } from 'zod';

const dispositions = ['pending', 'complete', 'partial', 'refused', 'non-contact', 'ineligible', 'unknown'] as const;

/** `disposition=pending,non-contact`: several may be chosen (a reminder goes to everyone not yet reached). */
export const dispositionList = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const chosen = (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const wrong = chosen.filter((d) => !(dispositions as readonly string[]).includes(d));
    if (wrong.length) ctx.addIssue({ code: 'custom', message: `Unknown disposition: ${wrong.join(', ')}. Use ${dispositions.join(', ')}.` });
    return chosen as (typeof dispositions)[number][];
  })
  .describe(`Comma-separated: ${dispositions.join(', ')}`);

/** `units=A001,A002`: chosen unit ids (as on the list). */
export const unitIdList = z
  .string()
  .max(20_000)
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : [...new Set(v.split(/[,\n]/).map((s) => s.trim()).filter(Boolean))]))
  .describe('Comma-separated unit ids');

export const listQuery = z
  .object({
    disposition: dispositionList,
    q: z.string().trim().max(200).optional().describe('Unit ids starting with this'),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    perPage: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

export const exportQuery = z
  .object({ format: z.enum(['csv', 'xlsx']).default('xlsx'), disposition: dispositionList, units: unitIdList })
  .strict();

export const attributesChangeSchema = z
  .object({
    attributes: z
      .record(z.string().trim().min(1).max(100), z.union([z.string().max(500), z.number(), z.null()]).transform((v) => (v === null ? null : String(v))))
      .describe('The unit\'s attributes as they should be (replaces them whole)'),
  })
  .strict();

const time = z.string().describe('ISO time');

export const listedUnitSchema = z.object({
  unitId: z.string(),
  attributes: z.record(z.string(), z.string().nullable()),
  disposition: z.enum(dispositions),
  disposition_ja: z.string(),
  updatedAt: time.describe('Last activity: answer, disposition, re-issue or correction'),
  tokenIssue: z.number().int().nullable().describe('null: a link made before links could be shown again; re-issue it to print it'),
  url: z.url().nullable(),
  accessCode: z.string().nullable().describe('Typed at /c, as printed: ABCD-EFGH'),
});

export const unitListSchema = z.object({
  waveId: z.uuid(),
  total: z.number().int().describe('Units matching the filter'),
  page: z.number().int(),
  perPage: z.number().int(),
  units: z.array(listedUnitSchema),
});

export const unitParams = z.object({ id: z.string().describe('Wave id (UUID)'), unitId: z.string().describe('The unit id as in the frame') });
