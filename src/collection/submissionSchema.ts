import { z } from 'zod';

const EARLIEST = Date.UTC(2000, 0, 1);
const plausibleTime = (date: Date) => (date.getTime() >= EARLIEST && date.getTime() <= Date.now() + 86_400_000 ? date : undefined);

/** What a phone (or staff entry) sends; the answers themselves are checked by survey-core. */
export const submissionSchema = z
  .object({
    idempotencyKey: z.string().min(8).max(100).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only'),
    answers: z.record(z.string().max(200), z.unknown()).refine((a) => Object.keys(a).length <= 2000, 'too many answers'),
    status: z.enum(['complete', 'partial']).default('complete'),
    participantCode: z.string().trim().min(1).max(64).optional(),
    lastPage: z.string().max(200).optional(),
    // An ISO timestamp from the device; coercion would turn null, 0 or true into 1970. A phone whose
    // clock is far off (year 0, a reset battery) still gets its answers stored, without the time.
    startedAt: z.iso.datetime({ offset: true }).transform((s) => plausibleTime(new Date(s))).optional(),
  })
  .strict();

/** Questions marked 判読不能・無効 on a paper return (two options circled, unreadable): stored apart from the answers. */
export const spoiledSchema = z
  .array(z.string().min(1).max(200))
  .max(2000)
  .default([])
  .describe('Question names marked unreadable or invalid (判読不能・無効) on the paper; counted apart from no answer');

/**
 * Staff entering a paper, mail or interview return; `unitId` marks that frame unit as answered.
 * Web answers come only from participants' own links: staff cannot enter one that looks like theirs.
 */
export const staffEntrySchema = submissionSchema.extend({
  mode: z.enum(['paper', 'mail', 'interview'], { error: 'Staff enter paper, mail or interview returns; web answers come only from participants.' }),
  unitId: z.string().max(200).optional(),
  spoiled: spoiledSchema,
});
