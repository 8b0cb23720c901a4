import { z } from 'zod';

/** What the account API answers; requests are validated by the schemas next to their routes. */

const time = z.string().describe('ISO time');
const role = z.enum(['admin', 'editor', 'evaluator']);

export const userSchema = z.object({
  id: z.uuid(),
  email: z.string().nullable(),
  name: z.string(),
  role,
  studyScoped: z.boolean(),
  createdAt: time,
});

export const userWithStudiesSchema = userSchema.extend({ studyIds: z.array(z.uuid()).nullable().describe('null: the whole organisation') });
export const createdUserSchema = userWithStudiesSchema.extend({ temporaryPassword: z.string().optional().describe('Shown only now'), note: z.string().optional() });

export const loggedInSchema = z.object({
  user: userSchema,
  organisation: z.object({ id: z.uuid(), name: z.string() }),
  csrfToken: z.string().describe('Send as X-CSRF-Token with every write'),
  expiresAt: time,
});

export const meSchema = z.object({
  user: userSchema,
  role,
  studyIds: z.array(z.uuid()).nullable(),
  organisation: z.object({ id: z.uuid(), name: z.string(), suppressionK: z.number().int() }),
  authenticatedBy: z.enum(['token', 'session']),
  csrfToken: z.string().optional(),
});

export const listedTokenSchema = z.object({ id: z.uuid(), label: z.string(), role, userId: z.uuid(), createdAt: time, revokedAt: time.nullable() });
export const createdTokenSchema = listedTokenSchema.extend({ token: z.string().describe('Shown only now; stored hashed'), note: z.string() });

/** A support contact on the participants' thank-you page: a name, what it offers, a web address (http/https only). */
export const supportContactSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    detail: z.string().trim().max(500).optional(),
    url: z.url({ protocol: /^https?$/ }).max(500).optional(),
  })
  .strict();

export const organisationSettingsSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  suppressionK: z.number().int(),
  contact: z.string().nullable().describe('問い合わせ先 shown to participants and on letters'),
  supportContacts: z.array(supportContactSchema).nullable().describe('Thank-you page contacts; null = the national portal'),
  createdAt: time,
});

export const auditPageSchema = z.object({
  events: z.array(
    z.object({
      id: z.uuid(),
      at: time,
      action: z.string(),
      target: z.string().nullable(),
      details: z.unknown(),
      userId: z.uuid().nullable(),
      userEmail: z.string().nullable(),
      userName: z.string().nullable(),
    }),
  ),
  next: z.string().nullable().describe('Pass as `before` for the following page; null on the last'),
});

export const dataExportSchema = z.object({
  by: z.enum(['invitation', 'participant_code']),
  n: z.number().int(),
  attendedSessions: z.array(z.uuid()).describe("Sessions of the study's activities where their code was recorded"),
  responses: z.array(
    z.object({
      id: z.uuid(),
      waveId: z.uuid(),
      versionId: z.uuid(),
      status: z.enum(['complete', 'partial']),
      mode: z.string(),
      submittedAt: time,
      startedAt: time.nullable(),
      answers: z.record(z.string(), z.unknown()),
    }),
  ),
});

export const dataDeletedSchema = z.object({ by: z.enum(['invitation', 'participant_code']), deleted: z.number().int() });
export const retentionSchema = z.object({ waveId: z.uuid(), retentionDays: z.number().int().nullable() });
