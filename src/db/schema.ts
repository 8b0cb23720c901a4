import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const id = () => uuid('id').primaryKey().defaultRandom();
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const organisationId = () =>
  uuid('organisation_id')
    .notNull()
    .references(() => organisations.id, { onDelete: 'cascade' });

/** Instance-wide values every server process must share (e.g. the generated hashing key). */
export const instanceSettings = pgTable('instance_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const organisations = pgTable('organisations', {
  id: id(),
  name: text('name').notNull(),
  /** Minimum cell count shown in shared outputs (0 = no suppression). */
  suppressionK: integer('suppression_k').notNull().default(5),
  /** 問い合わせ先 shown to participants on the first screen and on letters (free text, several lines). */
  contact: text('contact'),
  /** Support contacts on the thank-you page; null = the national default (「あなたはひとりじゃない」). */
  supportContacts: jsonb('support_contacts').$type<{ name: string; detail?: string; url?: string }[]>(),
  createdAt: createdAt(),
});

/**
 * Accounts belong to one organisation: an email is unique within it, not across the service, so an
 * organisation can neither learn nor claim another's addresses (the same person may hold one account each).
 */
export const users = pgTable(
  'users',
  {
    id: id(),
    organisationId: organisationId(),
    email: text('email'),
    name: text('name').notNull(),
    role: text('role', { enum: ['admin', 'editor', 'evaluator'] }).notNull(),
    passwordHash: text('password_hash'),
    /** When true the user sees only the studies granted in study_grants (e.g. a university evaluator). */
    studyScoped: boolean('study_scoped').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_organisation_email').on(t.organisationId, t.email), index('users_email').on(t.email)],
);

/** Server-side login sessions; the cookie holds a random id, the table only its SHA-256. */
export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organisationId: organisationId(),
    tokenHash: text('token_hash').notNull().unique(),
    /** Synchronizer token a cookie-authenticated write must echo in X-CSRF-Token. */
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

/**
 * Rate-limit token buckets shared by every server on one PostgreSQL (src/auth/rateBuckets.ts). The
 * migration makes the table UNLOGGED: a counter lost in a crash is harmless, and skipping the WAL keeps
 * the update on every participant request cheap. Rows whose bucket has refilled are swept.
 */
export const rateLimitBuckets = pgTable(
  'rate_limit_buckets',
  {
    key: text('key').primaryKey(),
    tokens: doublePrecision('tokens').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** Whether the last request taken against this bucket was let through. */
    allowed: boolean('allowed').notNull(),
    /** When the bucket will be full again, i.e. when the row says nothing and may go. */
    fullAt: timestamp('full_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('rate_limit_buckets_full_at').on(t.fullAt)],
);

/** Access of a study-scoped user (see users.studyScoped) to one study of the organisation. */
export const studyGrants = pgTable(
  'study_grants',
  {
    id: id(),
    organisationId: organisationId(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    studyId: uuid('study_id')
      .notNull()
      .references(() => studies.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('study_grants_user_study').on(t.userId, t.studyId)],
);

export const apiTokens = pgTable('api_tokens', {
  id: id(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  organisationId: organisationId(),
  label: text('label').notNull(),
  /** SHA-256 of the token; the token itself is shown once and never stored. */
  tokenHash: text('token_hash').notNull().unique(),
  role: text('role', { enum: ['admin', 'editor', 'evaluator'] }).notNull(),
  createdAt: createdAt(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

export const questionnaires = pgTable('questionnaires', {
  id: id(),
  organisationId: organisationId(),
  title: text('title').notNull(),
  templateIds: jsonb('template_ids').$type<string[]>().notNull().default([]),
  createdAt: createdAt(),
});

/** A version is immutable once published; editing makes a new draft version. */
export const questionnaireVersions = pgTable(
  'questionnaire_versions',
  {
    id: id(),
    organisationId: organisationId(),
    questionnaireId: uuid('questionnaire_id')
      .notNull()
      .references(() => questionnaires.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    status: text('status', { enum: ['draft', 'published'] }).notNull().default('draft'),
    definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
    /** Scoring metadata of the templates the version was built from; travels with the version. */
    scoring: jsonb('scoring').$type<unknown[]>().notNull().default([]),
    createdAt: createdAt(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('questionnaire_versions_number').on(t.questionnaireId, t.version),
    uniqueIndex('questionnaire_versions_one_draft').on(t.questionnaireId).where(sql`${t.status} = 'draft'`),
  ],
);

/** An organisation's own template, saved from a questionnaire version; seen only by its staff. */
export const organisationTemplates = pgTable(
  'organisation_templates',
  {
    id: id(),
    organisationId: organisationId(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    kind: text('kind', { enum: ['instrument', 'programme', 'block'] }).notNull().default('programme'),
    definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
    scoring: jsonb('scoring').$type<unknown[]>().notNull().default([]),
    sourceVersionId: uuid('source_version_id').references(() => questionnaireVersions.id, { onDelete: 'set null' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('organisation_templates_organisation').on(t.organisationId)],
);

export const studies = pgTable('studies', {
  id: id(),
  organisationId: organisationId(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const waves = pgTable(
  'waves',
  {
    id: id(),
    organisationId: organisationId(),
    studyId: uuid('study_id').references(() => studies.id, { onDelete: 'set null' }),
    versionId: uuid('version_id')
      .notNull()
      .references(() => questionnaireVersions.id),
    name: text('name').notNull(),
    phase: text('phase'),
    /** Unguessable open-link slug; null when the wave is reached only by invitations. */
    slug: text('slug').unique(),
    status: text('status', { enum: ['open', 'closed'] }).notNull().default('open'),
    opensAt: timestamp('opens_at', { withTimezone: true }),
    closesAt: timestamp('closes_at', { withTimezone: true }),
    askParticipantCode: boolean('ask_participant_code').notNull().default(false),
    /** What the survey is for, in the organisation's words: on the first screen, letters and flyers. */
    purpose: text('purpose'),
    /** Answers are deleted this many days after they were submitted (null = kept until deleted by staff). */
    retentionDays: integer('retention_days'),
    createdAt: createdAt(),
  },
  (t) => [index('waves_organisation').on(t.organisationId)],
);

export const invitations = pgTable(
  'invitations',
  {
    id: id(),
    organisationId: organisationId(),
    waveId: uuid('wave_id')
      .notNull()
      .references(() => waves.id, { onDelete: 'cascade' }),
    unitId: text('unit_id').notNull(),
    attributes: jsonb('attributes').$type<Record<string, string | null>>().notNull().default({}),
    tokenHash: text('token_hash').notNull().unique(),
    /**
     * Which issue of the link the token is (see invitationLinks.ts: the token is derived from the hashing
     * key, the invitation id and this number, so it can be shown again without being stored). Re-issuing
     * increments it. Null for links made before derivation: those cannot be shown again, only re-issued.
     */
    tokenIssue: integer('token_issue'),
    /** Keyed hash of the short access code typed at /c (null for links made before codes existed). */
    accessCodeHash: text('access_code_hash').unique(),
    /** The frame's e-mail address for invitations and reminders (kept out of frame attributes and results). */
    email: text('email'),
    /** The unit asked to receive no more e-mail (opt-out link). */
    optedOutAt: timestamp('opted_out_at', { withTimezone: true }),
    disposition: text('disposition', {
      enum: ['pending', 'complete', 'partial', 'refused', 'non-contact', 'ineligible', 'unknown'],
    })
      .notNull()
      .default('pending'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('invitations_unit').on(t.waveId, t.unitId)],
);

export const responses = pgTable(
  'responses',
  {
    id: id(),
    organisationId: organisationId(),
    waveId: uuid('wave_id')
      .notNull()
      .references(() => waves.id, { onDelete: 'cascade' }),
    versionId: uuid('version_id')
      .notNull()
      .references(() => questionnaireVersions.id),
    invitationId: uuid('invitation_id').references(() => invitations.id, { onDelete: 'set null' }),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: ['complete', 'partial'] }).notNull(),
    mode: text('mode', { enum: ['web', 'paper', 'mail', 'interview'] }).notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    participantKeyHash: text('participant_key_hash'),
    lastPage: text('last_page'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    /** The staff member who entered a paper, mail or interview return; null for a participant's own answer. */
    enteredBy: uuid('entered_by').references(() => users.id, { onDelete: 'set null' }),
    /** Questions whose paper answer could not be read (two options circled, illegible): a missing code of their own. */
    spoiled: jsonb('spoiled').$type<string[]>().notNull().default([]),
  },
  (t) => [
    uniqueIndex('responses_idempotency').on(t.waveId, t.idempotencyKey),
    uniqueIndex('responses_one_per_invitation')
      .on(t.invitationId)
      .where(sql`${t.invitationId} is not null`),
    index('responses_participant').on(t.waveId, t.participantKeyHash),
    /** Raw exports page through a wave in submission order. */
    index('responses_wave_submitted').on(t.waveId, t.submittedAt, t.id),
  ],
);

/** A second person's keying of a paper return (double entry); mismatches show until resolved. */
export const paperKeyings = pgTable(
  'paper_keyings',
  {
    id: id(),
    organisationId: organisationId(),
    responseId: uuid('response_id')
      .notNull()
      .references(() => responses.id, { onDelete: 'cascade' }),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    spoiled: jsonb('spoiled').$type<string[]>().notNull().default([]),
    enteredBy: uuid('entered_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('paper_keyings_response').on(t.responseId)],
);

/** Every e-mail invitation and reminder: queued, sent, failed or skipped (the send history per unit). */
export const invitationMessages = pgTable(
  'invitation_messages',
  {
    id: id(),
    organisationId: organisationId(),
    waveId: uuid('wave_id')
      .notNull()
      .references(() => waves.id, { onDelete: 'cascade' }),
    invitationId: uuid('invitation_id')
      .notNull()
      .references(() => invitations.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['invitation', 'reminder'] }).notNull(),
    /** 'sending': claimed by the worker, committed before the SMTP call, so a retried job never sends it again. */
    status: text('status', { enum: ['queued', 'sending', 'sent', 'failed', 'skipped'] }).notNull().default('queued'),
    scheduledFor: timestamp('scheduled_for', { withTimezone: true }).notNull().defaultNow(),
    /** When it was sent (while 'sending': when the worker claimed it). */
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** Why a send failed or was skipped (opted out, already complete, refused). */
    reason: text('reason'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('invitation_messages_invitation').on(t.invitationId, t.createdAt), index('invitation_messages_wave').on(t.waveId, t.status)],
);

/**
 * A programme activity (事業: a salon, a course, a 居場所) whose sessions and attendance are recorded.
 * Linked to a study, attendance codes hash like that study's participant codes, so attendance and
 * pre/post answers meet without any code being stored.
 */
export const activities = pgTable(
  'activities',
  {
    id: id(),
    organisationId: organisationId(),
    studyId: uuid('study_id').references(() => studies.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('activities_organisation').on(t.organisationId)],
);

/** One session (開催) of an activity: a date, a site and a theme; `headcount` when only counts are taken. */
export const activitySessions = pgTable(
  'activity_sessions',
  {
    id: id(),
    organisationId: organisationId(),
    activityId: uuid('activity_id')
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    site: text('site'),
    theme: text('theme'),
    /** Counts-only attendance (no codes taken): the number present, optionally broken down. */
    headcount: integer('headcount'),
    breakdown: jsonb('breakdown').$type<Record<string, Record<string, number>>>(),
    createdAt: createdAt(),
  },
  (t) => [index('activity_sessions_activity').on(t.activityId, t.heldOn)],
);

/** A participant present at a session, by the keyed hash of their participant code. */
export const attendances = pgTable(
  'attendances',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => activitySessions.id, { onDelete: 'cascade' }),
    organisationId: organisationId(),
    participantKeyHash: text('participant_key_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.participantKeyHash] })],
);

/** 目標 for an activity's indicator over a period, set beside its 実績. */
export const activityTargets = pgTable(
  'activity_targets',
  {
    id: id(),
    organisationId: organisationId(),
    activityId: uuid('activity_id')
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    indicator: text('indicator').notNull(),
    target: doublePrecision('target').notNull(),
    periodFrom: date('period_from', { mode: 'string' }).notNull(),
    periodTo: date('period_to', { mode: 'string' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('activity_targets_one').on(t.activityId, t.indicator, t.periodFrom, t.periodTo)],
);

/**
 * A national reference table by sex × age band an organisation loaded (the official e-Stat table as
 * CSV), one per instrument: national rates for standardising the national distribution to a wave's mix.
 */
export const nationalReferenceTables = pgTable(
  'national_reference_tables',
  {
    id: id(),
    organisationId: organisationId(),
    instrument: text('instrument').notNull(),
    source: text('source').notNull(),
    fileName: text('file_name').notNull(),
    /** The strata as validated at upload (src/national/referenceCsv.ts). */
    strata: jsonb('strata').$type<unknown[]>().notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('national_reference_tables_one').on(t.organisationId, t.instrument)],
);

export const auditEvents = pgTable(
  'audit_events',
  {
    id: id(),
    organisationId: organisationId(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    target: text('target'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    at: createdAt(),
  },
  (t) => [index('audit_events_organisation').on(t.organisationId, t.at)],
);

/** How a staff member is named where their work shows (exports, lists): the email, or the name of an account without one. */
export const staffLabel = sql<string | null>`coalesce(${users.email}, ${users.name})`;
