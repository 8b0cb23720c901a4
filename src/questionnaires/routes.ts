import { audit } from '../accounts/audit.js';
import { and, desc, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { owned } from '../auth/scope.js';
import { requireRole, type Staff, type StaffEnv } from '../auth/staff.js';
import type { Database } from '../db/database.js';
import { organisationTemplates, questionnaires, questionnaireVersions } from '../db/schema.js';
import { readJson } from '../http/json.js';
import { uuidParam } from '../http/params.js';
import { problems } from '../http/problem.js';
import { reviewDefinition, type DefinitionReview } from './answerValidator.js';
import { sanitiseDefinition } from './sanitiseHtml.js';
import { placeholderQuestions } from './placeholders.js';
import { composeQuestionnaire, scoringFor } from './compose.js';
import { allTemplates, describeOrganisationTemplate, findOrganisationTemplate, resolveBlocks } from './orgTemplates.js';
import { findTemplate } from './templateLibrary.js';

const simpleQuestionSchema = z
  .object({
    kind: z.enum(['single', 'multiple', 'text', 'number']),
    title: z.string().trim().min(1).max(1000),
    titleEn: z.string().trim().max(1000).optional(),
    choices: z.array(z.string().trim().min(1).max(300)).max(50).optional(),
    required: z.boolean().optional(),
  })
  .strict()
  .refine((q) => (q.kind !== 'single' && q.kind !== 'multiple') || (q.choices?.length ?? 0) >= 2, {
    message: 'Single and multiple choice questions need at least two choices.',
    path: ['choices'],
  });

/** What a questionnaire (or a new version of one) can be built from: templates and own questions, or JSON. */
const buildFields = {
  introduction: z.string().max(5000).optional(),
  organisationName: z.string().max(200).optional(),
  languages: z.array(z.enum(['ja', 'en'])).min(1).max(2).optional(),
  templateId: z.string().max(100).optional(),
  templateIds: z.array(z.string().max(100)).max(20).optional(),
  /** Raw SurveyJS elements, added on the questionnaire's own page. */
  ownQuestions: z.array(z.record(z.string(), z.unknown())).max(200).optional(),
  /** Questions written without JSON (single/multiple choice, free text, number). */
  simpleQuestions: z.array(simpleQuestionSchema).max(100).optional(),
  /** Advanced: a complete SurveyJS JSON definition instead of templates. */
  definition: z.record(z.string(), z.unknown()).optional(),
};
type BuildInput = z.infer<z.ZodObject<typeof buildFields>> & { title?: string };

const hasContent = (v: BuildInput) => Boolean(v.definition || v.templateId || v.templateIds?.length || v.ownQuestions?.length || v.simpleQuestions?.length);

const createSchema = z
  .object({ title: z.string().trim().min(1).max(200), ...buildFields })
  .strict()
  .refine(hasContent, { message: 'Give templateId, templateIds, own questions or a definition.' });

/** A new version or a replaced draft: all optional (a new version without content copies the latest). */
const editSchema = z.object({ title: z.string().trim().min(1).max(200).optional(), ...buildFields }).strict();

const saveTemplateSchema = z
  .object({
    questionnaireId: z.uuid(),
    /** Version number; default: the latest published version, else the draft. */
    version: z.number().int().positive().optional(),
    title: z.string().trim().min(1).max(200).optional(),
    summary: z.string().trim().max(2000).optional(),
    kind: z.enum(['instrument', 'programme', 'block']).optional(),
  })
  .strict();

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
  const app = new Hono<StaffEnv>();

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
    built.warnings.push(...review.warnings);
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

  app.get('/templates', async (c) => c.json({ templates: await allTemplates(database, c.get('staff')) }));

  app.get('/templates/:id', async (c) => {
    const id = c.req.param('id');
    const builtin = findTemplate(id);
    if (builtin) return c.json({ ...builtin, source: 'builtin' });
    const own = await findOrganisationTemplate(database, c.get('staff'), id);
    if (!own) throw problems.notFound(`Template "${id}"`);
    return c.json({ meta: describeOrganisationTemplate(own), survey: own.definition, scoring: own.scoring, source: 'organisation', sourceVersionId: own.sourceVersionId });
  });

  /** Saves a questionnaire version as a template for the organisation's staff. */
  app.post('/templates', requireRole('editor'), async (c) => {
    const staff = c.get('staff');
    const input = await readJson(c, saveTemplateSchema);
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

  app.delete('/templates/:id', requireRole('editor'), async (c) => {
    const id = c.req.param('id');
    if (findTemplate(id)) throw problems.forbidden('Built-in templates cannot be deleted.');
    const own = await findOrganisationTemplate(database, c.get('staff'), id);
    if (!own) throw problems.notFound(`Template "${id}"`);
    await db.delete(organisationTemplates).where(owned(organisationTemplates, c.get('staff'), own.id));
    await audit(db, c.get('staff'), 'template.deleted', own.id, { title: own.title });
    return c.body(null, 204);
  });

  /** Checks a SurveyJS definition without saving it (the advanced editor's "check" button). */
  app.post('/definitions/validate', requireRole('editor'), async (c) => {
    const input = await readJson(c, z.object({ definition: z.unknown() }).strict());
    const review = reviewDefinition(input.definition);
    return c.json({
      valid: review.problems.length === 0,
      problems: review.problems.map((p) => p.message),
      problems_ja: review.problems.map((p) => p.message_ja),
      warnings: review.warnings,
    });
  });

  app.post('/questionnaires', requireRole('editor'), async (c) => {
    const staff = c.get('staff');
    const input = await readJson(c, createSchema);
    const built = await build(staff, input, input.title);
    const result = await db.transaction(async (tx) => {
      const [questionnaire] = await tx
        .insert(questionnaires)
        .values({ organisationId: staff.organisationId, title: input.title, templateIds: built.templateIds ?? [] })
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
      await audit(tx, staff, 'questionnaire.created', questionnaire.id, { title: input.title, versionId: version.id });
      return { questionnaire, version };
    });
    return c.json({ ...result.questionnaire, versions: [summary(result.version)] }, 201);
  });

  app.get('/questionnaires', async (c) => {
    const rows = await db.select().from(questionnaires).where(owned(questionnaires, c.get('staff'))).orderBy(desc(questionnaires.createdAt));
    return c.json({ questionnaires: rows });
  });

  app.get('/questionnaires/:id', async (c) => {
    const questionnaire = await loadQuestionnaire(c.get('staff'), c.req.param('id'));
    return c.json({ ...questionnaire, versions: await versionsOf(questionnaire.id) });
  });

  /** One version by number (1, 2, …) or id, with its definition and scoring metadata. */
  app.get('/questionnaires/:id/versions/:version', async (c) => {
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
  app.post('/questionnaires/:id/versions', requireRole('editor'), async (c) => {
    const staff = c.get('staff');
    const questionnaire = await loadQuestionnaire(staff, c.req.param('id'));
    const input = c.req.header('content-type') ? await readJson(c, editSchema) : {};
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
  app.put('/questionnaires/:id/draft', requireRole('editor'), async (c) => {
    const staff = c.get('staff');
    const questionnaire = await loadQuestionnaire(staff, c.req.param('id'));
    const input = await readJson(c, editSchema);
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
  app.post('/questionnaires/:id/publish', requireRole('editor'), async (c) => {
    const questionnaire = await loadQuestionnaire(c.get('staff'), c.req.param('id'));
    // Drafts saved before today's rules are held to them too: nothing is published that the answer check cannot judge.
    const [pending] = await db
      .select({ definition: questionnaireVersions.definition })
      .from(questionnaireVersions)
      .where(and(eq(questionnaireVersions.questionnaireId, questionnaire.id), eq(questionnaireVersions.status, 'draft')));
    const review = pending ? reviewDefinition(pending.definition) : undefined;
    if (review?.problems.length) throw invalidDefinition(review.problems);
    const unfilled = pending ? placeholderQuestions(pending.definition) : [];
    if (unfilled.length) {
      throw problems.unprocessable(
        `${unfilled.length} question(s) still hold the template's placeholder instead of the licensed wording: ${unfilled.join(', ')}. Enter the wording you are licensed to use in each title (「JSON で編集」), then publish.`,
        unfilled.map((name) => ({ field: name, message: 'enter the licensed wording', message_ja: '使用許諾を得た文言を入力してください' })),
        {
          title: 'Wording still to be entered',
          title_ja: '項目の文言がまだ入力されていません',
          detail_ja: `${unfilled.length} 問の質問文が、テンプレートの仮の文言のままです（${unfilled.join('、')}）。使用許諾を得た文言を「JSON で編集」で各質問の title に入力してから公開してください。参加者に仮の文言は表示されません。`,
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
    return c.json({ ...summary(draft), warnings: review?.warnings ?? [] });
  });

  return app;
}

function summary(v: Version) {
  return { id: v.id, version: v.version, status: v.status, publishedAt: v.publishedAt };
}
