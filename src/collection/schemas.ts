import { z } from 'zod';
import { dispositionSchema } from './dispositions.js';
import { spoiledSchema } from './submissionSchema.js';

/** An instant with its offset ("2026-12-01T09:00:00+09:00"): a time without one would be read as UTC. */
const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
/** Times in responses are ISO strings (JSON has no dates). */
const time = z.string().describe('ISO time');

export const newStudySchema = z.object({ name: z.string().trim().min(1).max(200) }).strict();

export const studySchema = z.object({ id: z.uuid(), organisationId: z.uuid(), name: z.string(), createdAt: time });

export const newWaveSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    versionId: z.uuid().optional(),
    questionnaireId: z.uuid().optional().describe('Its latest published version is used'),
    studyId: z.uuid().optional(),
    phase: z.string().max(50).optional().describe('e.g. pre, post'),
    openLink: z.boolean().default(true),
    opensAt: instant.optional(),
    closesAt: instant.optional(),
    askParticipantCode: z.boolean().default(false),
  })
  .strict()
  .refine((v) => v.versionId || v.questionnaireId, { message: 'Give versionId or questionnaireId.' });

export const waveChangeSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    closesAt: instant.nullable().optional().describe('A time in the past closes the wave now; null: no closing time'),
    purpose: z.string().trim().max(1000).nullable().optional().describe('What the survey is for, printed on letters and flyers; null or empty: none'),
  })
  .strict()
  .refine((v) => v.name !== undefined || v.closesAt !== undefined || v.purpose !== undefined, { message: 'Give name, closesAt or purpose.' });

export const waveSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  phase: z.string().nullable(),
  studyId: z.uuid().nullable(),
  versionId: z.uuid(),
  status: z.enum(['open', 'closed']),
  opensAt: time.nullable(),
  closesAt: time.nullable(),
  askParticipantCode: z.boolean(),
  purpose: z.string().nullable(),
  openLink: z.url().nullable().describe('null for a wave reached by invitations only'),
  qrCode: z.object({ svg: z.url(), png: z.url() }).nullable().describe('null once the wave no longer takes answers'),
});

export const studyWithWavesSchema = studySchema.extend({ waves: z.array(waveSchema) });

const attributeValue = z.union([z.string().max(500), z.number(), z.null()]).transform((v) => (v === null ? null : String(v)));

/** Invited units as JSON; the same units may come as CSV with a unit_id column and one column per attribute. */
export const frameUnitsSchema = z
  .object({
    units: z
      .array(
        z
          .object({
            unitId: z.string().trim().min(1).max(200),
            attributes: z
              .record(z.string().min(1).max(100), attributeValue)
              .default({})
              .describe('e.g. city, legal type: for rates by attribute; an e-mail column (email, e-mail, メール, メールアドレス) is kept apart for e-mail invitations'),
          })
          .strict(),
      )
      .min(1)
      .max(100_000),
  })
  .strict();

export const frameAddedSchema = z.object({
  waveId: z.uuid(),
  added: z.number().int(),
  note: z.string(),
  invitations: z
    .array(z.object({ unitId: z.string(), url: z.url(), accessCode: z.string().describe('Typed at /c, as printed: ABCD-EFGH') }))
    .describe('Stored as keyed hashes; shown again on the invitation list'),
});

export const unitDispositionSchema = z.object({ disposition: dispositionSchema }).strict();

const anyDisposition = z.enum(['pending', 'complete', 'partial', 'refused', 'non-contact', 'ineligible', 'unknown']);
export const recordedDispositionSchema = z.object({ unitId: z.string(), disposition: anyDisposition });

export const bulkOutcomeSchema = z.object({
  updated: z.number().int(),
  answered: z.array(z.string()).describe('Skipped: their disposition comes from their response'),
  unknown: z.array(z.string()).describe('Not in the frame'),
  frame: z.record(anyDisposition, z.number().int()).describe('Units by disposition'),
});

export const receiptSchema = z.object({
  id: z.uuid(),
  status: z.enum(['complete', 'partial']),
  submittedAt: time,
  replayed: z.boolean().describe('true when the idempotency key had been seen: the first receipt again'),
});

/** Staff entry's receipt: a return kept without the participant code its wave asks for says so (it cannot be paired). */
export const entryReceiptSchema = receiptSchema.extend({
  warning: z.string().optional(),
  warning_ja: z.string().optional().describe('e.g. 参加者コードがないため、事前・事後の対応づけには使われません'),
});

export const participantReceiptSchema = receiptSchema.extend({ message: z.string(), message_ja: z.string() });

const mode = z.enum(['paper', 'mail', 'interview']);

/** A correction of an entered return: its answers again (checked like any other), and optionally its status or mode. */
export const correctionSchema = z
  .object({
    answers: z.record(z.string().max(200), z.unknown()),
    status: z.enum(['complete', 'partial']).optional(),
    mode: mode.optional(),
    spoiled: spoiledSchema,
    participantCode: z.string().trim().min(1).max(64).optional().describe('The 参加者コード written on the paper, when it was missed or mistyped: replaces the stored pairing key'),
  })
  .strict();

export const correctedSchema = z.object({ id: z.uuid(), status: z.enum(['complete', 'partial']), mode: z.string(), data: z.record(z.string(), z.unknown()), spoiled: z.array(z.string()) });

export const enteredReturnsSchema = z.object({
  entries: z.array(
    z.object({
      id: z.uuid(),
      mode: z.string(),
      status: z.enum(['complete', 'partial']),
      unitId: z.string().nullable(),
      enteredBy: z.string().nullable(),
      submittedAt: time,
      data: z.record(z.string(), z.unknown()),
      spoiled: z.array(z.string()).describe('Questions marked 判読不能・無効'),
    }),
  ),
});

/** A second person's keying of an entered paper return (double entry): the answers and 判読不能 marks as they read them. */
export const keyingSchema = z
  .object({
    answers: z.record(z.string().max(200), z.unknown()),
    spoiled: spoiledSchema,
  })
  .strict();

const mismatchSchema = z.object({
  name: z.string(),
  label: z.string().describe('The question as numbered on paper, e.g. 問2'),
  title: z.string(),
  first: z.string().describe('As the first keying has it (choice labels; 判読不能・無効; —（無回答）)'),
  second: z.string().describe('As the second keying has it'),
});

export const keyingOutcomeSchema = z.object({
  responseId: z.uuid(),
  keyedBy: z.string().nullable(),
  keyedAt: time,
  resolvedAt: time.nullable().describe('Set when both keyings agreed, or when an editor settled every mismatch'),
  mismatches: z.array(mismatchSchema).describe('Questions the keyings disagree on; empty once resolved'),
});

/** For each question the keyings disagree on, which keying reads the paper right. */
export const resolutionSchema = z
  .object({ use: z.record(z.string().max(200), z.enum(['first', 'second'])).describe('Question name → the keying to keep') })
  .strict();

export const unresolvedKeyingsSchema = z.object({
  returns: z.array(z.object({ responseId: z.uuid(), unitId: z.string().nullable(), keyedBy: z.string().nullable(), keyedAt: time })),
});
