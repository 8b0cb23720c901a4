import { eq } from 'drizzle-orm';
import { audit } from '../accounts/audit.js';
import { requireRole, type Staff, type StaffEnv } from '../auth/staff.js';
import type { Database } from '../db/database.js';
import { paperKeyings, staffLabel, users } from '../db/schema.js';
import { apiRoute, apiRouter, failures, idParam, jsonBody, jsonResponse, lookupFirst } from '../http/openapi.js';
import { problems } from '../http/problem.js';
import { checkAnswers } from '../questionnaires/answerValidator.js';
import { answersRefused } from './answerProblem.js';
import { correctEntry, loadEntry } from './entryCorrection.js';
import { loadOwnedWave } from './loaders.js';
import { mismatches, settled, unresolvedKeyings } from './paperKeyings.js';
import { keyingOutcomeSchema, keyingSchema, resolutionSchema, unresolvedKeyingsSchema } from './schemas.js';
import { keyedReturn } from './spoiledAnswers.js';

/**
 * Optional double entry of paper returns: a second person keys the same paper (one keying per return,
 * table paper_keyings); the questions the two keyings disagree on are shown per 問 until an editor
 * chooses, for each, which keying reads the paper right. The return is then corrected (audited as any
 * correction) and the keying marked resolved. Keyings that agree are resolved at once.
 */
export function keyingRoutes(database: Database) {
  const { db } = database;
  const app = apiRouter<StaffEnv>();
  const params = idParam('Entered response');
  const findEntry = lookupFirst<StaffEnv>((c, id) => loadEntry(database, c.get('staff'), id));

  const second = apiRoute({
    method: 'post',
    path: '/responses/{id}/keyings',
    summary: 'Double entry: a second person keys the same paper return; answers where the keyings differ (audited)',
    middleware: [requireRole('editor'), findEntry],
    request: { params, body: jsonBody(keyingSchema) },
    responses: { 201: jsonResponse(keyingOutcomeSchema, 'The keying and its mismatches'), ...failures(400, 403, 404, 409, 415, 422) },
  });
  app.openapi(second, async (c) => {
    const staff = c.get('staff');
    const entry = await loadEntry(database, staff, c.req.param('id'));
    const input = c.req.valid('json');
    if (entry.response.enteredBy === staff.userId) {
      throw problems.conflict('Double entry needs a second person: the return was entered by you.', {
        title_ja: '別の人が入力してください',
        detail_ja: 'ダブルエントリーは、最初に入力した人とは別の人が同じ用紙を入力して照合します。',
      });
    }
    const definition = entry.version.definition;
    const spoiled = keyedReturn(definition, input.answers, input.spoiled);
    const { answers, errors } = checkAnswers(entry.version.id, definition, input.answers, { requireComplete: false });
    if (!answers) throw answersRefused(definition, errors);
    const found = mismatches(definition, entry.response, { data: answers, spoiled });
    const [row] = await db.transaction(async (tx) => {
      const inserted = await tx
        .insert(paperKeyings)
        .values({ organisationId: entry.response.organisationId, responseId: entry.response.id, data: answers, spoiled, enteredBy: staff.userId, resolvedAt: found.length ? null : new Date() })
        .onConflictDoNothing({ target: paperKeyings.responseId })
        .returning();
      if (inserted.length) await audit(tx, staff, 'response.second_keying', entry.response.id, { waveId: entry.response.waveId, data: answers, spoiled, mismatches: found.map((m) => m.name) });
      return inserted;
    });
    if (!row) {
      throw problems.conflict('This return has been keyed twice already.', {
        title_ja: '2回目の入力は済んでいます',
        detail_ja: 'この回答はすでに2回目の入力（照合）が済んでいます。誤りは「訂正」で直してください。',
      });
    }
    return c.json(await outcome(staff, entry.response.id), 201);
  });

  const show = apiRoute({
    method: 'get',
    path: '/responses/{id}/keyings',
    summary: 'Double entry: the second keying of a return and the questions it disagrees on',
    middleware: findEntry,
    request: { params },
    responses: { 200: jsonResponse(keyingOutcomeSchema, 'The keying and its mismatches'), ...failures(404) },
  });
  app.openapi(show, async (c) => c.json(await outcome(c.get('staff'), c.req.param('id')), 200));

  const resolve = apiRoute({
    method: 'post',
    path: '/responses/{id}/keyings/resolve',
    summary: 'Double entry: choose, per mismatched question, which keying is right; the return is corrected (audited) and the keying resolved',
    middleware: [requireRole('editor'), findEntry],
    request: { params, body: jsonBody(resolutionSchema) },
    responses: { 200: jsonResponse(keyingOutcomeSchema, 'The resolved keying'), ...failures(400, 403, 404, 409, 415, 422) },
  });
  app.openapi(resolve, async (c) => {
    const staff = c.get('staff');
    const entry = await loadEntry(database, staff, c.req.param('id'));
    const keying = await keyingOf(entry.response.id);
    if (keying.resolvedAt) {
      throw problems.conflict('This double entry is resolved already.', { title_ja: '照合は済んでいます', detail_ja: 'この回答の不一致はすでに解決されています。' });
    }
    const definition = entry.version.definition;
    const found = mismatches(definition, entry.response, keying);
    const { use } = c.req.valid('json');
    const open = found.filter((m) => !use[m.name]);
    if (open.length) {
      throw problems.unprocessable(
        `Choose a keying for every mismatch: ${open.map((m) => m.label.replace('問', 'Q')).join(', ')}`,
        open.map((m) => ({ field: m.name, label: m.label, message: 'choose first or second', message_ja: 'どちらの入力が正しいか選んでください' })),
        { title_ja: '選んでいない不一致があります', detail_ja: `${open.map((m) => m.label).join('、')} でどちらの入力が正しいか選んでください。` },
      );
    }
    const useSecond = new Set(found.filter((m) => use[m.name] === 'second').map((m) => m.name));
    const corrected = settled(definition, entry.response, keying, useSecond);
    await correctEntry(database, staff, entry, corrected, async (tx) => {
      await tx.update(paperKeyings).set({ resolvedAt: new Date() }).where(eq(paperKeyings.id, keying.id));
      await audit(tx, staff, 'response.keying_resolved', entry.response.id, {
        waveId: entry.response.waveId,
        chosen: Object.fromEntries(found.map((m) => [m.label, use[m.name]])),
      });
    });
    return c.json(await outcome(staff, entry.response.id), 200);
  });

  const unresolved = apiRoute({
    method: 'get',
    path: '/waves/{id}/keyings',
    summary: 'Double entry: returns of a wave whose two keyings disagree and are not yet resolved',
    request: { params: idParam('Wave') },
    responses: { 200: jsonResponse(unresolvedKeyingsSchema, 'Returns with unresolved mismatches'), ...failures(404) },
  });
  app.openapi(unresolved, async (c) => {
    const staff = c.get('staff');
    const { wave } = await loadOwnedWave(database, staff, c.req.param('id'));
    const rows = await unresolvedKeyings(database, staff, wave.id);
    return c.json({ returns: rows.map((r) => ({ ...r, keyedAt: r.keyedAt.toISOString() })) }, 200);
  });

  async function keyingOf(responseId: string) {
    const [keying] = await db.select().from(paperKeyings).where(eq(paperKeyings.responseId, responseId));
    if (!keying) throw problems.notFound('Second keying', 'この回答の2回目の入力はまだありません。');
    return keying;
  }

  /** The keying as the API shows it: who keyed it, when, and what still disagrees (nothing once resolved). */
  async function outcome(staff: Staff, responseId: string) {
    const entry = await loadEntry(database, staff, responseId);
    const keying = await keyingOf(responseId);
    const [who] = keying.enteredBy ? await db.select({ label: staffLabel }).from(users).where(eq(users.id, keying.enteredBy)) : [];
    return {
      responseId,
      keyedBy: who?.label ?? null,
      keyedAt: keying.createdAt.toISOString(),
      resolvedAt: keying.resolvedAt?.toISOString() ?? null,
      mismatches: keying.resolvedAt ? [] : mismatches(entry.version.definition, entry.response, keying),
    };
  }

  return app;
}
