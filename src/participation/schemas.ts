import { z } from 'zod';
import { TARGET_INDICATORS } from '../../analysis/participationIndicators.js';

const day = z.iso.date().describe('YYYY-MM-DD (the day in Japan)');
const time = z.string().describe('ISO time');

export const newActivitySchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    studyId: z.uuid().optional().describe('Attendance codes then link to this study’s pre/post answers'),
  })
  .strict();

export const activitySchema = z.object({ id: z.uuid(), name: z.string(), studyId: z.uuid().nullable(), createdAt: time });

/** Counts-only breakdowns: category → value → number present (status: new/repeat, age band, sex…). */
const breakdownSchema = z.record(z.string().trim().min(1).max(50), z.record(z.string().trim().min(1).max(50), z.number().int().min(0).max(100_000)));

export const newSessionSchema = z
  .object({
    heldOn: day,
    site: z.string().trim().max(200).optional(),
    theme: z.string().trim().max(200).optional(),
    headcount: z.number().int().min(0).max(100_000).optional().describe('Counts only: the number present when no codes are taken'),
    breakdown: breakdownSchema.optional(),
  })
  .strict()
  .refine((s) => s.breakdown === undefined || s.headcount !== undefined, { message: 'A breakdown needs the headcount it breaks down.', path: ['breakdown'] })
  .refine((s) => !s.breakdown || Object.values(s.breakdown).every((counts) => Object.values(counts).reduce((a, b) => a + b, 0) <= (s.headcount ?? 0)), {
    message: 'A breakdown cannot add up to more than the headcount.',
    path: ['breakdown'],
  });

export const sessionSchema = z.object({
  id: z.uuid(),
  activityId: z.uuid(),
  heldOn: z.string(),
  site: z.string().nullable(),
  theme: z.string().nullable(),
  headcount: z.number().int().nullable(),
  breakdown: breakdownSchema.nullable(),
  present: z.number().int().describe('Participant codes recorded at this session'),
});

export const attendanceSchema = z
  .object({ codes: z.array(z.string().trim().min(1).max(64)).min(1).max(2000).describe('Participant codes present (as written on the cards)') })
  .strict();

export const attendanceResultSchema = z.object({ added: z.number().int(), alreadyRecorded: z.number().int(), present: z.number().int() });

export const targetsSchema = z
  .object({
    targets: z
      .array(
        z
          .object({
            indicator: z.enum(Object.keys(TARGET_INDICATORS) as [keyof typeof TARGET_INDICATORS, ...(keyof typeof TARGET_INDICATORS)[]]),
            target: z.number().positive().max(10_000_000),
            from: day,
            to: day,
          })
          .strict()
          .refine((t) => t.from <= t.to, { message: 'The period ends before it starts.', path: ['to'] }),
      )
      .max(50),
  })
  .strict();

export const periodQuery = z.object({
  from: day.optional().describe('Default: the first session'),
  to: day.optional().describe('Default: the last session'),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
});

export const outcomesQuery = periodQuery.extend({
  bands: z.string().max(200).default('1-2,3-5,6-').describe('Sessions attended, ascending: 1-2,3-5,6- (0 = never recorded)'),
  score: z.string().max(100).optional().describe('Scale id (default: the first scored scale)'),
  pre: z.string().max(100).optional().describe('Pre wave id (default: the study wave with phase "pre")'),
  post: z.string().max(100).optional().describe('Post wave id (default: phase "post")'),
});

export const importResultSchema = z.object({
  sessions: z.number().int().describe('Sessions the sheet names'),
  newSessions: z.number().int().describe('Of those, sessions created now'),
  attendances: z.number().int().describe('What the sheet added to 延べ (new codes, headcounts set or changed)'),
});

export const indicatorsResultSchema = z.looseObject({ activity: activitySchema, indicators: z.looseObject({}), targets: z.array(z.looseObject({})) });
