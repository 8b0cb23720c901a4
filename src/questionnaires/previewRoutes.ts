/**
 * Previews for authoring: a template or a questionnaire version rendered exactly as a participant
 * sees it (participantPage with `preview: true`), inside the staff pages' phone frame. Submitting
 * checks the answers with survey-core, as a real submission would, and stores nothing.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { and, eq } from 'drizzle-orm';
import { owned } from '../auth/scope.js';
import { sameToken } from '../auth/sessions.js';
import type { Database } from '../db/database.js';
import { questionnaireVersions, type waves } from '../db/schema.js';
import { assertStorable } from '../http/json.js';
import { problemResponse } from '../http/problem.js';
import { langOf, participantPage, thankYouPage } from '../web/participantPage.js';
import { formAnswers, loc, type Lang } from '../web/surveyForm.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { checkAnswers } from './answerValidator.js';
import { templateDefinition } from './orgTemplates.js';
import { sanitiseDefinition } from './sanitiseHtml.js';

type Found = { definition: Record<string, unknown>; organisationName: string };

/** A wave that exists only for this page view: a fresh id each time, so nothing is resumed from the device. */
function previewWave(organisationId: string) {
  return {
    id: `preview-${randomBytes(6).toString('hex')}`,
    organisationId,
    studyId: null,
    versionId: 'preview',
    name: 'preview',
    phase: null,
    slug: null,
    status: 'open',
    opensAt: null,
    closesAt: null,
    askParticipantCode: false,
    retentionDays: null,
    createdAt: new Date(),
  } as unknown as typeof waves.$inferSelect;
}

const cacheKey = (definition: Record<string, unknown>) => `preview:${createHash('sha256').update(JSON.stringify(definition)).digest('hex')}`;

export function previewRoutes(database: Database) {
  const app = new Hono<StaffPageEnv>();

  async function load(c: Context<StaffPageEnv>): Promise<Found | undefined> {
    const staff = c.get('staff');
    const organisationName = c.get('viewer').organisationName;
    const id = c.req.param('id') ?? '';
    if (c.req.param('what') === 'templates') {
      const definition = await templateDefinition(database, staff, id);
      return definition ? { definition, organisationName } : undefined;
    }
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const [version] = await database.db.select().from(questionnaireVersions).where(owned(questionnaireVersions, staff, id));
    return version ? { definition: version.definition, organisationName } : undefined;
  }

  function render(c: Context<StaffPageEnv>, found: Found, extra: { lang?: Lang; values?: Record<string, unknown>; errors?: Record<string, string> } = {}, status: 200 | 422 = 200) {
    const path = c.req.path.replace(/\/check$/, '');
    return participantPage(
      c,
      {
        wave: previewWave(c.get('staff').organisationId),
        definition: found.definition,
        organisationName: found.organisationName,
        submitUrl: `${path}/check`,
        formAction: path,
        lang: extra.lang ?? langOf(c),
        values: extra.values,
        errors: extra.errors,
        preview: true,
      },
      status,
    );
  }

  const notFound = (c: Context) => c.html('<!doctype html><meta charset="utf-8"><p>見つかりません。 Not found.</p>', 404);

  app.get('/staff/preview/:what{templates|versions}/:id', async (c) => {
    const found = await load(c);
    return found ? render(c, found) : notFound(c);
  });

  /** The plain form post (no JavaScript): the form again with messages, or a thank-you page. */
  app.post('/staff/preview/:what{templates|versions}/:id', async (c) => {
    const found = await load(c);
    if (!found) return notFound(c);
    const form = (await c.req.parseBody({ all: true })) as Record<string, string | string[]>;
    const lang: Lang = form.__lang === 'en' ? 'en' : 'ja';
    const answers = formAnswers(found.definition, form);
    const { errors } = checkAnswers(cacheKey(found.definition), found.definition, answers, { requireComplete: true });
    if (errors.length) {
      return render(c, found, { lang, values: answers, errors: Object.fromEntries(errors.map((e) => [e.field, lang === 'en' ? e.message : e.message_ja])) }, 422);
    }
    return thankYouPage(c, lang, loc(found.definition.title, lang));
  });

  /** What participant.js posts: answers checked with survey-core, nothing stored. */
  app.post('/staff/preview/:what{templates|versions}/:id/check', async (c) => {
    const found = await load(c);
    if (!found) return problemResponse(c, { title: 'Not found', status: 404 });
    let body: { answers?: unknown; status?: unknown };
    try {
      body = await c.req.json();
    } catch {
      return problemResponse(c, { title: 'Bad request', status: 400, detail: 'The request body is not valid JSON.' });
    }
    assertStorable(body);
    const answers = body.answers && typeof body.answers === 'object' && !Array.isArray(body.answers) ? (body.answers as Record<string, unknown>) : {};
    const { errors } = checkAnswers(cacheKey(found.definition), found.definition, answers, { requireComplete: body.status !== 'partial' });
    if (errors.length) {
      return problemResponse(c, {
        title: 'Invalid answers',
        status: 422,
        detail: `Some answers are not valid: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
        title_ja: '回答内容を確認してください',
        detail_ja: errors.map((e) => `${e.field}: ${e.message_ja}`).join(' / '),
        errors,
      });
    }
    return c.json({ preview: true, stored: false, message: 'Preview: the answers are valid and were not stored.', message_ja: 'プレビュー：回答は有効です（保存していません）。' }, 201);
  });

  /**
   * The form editor's live preview: the unsaved definition, posted into the phone frame as the author
   * types (a form post targeting the frame, so the page is a real participant page under our CSP).
   * Nothing is stored; the session's CSRF token keeps other sites from rendering pages here. The
   * preview's own answers are checked against the saved draft.
   */
  app.post('/staff/preview/drafts/:id', async (c) => {
    const form = await c.req.parseBody();
    if (!sameToken(typeof form.csrf === 'string' ? form.csrf : undefined, c.get('viewer').csrfToken)) return problemResponse(c, { title: 'Forbidden', status: 403, title_ja: 'この操作はできません' });
    const staff = c.get('staff');
    const id = c.req.param('id');
    if (!/^[0-9a-f-]{36}$/i.test(id)) return notFound(c);
    const [draft] = await database.db
      .select({ id: questionnaireVersions.id })
      .from(questionnaireVersions)
      .where(and(owned(questionnaireVersions, staff), eq(questionnaireVersions.questionnaireId, id), eq(questionnaireVersions.status, 'draft')));
    if (!draft) return notFound(c);
    let definition: unknown;
    try {
      definition = JSON.parse(typeof form.definition === 'string' ? form.definition : '');
    } catch {
      return problemResponse(c, { title: 'Bad request', status: 400, title_ja: '定義を読み取れません' });
    }
    if (!definition || typeof definition !== 'object' || Array.isArray(definition)) return problemResponse(c, { title: 'Bad request', status: 400, title_ja: '定義を読み取れません' });
    assertStorable(definition);
    const shown = sanitiseDefinition(definition as Record<string, unknown>);
    return participantPage(c, {
      wave: previewWave(staff.organisationId),
      definition: shown,
      organisationName: c.get('viewer').organisationName,
      submitUrl: `/staff/preview/versions/${draft.id}/check`,
      formAction: `/staff/preview/versions/${draft.id}`,
      lang: langOf(c),
      preview: true,
    });
  });

  return app;
}
