import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { changeByParticipation, parseBands } from '../../analysis/changeByParticipation.js';
import { z } from 'zod';
import { participationIndicators } from '../../analysis/participationIndicators.js';
import { audit } from '../accounts/audit.js';
import { owned } from '../auth/scope.js';
import { requireRole, type StaffEnv } from '../auth/staff.js';
import type { Database } from '../db/database.js';
import { activities, activitySessions, activityTargets, attendances, studies } from '../db/schema.js';
import { apiRoute, apiRouter, failures, idParam, jsonBody, jsonResponse, lookupFirst, noContent } from '../http/openapi.js';
import { Problem, problems } from '../http/problem.js';
import { resultResponse } from '../results/schemas.js';
import { sharedK } from '../results/crosstabTable.js';
import { studyLinkedScores } from '../results/prepost.js';
import { sheetDownload } from '../results/sheetDownload.js';
import { activityRecords, activityTargetRows, attendanceKeys, attendedSessions, loadOwnedActivity, loadOwnedSession, periodOf, presentAt } from './records.js';
import {
  activitySchema,
  attendanceResultSchema,
  attendanceSchema,
  importResultSchema,
  indicatorsResultSchema,
  newActivitySchema,
  newSessionSchema,
  outcomesQuery,
  periodQuery,
  sessionSchema,
  targetsSchema,
} from './schemas.js';
import { importSignInSheet, readSignInSheet } from './signInSheets.js';
import { indicatorSheets, outcomeSheet, targetResults } from './sheets.js';

/** Activities (事業), their sessions, attendance and targets; the indicators computed from them. */
export function participationRoutes(database: Database, hashKey: string) {
  const { db } = database;
  const app = apiRouter<StaffEnv>();
  const activityParams = idParam('Activity');
  const sessionParams = idParam('Session');
  const editActivity = [requireRole('editor'), lookupFirst<StaffEnv>((c, id) => loadOwnedActivity(database, c.get('staff'), id))];
  const editSession = [requireRole('editor'), lookupFirst<StaffEnv>((c, id) => loadOwnedSession(database, c.get('staff'), id))];

  const create = apiRoute({
    method: 'post',
    path: '/activities',
    summary: 'Create an activity (事業: a salon, a course, a 居場所), optionally linked to a pre/post study',
    middleware: requireRole('editor'),
    request: { body: jsonBody(newActivitySchema) },
    responses: { 201: jsonResponse(activitySchema, 'The activity'), ...failures(400, 403, 415, 422) },
  });
  app.openapi(create, async (c) => {
    const staff = c.get('staff');
    const input = c.req.valid('json');
    if (input.studyId) {
      const [study] = await db.select({ id: studies.id }).from(studies).where(owned(studies, staff, input.studyId));
      if (!study) throw problems.unprocessable('Unknown study.', [{ field: 'studyId', message: 'not found', message_ja: '調査（スタディ）が見つかりません' }]);
    }
    const [activity] = await db.insert(activities).values({ organisationId: staff.organisationId, name: input.name, studyId: input.studyId ?? null }).returning();
    await audit(db, staff, 'activity.created', activity.id, { name: activity.name, studyId: activity.studyId });
    return c.json(activity, 201);
  });

  const list = apiRoute({
    method: 'get',
    path: '/activities',
    summary: "The organisation's activities",
    responses: { 200: jsonResponse(z.object({ activities: z.array(activitySchema) }), 'The activities') },
  });
  app.openapi(list, async (c) => c.json({ activities: await db.select().from(activities).where(owned(activities, c.get('staff'))).orderBy(asc(activities.createdAt)) }));

  const sessions = apiRoute({
    method: 'get',
    path: '/activities/{id}/sessions',
    summary: "An activity's sessions, oldest first, with the codes recorded at each",
    request: { params: activityParams },
    responses: { 200: jsonResponse(z.object({ sessions: z.array(sessionSchema) }), 'The sessions'), ...failures(404) },
  });
  app.openapi(sessions, async (c) => {
    const activity = await loadOwnedActivity(database, c.get('staff'), c.req.param('id'));
    return c.json({ sessions: await sessionList(activity.id) });
  });

  const addSession = apiRoute({
    method: 'post',
    path: '/activities/{id}/sessions',
    summary: 'Record a session (date, site, theme); a headcount (and breakdown) when only counts are taken',
    middleware: editActivity,
    request: { params: activityParams, body: jsonBody(newSessionSchema) },
    responses: { 201: jsonResponse(sessionSchema, 'The session'), ...failures(400, 403, 404, 415) },
  });
  app.openapi(addSession, async (c) => {
    const staff = c.get('staff');
    const activity = await loadOwnedActivity(database, staff, c.req.param('id'));
    const input = c.req.valid('json');
    const [session] = await db
      .insert(activitySessions)
      .values({ organisationId: staff.organisationId, activityId: activity.id, heldOn: input.heldOn, site: input.site || null, theme: input.theme || null, headcount: input.headcount ?? null, breakdown: input.breakdown ?? null })
      .returning();
    await audit(db, staff, 'session.recorded', session.id, { activityId: activity.id, ...input });
    return c.json({ ...session, present: 0 }, 201);
  });

  const removeSession = apiRoute({
    method: 'delete',
    path: '/sessions/{id}',
    summary: 'Delete a session and its attendance (audited)',
    middleware: editSession,
    request: { params: sessionParams },
    responses: { 204: noContent, ...failures(403, 404) },
  });
  app.openapi(removeSession, async (c) => {
    const staff = c.get('staff');
    const { session } = await loadOwnedSession(database, staff, c.req.param('id'));
    const present = await presentAt(database, session.id);
    await db.transaction(async (tx) => {
      await tx.delete(activitySessions).where(eq(activitySessions.id, session.id));
      await audit(tx, staff, 'session.deleted', session.id, { activityId: session.activityId, heldOn: session.heldOn, site: session.site, theme: session.theme, headcount: session.headcount, present });
    });
    return c.body(null, 204);
  });

  const attend = apiRoute({
    method: 'post',
    path: '/sessions/{id}/attendance',
    summary: 'Record participant codes present at a session (idempotent: a code already recorded is not counted twice)',
    middleware: editSession,
    request: { params: sessionParams, body: jsonBody(attendanceSchema) },
    responses: { 200: jsonResponse(attendanceResultSchema, 'What was added'), ...failures(400, 403, 404, 415) },
  });
  app.openapi(attend, async (c) => {
    const staff = c.get('staff');
    const { session, activity } = await loadOwnedSession(database, staff, c.req.param('id'));
    const keys = attendanceKeys(hashKey, activity, c.req.valid('json').codes);
    const added = await db.transaction(async (tx) => {
      const rows = await tx
        .insert(attendances)
        .values(keys.map((participantKeyHash) => ({ sessionId: session.id, organisationId: staff.organisationId, participantKeyHash })))
        .onConflictDoNothing()
        .returning({ sessionId: attendances.sessionId });
      await audit(tx, staff, 'attendance.recorded', session.id, { activityId: activity.id, added: rows.length, given: keys.length });
      return rows.length;
    });
    const present = await presentAt(database, session.id);
    return c.json({ added, alreadyRecorded: keys.length - added, present });
  });

  const presentCount = apiRoute({
    method: 'get',
    path: '/sessions/{id}/attendance',
    summary: 'How many participant codes are recorded at a session (from every device)',
    request: { params: sessionParams },
    responses: { 200: jsonResponse(z.object({ present: z.number().int() }), 'The count'), ...failures(404) },
  });
  app.openapi(presentCount, async (c) => {
    const { session } = await loadOwnedSession(database, c.get('staff'), c.req.param('id'));
    const present = await presentAt(database, session.id);
    return c.json({ present });
  });

  const unattend = apiRoute({
    method: 'delete',
    path: '/sessions/{id}/attendance',
    summary: 'Take back participant codes marked present by mistake (audited)',
    middleware: editSession,
    request: { params: sessionParams, body: jsonBody(attendanceSchema) },
    responses: { 200: jsonResponse(attendanceResultSchema.omit({ added: true, alreadyRecorded: true }).extend({ removed: z.number().int() }), 'What was taken back'), ...failures(400, 403, 404, 415) },
  });
  app.openapi(unattend, async (c) => {
    const staff = c.get('staff');
    const { session, activity } = await loadOwnedSession(database, staff, c.req.param('id'));
    const keys = attendanceKeys(hashKey, activity, c.req.valid('json').codes);
    const removed = await db.transaction(async (tx) => {
      const rows = await tx
        .delete(attendances)
        .where(and(eq(attendances.sessionId, session.id), inArray(attendances.participantKeyHash, keys)))
        .returning({ sessionId: attendances.sessionId });
      await audit(tx, staff, 'attendance.removed', session.id, { activityId: activity.id, removed: rows.length, given: keys.length });
      return rows.length;
    });
    const present = await presentAt(database, session.id);
    return c.json({ removed, present });
  });

  const importSheet = apiRoute({
    method: 'post',
    path: '/activities/{id}/attendance',
    summary: 'Import a typed sign-in sheet (CSV: 日付, 会場, テーマ, and 参加者コード per person or 人数 per session, optional 新規/リピーター)',
    middleware: editActivity,
    request: { params: activityParams, body: { required: true, content: { 'text/csv': { schema: { type: 'string', description: '日付,会場,テーマ,参加者コード or 人数' } } } } },
    responses: { 201: jsonResponse(importResultSchema, 'Sessions touched and attendances added'), ...failures(400, 403, 404, 415) },
  });
  app.openapi(importSheet, async (c) => {
    const staff = c.get('staff');
    const activity = await loadOwnedActivity(database, staff, c.req.param('id'));
    if (!(c.req.header('content-type') ?? '').includes('text/csv')) {
      throw new Problem({ title: 'Unsupported media type', status: 415, detail: 'Send the sheet as text/csv.', title_ja: 'CSV で送ってください', detail_ja: '出席簿は CSV（text/csv）で送ってください。' });
    }
    const rows = readSignInSheet(await c.req.text());
    const result = await importSignInSheet(database, hashKey, activity, rows);
    await audit(db, staff, 'attendance.imported', activity.id, { rows: rows.length, ...result });
    return c.json(result, 201);
  });

  const setTargets = apiRoute({
    method: 'put',
    path: '/activities/{id}/targets',
    summary: "Set the activity's targets (目標) per indicator and period, replacing the previous ones (audited)",
    middleware: editActivity,
    request: { params: activityParams, body: jsonBody(targetsSchema) },
    responses: { 200: jsonResponse(targetsSchema, 'The targets'), ...failures(400, 403, 404, 415) },
  });
  app.openapi(setTargets, async (c) => {
    const staff = c.get('staff');
    const activity = await loadOwnedActivity(database, staff, c.req.param('id'));
    const { targets } = c.req.valid('json');
    const seen = new Set(targets.map((t) => `${t.indicator}|${t.from}|${t.to}`));
    if (seen.size !== targets.length) throw problems.badRequest('A target repeats (same indicator and period).', { title_ja: '目標が重複しています', detail_ja: '同じ指標・同じ期間の目標が2つあります。' });
    await db.transaction(async (tx) => {
      const before = await tx.select().from(activityTargets).where(eq(activityTargets.activityId, activity.id));
      await tx.delete(activityTargets).where(eq(activityTargets.activityId, activity.id));
      if (targets.length) {
        await tx.insert(activityTargets).values(targets.map((t) => ({ organisationId: staff.organisationId, activityId: activity.id, indicator: t.indicator, target: t.target, periodFrom: t.from, periodTo: t.to })));
      }
      await audit(tx, staff, 'activity.targets_set', activity.id, { before: before.map((t) => ({ indicator: t.indicator, target: t.target, from: t.periodFrom, to: t.periodTo })), after: targets });
    });
    return c.json({ targets });
  });

  const indicators = apiRoute({
    method: 'get',
    path: '/activities/{id}/indicators',
    summary: 'Participation indicators for a period (開催回数, 延べ, 実人数, 新規, リピーター, 1回平均, 全回出席, 継続率, per month, site and theme) and targets against results',
    request: { params: activityParams, query: periodQuery },
    responses: { 200: resultResponse(indicatorsResultSchema, 'The indicators', ['csv', 'xlsx']), ...failures(400, 404) },
  });
  app.openapi(indicators, async (c) => {
    const staff = c.get('staff');
    const activity = await loadOwnedActivity(database, staff, c.req.param('id'));
    const query = c.req.valid('query');
    const records = await activityRecords(database, activity);
    const period = periodOf(records.sessions, query.from, query.to);
    if (period.from > period.to) throw problems.badRequest('"from" is after "to".', { title_ja: '期間が正しくありません', detail_ja: '期間の始まりが終わりより後になっています。' });
    const result = participationIndicators({ ...records, period });
    const targets = targetResults(records, await activityTargetRows(database, activity));
    if (query.format === 'json') return c.json({ activity, indicators: result, targets });
    return sheetDownload(c, database, staff, query.format, {
      sheets: () => indicatorSheets(activity.name, result, targets),
      name: `participation-${activity.name}`,
      about: [`${activity.name}：参加の記録（${period.from}〜${period.to}）`, '参加者コードは保存せず、鍵付きハッシュで数えています。'],
    });
  });

  const outcomes = apiRoute({
    method: 'get',
    path: '/activities/{id}/outcomes',
    summary: "Pre/post change of the linked study's scale by sessions attended (bands chosen by the evaluator): each band's n, mean change and 95% CI; an association, not an effect",
    request: { params: activityParams, query: outcomesQuery },
    responses: { 200: resultResponse(z.looseObject({ rows: z.array(z.looseObject({})) }), 'Change by band', ['csv', 'xlsx']), ...failures(400, 404, 422) },
  });
  app.openapi(outcomes, async (c) => {
    const staff = c.get('staff');
    const activity = await loadOwnedActivity(database, staff, c.req.param('id'));
    if (!activity.studyId) {
      throw problems.unprocessable('This activity is not linked to a study: attendance cannot be joined to pre/post answers.', [{ field: 'studyId', message: 'not linked', message_ja: 'この事業は調査とつながっていません' }], {
        title_ja: '調査とつながっていません',
        detail_ja: 'この事業は事前・事後の調査とつながっていないため、参加回数別の変化は出せません。事業を作るときに調査を選んでください。',
      });
    }
    const query = c.req.valid('query');
    let bands;
    try {
      bands = parseBands(query.bands);
    } catch (error) {
      throw problems.badRequest(`bands: ${(error as Error).message}`, { title_ja: '参加回数の区分が正しくありません', detail_ja: '「1-2,3-5,6-」のように、重ならない区分を小さい順に書いてください。' });
    }
    const linked = await studyLinkedScores(database, staff, activity.studyId, { score: query.score, pre: query.pre, post: query.post });
    const counts = await attendedSessions(database, activity.id, query.from, query.to);
    const result = changeByParticipation(linked.pairs, counts, bands, await sharedK(database, staff, undefined));
    const period = `${query.from ?? '最初の回'}〜${query.to ?? '最後の回'}`;
    const scale = linked.scaleLabel.ja;
    if (query.format === 'json') return c.json({ activity, study: linked.study, preWave: linked.preWave, postWave: linked.postWave, scaleLabel: linked.scaleLabel, scaleDirection: linked.scaleDirection, ...result });
    return sheetDownload(c, database, staff, query.format, {
      sheets: () => [outcomeSheet(activity.name, scale, period, result, linked.scaleDirection.text?.ja ?? null)],
      name: `participation-outcomes-${activity.name}`,
      about: [`${activity.name}：参加回数別の変化（${scale}）`, result.note],
    });
  });

  async function sessionList(activityId: string) {
    return db
      .select({
        id: activitySessions.id,
        activityId: activitySessions.activityId,
        heldOn: activitySessions.heldOn,
        site: activitySessions.site,
        theme: activitySessions.theme,
        headcount: activitySessions.headcount,
        breakdown: activitySessions.breakdown,
        present: sql<number>`(select count(*)::int from ${attendances} where ${attendances.sessionId} = ${activitySessions.id})`,
      })
      .from(activitySessions)
      .where(eq(activitySessions.activityId, activityId))
      .orderBy(asc(activitySessions.heldOn), asc(activitySessions.createdAt));
  }

  return app;
}
