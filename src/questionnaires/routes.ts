import { audit } from '../accounts/audit.js';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { owned } from '../auth/scope.js';
import { requireRole, type Staff, type StaffEnv } from '../auth/staff.js';
import type { Database } from '../db/database.js';
import { organisationTemplates, questionnaires, questionnaireVersions } from '../db/schema.js';
import { apiRoute, apiRouter, failures, idParam, jsonBody, jsonResponse, lookupFirst, noContent } from '../http/openapi.js';
import { uuidParam } from '../http/params.js';
import { problems } from '../http/problem.js';
import { reviewDefinition, type DefinitionReview } from './answerValidator.js';
import { sanitiseDefinition } from './sanitiseHtml.js';
import { wordingWarnings } from './wordingCheck.js';
import { placeholderQuestions } from './placeholders.js';
import { englishWarning } from './englishCheck.js';
import { questionLabel } from '../web/surveyForm.js';
import { composeQuestionnaire, scoringFor } from './compose.js';
import { allTemplates, describeOrganisationTemplate, findOrganisationTemplate, resolveBlocks } from './orgTemplates.js';
import {
  definitionCheckSchema,
  definitionReviewSchema,
  editedVersionSchema,
  hasContent,
  listedTemplateSchema,
  newQuestionnaireResultSchema,
  newQuestionnaireSchema,
  publishedSchema,
  questionnaireEditSchema,
  questionnaireListSchema,
  questionnaireWithVersionsSchema,
  saveTemplateSchema,
  templateSchema,
  versionSchema,
  type BuildInput,
} from './schemas.js';
import { findTemplate } from './templateLibrary.js';

type Version = typeof questionnaireVersions.$inferSelect;
type Built = { definition: Record<string, unknown>; scoring: unknown[]; warnings: string[]; templateIds?: string[] };

export function invalidDefinition(found: DefinitionReview['problems']) {
  return problems.unprocessable(
    `The questionnaire definition has ${found.length} problem${found.length === 1 ? '' : 's'}: ${found.map((f) => f.message).join(' ')}`,
    found.map(({ message, message_ja }) => ({ field: 'definition', message, message_ja })),
    {
      title: 'Invalid questionnaire definition',
      title_ja: 'アンケートの定義に誤りがあります',
      detail_ja: `受け付けられない箇所が ${found.length} か所あります: ${found.map((f) => f.message_ja).join(' ')}`,
    },
  );
}

function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: string; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.code === '23505') return true;
  }
  return false;
}

export function questionnaireRoutes(database: Database) {
  const { db } = database;
  const app = apiRouter<StaffEnv>();
  const templateParams = z.object({ id: z.string().describe('Built-in template id, or an organisation template UUID') });
  const questionnaireParams = idParam('Questionnaire');
  const editQuestionnaire = [requireRole('editor'), lookupFirst<StaffEnv>((c, id) => loadQuestionnaire(c.get('staff'), id))];

  /** Builds a definition from the input; with `base`, JSON keeps the base's scoring that still fits. */
  async function build(staff: Staff, input: BuildInput, title: string, base?: Version): Promise<Built> {
    let built: Built;
    if (input.definition) {
      const kept = base ? scoringFor(input.definition, base.scoring) : { scoring: [], dropped: [] };
      built = {
        definition: input.definition,
        scoring: kept.scoring,
        warnings: kept.dropped.map((id) => `Scoring of "${id}" was removed: not all of its questions are in the new definition.`),
      };
    } else if (hasContent(input)) {
      const templateIds = input.templateIds ?? (input.templateId ? [input.templateId] : []);
      const { blocks, unknown } = await resolveBlocks(database, staff, templateIds);
      if (unknown.length) {
        throw problems.unprocessable(
          `Unknown template${unknown.length > 1 ? 's' : ''}: ${unknown.map((id) => `"${id}"`).join(', ')}.`,
          unknown.map((id) => ({ field: 'templateIds', message: `Unknown template "${id}".` })),
          { title: 'Unknown template', title_ja: 'テンプレートが見つかりません' },
        );
      }
      built = { ...composeQuestionnaire({ ...input, title, templateIds, blocks }), warnings: [], templateIds };
    } else if (base) {
      built = { definition: structuredClone(base.definition), scoring: structuredClone(base.scoring), warnings: [] };
    } else {
      throw problems.badRequest('Give templateId, templateIds, own questions or a definition.');
    }
    built.definition = sanitiseDefinition(built.definition);
    const review = reviewDefinition(built.definition);
    if (review.problems.length > 0) throw invalidDefinition(review.problems);
    built.warnings.push(...review.warnings, ...wordingNotes(built.definition, built.scoring));
    return built;
  }

  async function loadQuestionnaire(staff: Staff, id: string) {
    const [questionnaire] = await db.select().from(questionnaires).where(owned(questionnaires, staff, uuidParam(id, 'Questionnaire')));
    if (!questionnaire) throw problems.notFound('Questionnaire');
    return questionnaire;
  }

  async function versionsOf(questionnaireId: string) {
    return db.select().from(questionnaireVersions).where(eq(questionnaireVersions.questionnaireId, questionnaireId)).orderBy(questionnaireVersions.version);
  }

  const templates = apiRoute({
    method: 'get',
    path: '/templates',
    summary: 'Built-in and organisation templates',
    responses: { 200: jsonResponse(z.object({ templates: z.array(listedTemplateSchema) }), 'The templates') },
  });
  app.openapi(templates, async (c) => c.json({ templates: await allTemplates(database, c.get('staff')) }));

  const oneTemplate = apiRoute({
    method: 'get',
    path: '/templates/{id}',
    summary: 'One template: SurveyJS JSON and scoring metadata',
    request: { params: templateParams },
    responses: { 200: jsonResponse(templateSchema, 'The template'), ...failures(404) },
  });
  app.openapi(oneTemplate, async (c) => {
    const id = c.req.param('id');
    const builtin = findTemplate(id);
    if (builtin) return c.json({ ...builtin, source: 'builtin' });
    const own = await findOrganisationTemplate(database, c.get('staff'), id);
    if (!own) throw problems.notFound(`Template "${id}"`);
    return c.json({ meta: describeOrganisationTemplate(own), survey: own.definition, scoring: own.scoring, source: 'organisation', sourceVersionId: own.sourceVersionId });
  });

  /** Saves a questionnaire version as a template for the organisation's staff. */
  const saveTemplate = apiRoute({
    method: 'post',
    path: '/templates',
    summary: 'Save a questionnaire version as an organisation template',
    middleware: requireRole('editor'),
    request: { body: jsonBody(saveTemplateSchema) },
    responses: { 201: jsonResponse(listedTemplateSchema, 'The saved template'), ...failures(400, 403, 404, 415, 422) },
  });
  app.openapi(saveTemplate, async (c) => {
    const staff = c.get('staff');
    const input = c.req.valid('json');
    const questionnaire = await loadQuestionnaire(staff, input.questionnaireId);
    const versions = await versionsOf(questionnaire.id);
    const version =
      input.version !== undefined
        ? versions.find((v) => v.version === input.version)
        : [...versions].reverse().find((v) => v.status === 'published') ?? versions.at(-1);
    if (!version) throw problems.unprocessable('That version does not exist.', [{ field: 'version', message: 'not found' }]);
    const [row] = await db
      .insert(organisationTemplates)
      .values({
        organisationId: staff.organisationId,
        title: input.title ?? questionnaire.title,
        summary: input.summary ?? '',
        kind: input.kind ?? 'programme',
        definition: version.definition,
        scoring: version.scoring,
        sourceVersionId: version.id,
        createdBy: staff.userId,
      })
      .returning();
    await audit(db, staff, 'template.saved', row.id, { title: row.title, sourceVersionId: version.id });
    return c.json(describeOrganisationTemplate(row), 201);
  });

  const deleteTemplate = apiRoute({
    method: 'delete',
    path: '/templates/{id}',
    summary: 'Delete an organisation template (built-in templates cannot be deleted)',
    middleware: requireRole('editor'),
    request: { params: templateParams },
    responses: { 204: noContent, ...failures(403, 404) },
  });
  app.openapi(deleteTemplate, async (c) => {
    const id = c.req.param('id');
    if (findTemplate(id)) throw problems.forbidden('Built-in templates cannot be deleted.');
    const own = await findOrganisationTemplate(database, c.get('staff'), id);
    if (!own) throw problems.notFound(`Template "${id}"`);
    await db.delete(organisationTemplates).where(owned(organisationTemplates, c.get('staff'), own.id));
    await audit(db, c.get('staff'), 'template.deleted', own.id, { title: own.title });
    return c.body(null, 204);
  });

  /** Checks a SurveyJS definition without saving it (the advanced editor's "check" button). */
  const checkDefinition = apiRoute({
    method: 'post',
    path: '/definitions/validate',
    summary: 'Check a SurveyJS definition with survey-core without saving it',
    middleware: requireRole('editor'),
    request: { body: jsonBody(definitionCheckSchema) },
    responses: { 200: jsonResponse(definitionReviewSchema, 'What survey-core and the answer check make of it'), ...failures(400, 403, 415) },
  });
  app.openapi(checkDefinition, async (c) => {
    const input = c.req.valid('json');
    const review = reviewDefinition(input.definition);
    return c.json({
      valid: review.problems.length === 0,
      problems: review.problems.map((p) => p.message),
      problems_ja: review.problems.map((p) => p.message_ja),
      warnings: review.warnings,
    });
  });

  const newQuestionnaire = apiRoute({
    method: 'post',
    path: '/questionnaires',
    summary: 'Create a questionnaire from templates (composed in order), own questions, or SurveyJS JSON; version 1 is a draft',
    middleware: requireRole('editor'),
    request: { body: jsonBody(newQuestionnaireSchema) },
    responses: { 201: jsonResponse(newQuestionnaireResultSchema, 'The questionnaire'), ...failures(400, 403, 415, 422) },
  });
  app.openapi(newQuestionnaire, async (c) => {
    const staff = c.get('staff');
    const input = c.req.valid('json');
    const built = await build(staff, input, input.title);
    const result = await db.transaction(async (tx) => {
      const [questionnaire] = await tx
        .insert(questionnaires)
        .values({ organisationId: staff.organisationId, title: input.name ?? input.title, templateIds: built.templateIds ?? [] })
        .returning();
      const [version] = await tx
        .insert(questionnaireVersions)
        .values({
          organisationId: staff.organisationId,
          questionnaireId: questionnaire.id,
          version: 1,
          definition: built.definition,
          scoring: built.scoring,
        })
        .returning();
      await audit(tx, staff, 'questionnaire.created', questionnaire.id, { title: input.title, name: questionnaire.title, versionId: version.id });
      return { questionnaire, version };
    });
    return c.json({ ...result.questionnaire, versions: [summary(result.version)] }, 201);
  });

  const questionnaireList = apiRoute({
    method: 'get',
    path: '/questionnaires',
    summary: "The organisation's questionnaires, newest first",
    responses: { 200: jsonResponse(questionnaireListSchema, 'The questionnaires') },
  });
  app.openapi(questionnaireList, async (c) => {
    const rows = await db.select().from(questionnaires).where(owned(questionnaires, c.get('staff'))).orderBy(desc(questionnaires.createdAt));
    return c.json({ questionnaires: rows });
  });

  const oneQuestionnaire = apiRoute({
    method: 'get',
    path: '/questionnaires/{id}',
    summary: 'One questionnaire with all its versions',
    request: { params: questionnaireParams },
    responses: { 200: jsonResponse(questionnaireWithVersionsSchema, 'The questionnaire'), ...failures(404) },
  });
  app.openapi(oneQuestionnaire, async (c) => {
    const questionnaire = await loadQuestionnaire(c.get('staff'), c.req.param('id'));
    return c.json({ ...questionnaire, versions: await versionsOf(questionnaire.id) });
  });

  /** One version by number (1, 2, …) or id, with its definition and scoring metadata. */
  const oneVersion = apiRoute({
    method: 'get',
    path: '/questionnaires/{id}/versions/{version}',
    summary: 'One version by number or id, with its definition and scoring metadata',
    request: { params: questionnaireParams.extend({ version: z.string().describe('Version number (1, 2, …) or version id') }) },
    responses: { 200: jsonResponse(versionSchema, 'The version'), ...failures(404) },
  });
  app.openapi(oneVersion, async (c) => {
    const questionnaire = await loadQuestionnaire(c.get('staff'), c.req.param('id'));
    const wanted = c.req.param('version');
    const version = (await versionsOf(questionnaire.id)).find((v) => v.id === wanted || String(v.version) === wanted);
    if (!version) throw problems.notFound('Version');
    return c.json(version);
  });

  /**
   * Starts a new draft version: from a new definition, from templates and own questions, or (empty
   * body) as a copy of the latest version. Published versions never change; 409 if a draft exists.
   */
  const newVersion = apiRoute({
    method: 'post',
    path: '/questionnaires/{id}/versions',
    summary: 'Start a new draft version: from a definition, from templates/own questions, or (no body) a copy of the latest',
    middleware: editQuestionnaire,
    request: { params: questionnaireParams, body: jsonBody(questionnaireEditSchema, false) },
    responses: { 201: jsonResponse(editedVersionSchema, 'The new draft'), ...failures(400, 403, 404, 409, 415, 422) },
  });
  app.openapi(newVersion, async (c) => {
    const staff = c.get('staff');
    const questionnaire = await loadQuestionnaire(staff, c.req.param('id'));
    const input: BuildInput = c.req.valid('json');
    const versions = await versionsOf(questionnaire.id);
    const draft = versions.find((v) => v.status === 'draft');
    if (draft) throw problems.conflict(`Version ${draft.version} is still a draft: change it with PUT /api/questionnaires/${questionnaire.id}/draft, or publish it first.`);
    const latest = versions.at(-1);
    const built = await build(staff, input, input.title ?? questionnaire.title, latest);
    let version: Version;
    try {
      version = await db.transaction(async (tx) => {
        if (input.title && input.title !== questionnaire.title) await tx.update(questionnaires).set({ title: input.title }).where(eq(questionnaires.id, questionnaire.id));
        const [row] = await tx
          .insert(questionnaireVersions)
          .values({
            organisationId: staff.organisationId,
            questionnaireId: questionnaire.id,
            version: (latest?.version ?? 0) + 1,
            definition: built.definition,
            scoring: built.scoring,
          })
          .returning();
        return row;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw problems.conflict('Another draft version was made at the same time; reload and try again.');
      throw error;
    }
    await audit(db, staff, 'questionnaire.version_started', questionnaire.id, { versionId: version.id, version: version.version });
    return c.json({ ...version, warnings: built.warnings }, 201);
  });

  /** Replaces the draft's definition (advanced JSON editor, or recomposed). Published versions are immutable. */
  const replaceDraft = apiRoute({
    method: 'put',
    path: '/questionnaires/{id}/draft',
    summary: 'Replace the draft version (definition or compose input)',
    description: '409 when only published versions exist; 422 with survey-core problems.',
    middleware: editQuestionnaire,
    request: { params: questionnaireParams, body: jsonBody(questionnaireEditSchema) },
    responses: { 200: jsonResponse(editedVersionSchema, 'The draft'), ...failures(400, 403, 404, 409, 415, 422) },
  });
  app.openapi(replaceDraft, async (c) => {
    const staff = c.get('staff');
    const questionnaire = await loadQuestionnaire(staff, c.req.param('id'));
    const input = c.req.valid('json');
    if (!hasContent(input)) throw problems.badRequest('Give a definition, or templateIds and own questions, for the draft.');
    const versions = await versionsOf(questionnaire.id);
    const draft = versions.find((v) => v.status === 'draft');
    if (!draft) {
      const latest = versions.at(-1);
      throw problems.conflict(
        `Version ${latest?.version ?? '?'} is published and cannot be changed. Start a new draft with POST /api/questionnaires/${questionnaire.id}/versions.`,
        { title_ja: '公開済みの版は変更できません', detail_ja: '新しい版（下書き）を作ってから編集してください。' },
      );
    }
    const built = await build(staff, input, input.title ?? questionnaire.title, draft);
    const [updated] = await db.transaction(async (tx) => {
      if (input.title && input.title !== questionnaire.title) await tx.update(questionnaires).set({ title: input.title }).where(eq(questionnaires.id, questionnaire.id));
      return tx
        .update(questionnaireVersions)
        .set({ definition: built.definition, scoring: built.scoring })
        .where(and(eq(questionnaireVersions.id, draft.id), eq(questionnaireVersions.status, 'draft')))
        .returning();
    });
    if (!updated) throw problems.conflict('The draft was published meanwhile; published versions cannot be changed.');
    await audit(db, staff, 'questionnaire.draft_saved', questionnaire.id, { versionId: updated.id, version: updated.version, title: input.title });
    return c.json({ ...updated, warnings: built.warnings });
  });

  /** Publishing freezes the latest draft; answers always point at the version they answered. */
  const publish = apiRoute({
    method: 'post',
    path: '/questionnaires/{id}/publish',
    summary: 'Publish the draft as an immutable version',
    description: '422 while licensed items still hold the template placeholder, or the definition has problems.',
    middleware: requireRole('editor'),
    request: { params: questionnaireParams },
    responses: { 200: jsonResponse(publishedSchema, 'The published version'), ...failures(403, 404, 409, 422) },
  });
  app.openapi(publish, async (c) => {
    const questionnaire = await loadQuestionnaire(c.get('staff'), c.req.param('id'));
    // Drafts saved before today's rules are held to them too: nothing is published that the answer check cannot judge.
    const [pending] = await db
      .select({ definition: questionnaireVersions.definition, scoring: questionnaireVersions.scoring })
      .from(questionnaireVersions)
      .where(and(eq(questionnaireVersions.questionnaireId, questionnaire.id), eq(questionnaireVersions.status, 'draft')));
    const review = pending ? reviewDefinition(pending.definition) : undefined;
    if (review?.problems.length) throw invalidDefinition(review.problems);
    const unfilled = pending ? placeholderQuestions(pending.definition) : [];
    if (unfilled.length) {
      throw problems.unprocessable(
        `${unfilled.length} question(s) still hold the template's placeholder instead of the licensed wording: ${unfilled.join(', ')}. Enter the wording you are licensed to use for each item (「質問を編集」 shows a field for it), then publish.`,
        unfilled.map((name) => {
          const label = questionLabel(pending!.definition, name);
          return { field: name, label: label ? `${label}（${name}）` : name, message: 'enter the licensed wording', message_ja: '使用許諾を得た文言を入力してください' };
        }).concat({
          field: 'definition',
          label: '',
          message: 'How: open 「質問を編集する」; each of these items has a field for the licensed wording. Save, then publish.',
          message_ja: '入力のしかた：「質問を編集する」を開くと、これらの項目ごとに「使用許諾を得た質問文」の欄があります。文言を入力して保存してから、公開してください。',
        }),
        {
          title: 'Wording still to be entered',
          title_ja: '項目の文言がまだ入力されていません',
          detail_ja: `${unfilled.length} 問の質問文が、テンプレートの仮の文言のままです（${unfilled.join('、')}）。「質問を編集」を開くと、その項目ごとに「使用許諾を得た質問文」の欄があります。許諾を得た文言を入力して保存してから公開してください。参加者に仮の文言は表示されません。`,
        },
      );
    }
    const [draft] = await db
      .update(questionnaireVersions)
      .set({ status: 'published', publishedAt: new Date(), ...(pending ? { definition: sanitiseDefinition(pending.definition) } : {}) })
      .where(and(eq(questionnaireVersions.questionnaireId, questionnaire.id), eq(questionnaireVersions.status, 'draft')))
      .returning();
    if (!draft) throw problems.conflict('There is no draft version to publish.');
    await audit(db, c.get('staff'), 'questionnaire.published', questionnaire.id, { versionId: draft.id, version: draft.version });
    const english = pending ? englishWarning(pending.definition) : undefined;
    return c.json({ ...summary(draft), warnings: [...(review?.warnings ?? []), ...(pending ? wordingNotes(pending.definition, pending.scoring) : []), ...(english ? [english] : [])] });
  });

  return app;
}

/** The wording check's warnings as the routes' warning lines: Japanese, then English. */
function wordingNotes(definition: Record<string, unknown>, scoring: unknown[]): string[] {
  return wordingWarnings(definition, scoring).map((w) => `文言の注意（公開はできます） ${w.message_ja} / ${w.message}`);
}

function summary(v: Version) {
  return { id: v.id, version: v.version, status: v.status, publishedAt: v.publishedAt };
}
