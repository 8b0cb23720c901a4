import { and, desc, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { owned } from '../auth/scope.js';
import { requireRole, type StaffEnv } from '../auth/staff.js';
import type { Database } from '../db/database.js';
import { questionnaires, questionnaireVersions } from '../db/schema.js';
import { readJson } from '../http/json.js';
import { uuidParam } from '../http/params.js';
import { problems } from '../http/problem.js';
import { definitionProblems } from './answerValidator.js';
import { composeQuestionnaire } from './compose.js';
import { listTemplates, getTemplate } from './templateLibrary.js';

const createSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    introduction: z.string().max(5000).optional(),
    organisationName: z.string().max(200).optional(),
    templateId: z.string().max(100).optional(),
    templateIds: z.array(z.string().max(100)).max(20).optional(),
    ownQuestions: z.array(z.record(z.string(), z.unknown())).max(200).optional(),
    /** Advanced: a complete SurveyJS JSON definition instead of templates. */
    definition: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((v) => v.definition || v.templateId || v.templateIds?.length, {
    message: 'Give templateId, templateIds or a definition.',
  });

export function questionnaireRoutes(database: Database) {
  const { db } = database;
  const app = new Hono<StaffEnv>();

  app.get('/templates', (c) => c.json({ templates: listTemplates() }));

  app.get('/templates/:id', (c) => {
    try {
      return c.json(getTemplate(c.req.param('id')));
    } catch {
      throw problems.notFound(`Template "${c.req.param('id')}"`);
    }
  });

  app.post('/questionnaires', requireRole('editor'), async (c) => {
    const staff = c.get('staff');
    const input = await readJson(c, createSchema);
    const templateIds = input.templateIds ?? (input.templateId ? [input.templateId] : []);
    for (const id of templateIds) {
      try {
        getTemplate(id);
      } catch {
        throw problems.unprocessable(`Unknown template "${id}".`, [{ field: 'templateIds', message: `Unknown template "${id}".` }]);
      }
    }
    const built = input.definition
      ? { definition: input.definition, scoring: [] as unknown[] }
      : composeQuestionnaire({ ...input, templateIds });
    const found = definitionProblems(built.definition);
    if (found.length > 0) {
      throw problems.unprocessable('The questionnaire definition is not valid SurveyJS JSON.', found.map((message) => ({ field: 'definition', message })));
    }
    const result = await db.transaction(async (tx) => {
      const [questionnaire] = await tx
        .insert(questionnaires)
        .values({ organisationId: staff.organisationId, title: input.title, templateIds })
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
      return { questionnaire, version };
    });
    return c.json({ ...result.questionnaire, versions: [summary(result.version)] }, 201);
  });

  app.get('/questionnaires', async (c) => {
    const rows = await db.select().from(questionnaires).where(owned(questionnaires, c.get('staff'))).orderBy(desc(questionnaires.createdAt));
    return c.json({ questionnaires: rows });
  });

  app.get('/questionnaires/:id', async (c) => {
    const staff = c.get('staff');
    const [questionnaire] = await db.select().from(questionnaires).where(owned(questionnaires, staff, uuidParam(c.req.param('id'))));
    if (!questionnaire) throw problems.notFound('Questionnaire');
    const versions = await db
      .select()
      .from(questionnaireVersions)
      .where(eq(questionnaireVersions.questionnaireId, questionnaire.id))
      .orderBy(questionnaireVersions.version);
    return c.json({ ...questionnaire, versions });
  });

  /** Publishing freezes the latest draft; answers always point at the version they answered. */
  app.post('/questionnaires/:id/publish', requireRole('editor'), async (c) => {
    const staff = c.get('staff');
    const id = uuidParam(c.req.param('id'));
    const [questionnaire] = await db.select().from(questionnaires).where(owned(questionnaires, staff, id));
    if (!questionnaire) throw problems.notFound('Questionnaire');
    const [draft] = await db
      .update(questionnaireVersions)
      .set({ status: 'published', publishedAt: new Date() })
      .where(and(eq(questionnaireVersions.questionnaireId, questionnaire.id), eq(questionnaireVersions.status, 'draft')))
      .returning();
    if (!draft) throw problems.conflict('There is no draft version to publish.');
    return c.json(summary(draft));
  });

  return app;
}

function summary(v: typeof questionnaireVersions.$inferSelect) {
  return { id: v.id, version: v.version, status: v.status, publishedAt: v.publishedAt };
}
