import { bulkDispositionsSchema } from '../collection/dispositions.js';
import { staffEntrySchema, submissionSchema } from '../collection/submissionSchema.js';

/** Summaries for /api/openapi.json; routes not listed here still appear, under their method and path. */
export const apiDocs = {
  'POST /api/auth/login': { summary: 'Staff login with email and password; sets the session cookie and returns the CSRF token' },
  'GET /api/templates': { summary: 'Built-in and organisation templates' },
  'GET /api/templates/:id': { summary: 'One template: SurveyJS JSON and scoring metadata' },
  'POST /api/questionnaires': { summary: 'Create a questionnaire from templates (composed in order), own questions, or SurveyJS JSON' },
  'POST /api/questionnaires/:id/publish': { summary: 'Publish the draft as an immutable version' },
  'POST /api/templates': { summary: 'Save a questionnaire version as an organisation template {questionnaireId, version?, title?, summary?, kind?}' },
  'DELETE /api/templates/:id': { summary: 'Delete an organisation template (built-in templates cannot be deleted)' },
  'POST /api/definitions/validate': { summary: 'Check a SurveyJS definition with survey-core without saving: {valid, problems}' },
  'GET /api/questionnaires/:id/versions/:version': { summary: 'One version by number or id, with its definition and scoring metadata' },
  'POST /api/questionnaires/:id/versions': { summary: 'Start a new draft version: from a definition, from templates/own questions, or a copy of the latest (409 if a draft exists)' },
  'PUT /api/questionnaires/:id/draft': { summary: 'Replace the draft version (definition or compose input); 409 when only published versions exist, 422 with survey-core problems' },
  'POST /api/studies': { summary: 'Create a study that groups waves (e.g. pre and post)' },
  'POST /api/waves': { summary: 'Open a wave of a published questionnaire; returns the open link and QR code URLs' },
  'POST /api/waves/:id/frame': { summary: 'Add invited units (JSON {units} or text/csv with unit_id); returns invitation links once' },
  'POST /api/waves/:id/responses': { summary: 'Staff entry of paper, mail or interview answers', body: staffEntrySchema },
  'PATCH /api/waves/:id/frame/:unitId': { summary: 'Record a unit\'s disposition (refused, non-contact, ineligible, unknown, pending) for AAPOR rates' },
  'POST /api/waves/:id/frame/dispositions': {
    summary: 'Record one disposition for a list of units (up to 5,000); returns {updated, answered (skipped, their disposition comes from their response), unknown (not in the frame), frame (units by disposition)}',
    body: bulkDispositionsSchema,
  },
  'PATCH /api/waves/:id': { summary: 'Rename a wave or move its closing time {name?, closesAt?: ISO time with offset | null}; a time in the past closes it now. 409 once the wave has closed (closing is final), 422 when closesAt is not after opensAt' },
  'POST /api/waves/:id/close': { summary: 'Close a wave' },
  'GET /api/waves/:id/rates': { summary: 'Response rates (simple and AAPOR RR1–RR6) overall and by frame attributes', query: { by: 'one or two frame attributes, comma separated', format: 'json | csv | xlsx | svg' } },
  'GET /api/waves/:id/crosstab': {
    summary: 'Cross-tabulation with counts, percentages, base n, chi-square / Fisher, column letters and suppression',
    query: { row: 'question name', col: 'question name or frame.<attribute>', missing: 'show | exclude', letters: 'none | holm | bonferroni', suppress: 'k (0 = off)', include: 'complete | all', format: 'json | csv | xlsx | svg' },
  },
  'GET /api/waves/:id/report': {
    summary: 'One workbook for a wave: response rates and several cross-tabs, one sheet each, with codebook and notes',
    query: { tables: 'row:col pairs, comma separated', by: 'frame attributes for the rates', missing: 'show | exclude', format: 'xlsx | csv | json' },
  },
  'GET /api/studies/:id/prepost': { summary: 'Pre/post comparison of a scale score, paired by participant code', query: { score: 'scale id', pre: 'wave id', post: 'wave id', format: 'json | csv | xlsx | svg' } },
  'GET /api/waves/:id/responses': { summary: 'Raw responses, one row per response with codes and labels (audited)', query: { format: 'json | csv | xlsx' } },
  'GET /api/audit': {
    summary: 'The organisation\'s audit log, newest first (admins): {events, next}; pass `next` as `before` for the following page, null on the last',
    query: { limit: '1–1000 (default 100)', before: '`next` of the previous page, or an ISO time (events strictly before it)', action: 'only this action' },
  },
  'POST /api/public/s/:slug/responses': { summary: 'Participant submission through an open link (idempotent by idempotencyKey)', body: submissionSchema },
  'POST /api/public/t/:token/responses': { summary: 'Participant submission through a personal invitation link', body: submissionSchema },
};
