import { z } from 'zod';

const time = z.string().describe('ISO time');
const kind = z.enum(['invitation', 'reminder']);

const template = {
  subject: z.string().trim().min(1).max(200).describe('May use placeholders such as {調査名}'),
  body: z.string().trim().min(1).max(10_000).describe('Plain text; placeholders {団体名} {調査名} {回答リンク} {アクセスコード} {コード入力ページ} {回答期限}; an opt-out footer is always added'),
};

export const previewRequestSchema = z
  .object({ ...template, unitId: z.string().trim().min(1).max(200).optional().describe('Whose message to show; default the first unit with an address') })
  .strict();

export const previewSchema = z.object({ unitId: z.string(), to: z.string().nullable(), subject: z.string(), text: z.string(), wouldSend: z.boolean(), reason: z.string().nullable().describe('why this unit would not get it now: opted-out, complete, refused, ineligible, no-link, wave-closed'), reasonText: z.string().nullable().describe('the same in Japanese') });

export const sendInvitationsSchema = z.object(template).strict();

export const scheduleReminderSchema = z
  .object({ ...template, sendAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).describe('When to send, with its offset, e.g. 2026-12-08T10:00:00+09:00') })
  .strict();

const pendingRoundSchema = z.object({ id: z.string(), kind, at: time, subject: z.string(), state: z.enum(['waiting', 'sending']) });

export const queuedRoundSchema = z.object({ round: pendingRoundSchema, recipientsNow: z.number().int().describe('Units the round would reach if sent now; decided again when it is sent') });

export const mailStatusSchema = z.object({
  configured: z.boolean().describe('false: SMTP_URL is not set, nothing can be sent'),
  from: z.string().nullable(),
  perSecond: z.number().nullable(),
  units: z.object({
    withEmail: z.number().int(),
    optedOut: z.number().int(),
    invitable: z.number().int().describe('would receive the invitation now'),
    remindable: z.number().int().describe('would receive a reminder now'),
  }),
  messages: z.array(z.object({ kind, status: z.string(), count: z.number().int() })),
  pending: z.array(pendingRoundSchema),
});

export const unitMessagesSchema = z.object({
  unitId: z.string(),
  email: z.string().nullable(),
  disposition: z.string(),
  optedOutAt: time.nullable(),
  messages: z.array(
    z.object({ id: z.uuid(), kind, status: z.string(), scheduledFor: time, sentAt: time.nullable(), reason: z.string().nullable(), createdAt: time }),
  ),
});
