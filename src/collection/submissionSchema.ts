import { z } from 'zod';

/** What a phone (or staff entry) sends; the answers themselves are checked by survey-core. */
export const submissionSchema = z
  .object({
    idempotencyKey: z.string().min(8).max(100).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only'),
    answers: z.record(z.string().max(200), z.unknown()).refine((a) => Object.keys(a).length <= 2000, 'too many answers'),
    status: z.enum(['complete', 'partial']).default('complete'),
    participantCode: z.string().trim().min(1).max(64).optional(),
    lastPage: z.string().max(200).optional(),
    // An ISO timestamp from the device; coercion would turn null, 0 or true into 1970.
    startedAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
  })
  .strict();

/** Staff entering a paper, mail or interview return; `unitId` marks that frame unit as answered. */
export const staffEntrySchema = submissionSchema.extend({
  mode: z.enum(['paper', 'mail', 'interview', 'web']),
  unitId: z.string().max(200).optional(),
});
