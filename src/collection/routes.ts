import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '../accounts/audit.js';
import { owned } from '../auth/scope.js';
import { newToken } from '../auth/secrets.js';
import { requireRole, type StaffEnv } from '../auth/staff.js';
import type { Database } from '../db/database.js';
import { invitations, questionnaireVersions, studies, waves } from '../db/schema.js';
import { apiRoute, apiRouter, describedBody, failures, idParam, jsonBody, jsonResponse, lookupFirst } from '../http/openapi.js';
import { uuidParam } from '../http/params.js';
import { problems } from '../http/problem.js';
import { bulkDispositionsSchema, frameCounts, recordDispositions } from './dispositions.js';
import { importFrame } from './frame.js';
import { formatAccessCode } from './invitationLinks.js';
import { submitResponse } from './intake.js';
import { missingCodeWarning, unitNotInFrame } from './answerProblem.js';
import { loadOwnedWave } from './loaders.js';
import { hasEnded } from './waveState.js';
import { staffEntrySchema } from './submissionSchema.js';
import {
  bulkOutcomeSchema,
  frameAddedSchema,
  frameUnitsSchema,
  newStudySchema,
  newWaveSchema,
  entryReceiptSchema,
  recordedDispositionSchema,
  studySchema,
  studyWithWavesSchema,
  unitDispositionSchema,
  waveChangeSchema,
  waveSchema,
} from './schemas.js';

/** A wave that closes before it opens would never take an answer: almost surely a typo in a date. */
function assertClosesAfterOpening(opensAt: Date | null | undefined, closesAt: Date | null | undefined) {
  if (opensAt && closesAt && closesAt <= opensAt) {
    throw problems.unprocessable('closesAt must be after opensAt.', [{ field: 'closesAt', message: 'before the wave opens', message_ja: '受付終了は受付開始より後にしてください' }], {
      title: 'Invalid dates',
      title_ja: '受付期間が正しくありません',
    });
  }
}

export function collectionRoutes(database: Database, hashKey: string, publicUrl: (path: string) => string) {
  const { db } = database;
  const app = apiRouter<StaffEnv>();
  const waveParams = idParam('Wave');
  const editWave = [requireRole('editor'), lookupFirst<StaffEnv>((c, id) => loadOwnedWave(database, c.get('staff'), id))];

  const newStudy = apiRoute({
    method: 'post',
    path: '/studies',
    summary: 'Create a study that groups waves (e.g. pre and post)',
    middleware: requireRole('editor'),
    request: { body: jsonBody(newStudySchema) },
    responses: { 201: jsonResponse(studySchema, 'The study'), ...failures(400, 403, 415) },
  });
  app.openapi(newStudy, async (c) => {
    const input = c.req.valid('json');
    const [study] = await db.insert(studies).values({ organisationId: c.get('staff').organisationId, name: input.name }).returning();
    await audit(db, c.get('staff'), 'study.created', study.id, { name: study.name });
    return c.json(study, 201);
  });

  const newWave = apiRoute({
    method: 'post',
    path: '/waves',
    summary: 'Open a wave of a published questionnaire; returns the open link and QR code URLs',
    middleware: requireRole('editor'),
    request: { body: jsonBody(newWaveSchema) },
    responses: { 201: jsonResponse(waveSchema, 'The wave'), ...failures(400, 403, 415, 422) },
  });
  app.openapi(newWave, async (c) => {
    const staff = c.get('staff');
    const input = c.req.valid('json');
    assertClosesAfterOpening(input.opensAt, input.closesAt);
    // Closing is final, so a wave created already closed could never be used: surely a mistyped date.
    if (input.closesAt && input.closesAt <= new Date()) {
      throw problems.unprocessable('closesAt is in the past: the wave would be closed from the start.', [
        { field: 'closesAt', message: 'in the past', message_ja: '受付終了の日時が過ぎています' },
      ]);
    }
    const [version] = await db
      .select()
      .from(questionnaireVersions)
      .where(
        and(
          owned(questionnaireVersions, staff),
          eq(questionnaireVersions.status, 'published'),
          input.versionId
            ? eq(questionnaireVersions.id, input.versionId)
            : eq(questionnaireVersions.questionnaireId, input.questionnaireId!),
        ),
      )
      .orderBy(sql`${questionnaireVersions.version} desc`)
      .limit(1);
    if (!version) throw problems.unprocessable('No published version of that questionnaire was found. Publish it first.', [{ field: 'questionnaireId', message: 'not published or not found' }]);
    if (input.studyId) {
      const [study] = await db.select().from(studies).where(owned(studies, staff, input.studyId));
      if (!study) throw problems.unprocessable('Unknown study.', [{ field: 'studyId', message: 'not found' }]);
    }
    const [wave] = await db
      .insert(waves)
      .values({
        organisationId: staff.organisationId,
        versionId: version.id,
        studyId: input.studyId ?? null,
        name: input.name,
        phase: input.phase ?? null,
        slug: input.openLink ? newToken(16) : null,
        opensAt: input.opensAt ?? null,
        closesAt: input.closesAt ?? null,
        askParticipantCode: input.askParticipantCode,
      })
      .returning();
    await audit(db, staff, 'wave.opened', wave.id, { name: wave.name, versionId: version.id, openLink: Boolean(wave.slug), opensAt: wave.opensAt, closesAt: wave.closesAt });
    return c.json(describeWave(wave, publicUrl), 201);
  });

  const oneWave = apiRoute({
    method: 'get',
    path: '/waves/{id}',
    summary: 'One wave, with the questionnaire version it uses',
    request: { params: waveParams },
    responses: { 200: jsonResponse(waveSchema.extend({ version: z.object({ id: z.uuid(), version: z.number().int() }) }), 'The wave'), ...failures(404) },
  });
  app.openapi(oneWave, async (c) => {
    const { wave, version } = await loadOwnedWave(database, c.get('staff'), c.req.param('id'));
    return c.json({ ...describeWave(wave, publicUrl), version: { id: version.id, version: version.version } });
  });

  // Closing and moving the closing time change what the response rates cover: both are audited.
  const closeWave = apiRoute({
    method: 'post',
    path: '/waves/{id}/close',
    summary: 'Close a wave (final)',
    middleware: requireRole('editor'),
    request: { params: waveParams },
    responses: { 200: jsonResponse(waveSchema, 'The closed wave'), ...failures(403, 404) },
  });
  app.openapi(closeWave, async (c) => {
    const staff = c.get('staff');
    const { wave } = await loadOwnedWave(database, staff, c.req.param('id'));
    const closed = await db.transaction(async (tx) => {
      const [row] = await tx.update(waves).set({ status: 'closed' }).where(eq(waves.id, wave.id)).returning();
      if (wave.status !== 'closed') await audit(tx, staff, 'wave.closed', wave.id, { name: wave.name, closesAt: wave.closesAt });
      return row;
    });
    return c.json(describeWave(closed, publicUrl));
  });

  /** Renames a wave or moves its closing time (a time in the past closes it now); an ended wave's time stays. */
  const changeWave = apiRoute({
    method: 'patch',
    path: '/waves/{id}',
    summary: 'Rename a wave, set its purpose (for letters and flyers) or move its closing time; a time in the past closes it now',
    description: '409 once the wave has closed (closing is final); 422 when closesAt is not after opensAt.',
    middleware: editWave,
    request: { params: waveParams, body: jsonBody(waveChangeSchema) },
    responses: { 200: jsonResponse(waveSchema, 'The wave'), ...failures(400, 403, 404, 409, 415, 422) },
  });
  app.openapi(changeWave, async (c) => {
    const staff = c.get('staff');
    const { wave } = await loadOwnedWave(database, staff, c.req.param('id'));
    const input = c.req.valid('json');
    const movesClosing = input.closesAt !== undefined;
    if (movesClosing && hasEnded(wave)) throw waveHasEnded();
    if (movesClosing) assertClosesAfterOpening(wave.opensAt, input.closesAt);
    const changed = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(waves)
        .set({ name: input.name, closesAt: input.closesAt, purpose: input.purpose === undefined ? undefined : input.purpose || null })
        // Checked again as it writes: a wave that closed since it was read must not be reopened by a later closesAt.
        .where(movesClosing ? and(eq(waves.id, wave.id), eq(waves.status, 'open'), or(isNull(waves.closesAt), gt(waves.closesAt, sql`now()`))) : eq(waves.id, wave.id))
        .returning();
      if (row) {
        await audit(tx, staff, 'wave.updated', wave.id, {
          ...(input.name !== undefined ? { name: input.name, previousName: wave.name } : {}),
          ...(movesClosing ? { closesAt: input.closesAt, previousClosesAt: wave.closesAt } : {}),
          ...(input.purpose !== undefined ? { purpose: input.purpose || null, previousPurpose: wave.purpose } : {}),
        });
      }
      return row;
    });
    if (!changed) throw waveHasEnded();
    return c.json(describeWave(changed, publicUrl));
  });

  // The handler reads the body itself (JSON or CSV); the JSON form is described by the schema it validates with.
  const addFrame = apiRoute({
    method: 'post',
    path: '/waves/{id}/frame',
    summary: 'Add invited units (JSON {units} or text/csv with unit_id); returns their invitation links and access codes',
    middleware: requireRole('editor'),
    request: {
      params: waveParams,
      body: {
        required: true,
        content: {
          'application/json': { schema: describedBody(frameUnitsSchema) },
          'text/csv': { schema: { type: 'string', description: 'A unit_id column, then one column per attribute' } },
        },
      },
    },
    responses: { 201: jsonResponse(frameAddedSchema, 'The invitation links, shown only now'), ...failures(400, 403, 404, 409, 415, 422) },
  });
  app.openapi(addFrame, async (c) => {
    const { wave } = await loadOwnedWave(database, c.get('staff'), c.req.param('id'));
    const created = await importFrame(database, hashKey, wave, c);
    await audit(db, c.get('staff'), 'frame.imported', wave.id, { added: created.length });
    return c.json(
      {
        waveId: wave.id,
        added: created.length,
        note: 'Links and access codes are stored as keyed hashes and can be shown again on the invitation list.',
        invitations: created.map((i) => ({ unitId: i.unitId, url: publicUrl(`/t/${i.token}`), accessCode: formatAccessCode(i.accessCode) })),
      },
      201,
    );
  });

  /**
   * Records what happened to an invited unit (refused, non-contact, ineligible…), so the AAPOR rates
   * can tell eligible non-respondents from units of unknown eligibility. complete/partial come from answers.
   */
  const unitDisposition = apiRoute({
    method: 'patch',
    path: '/waves/{id}/frame/{unitId}',
    summary: "Record a unit's disposition (refused, non-contact, ineligible, unknown, pending) for AAPOR rates",
    middleware: editWave,
    request: { params: waveParams.extend({ unitId: z.string() }), body: jsonBody(unitDispositionSchema) },
    responses: { 200: jsonResponse(recordedDispositionSchema, 'The unit'), ...failures(400, 403, 404, 409, 415) },
  });
  app.openapi(unitDisposition, async (c) => {
    const { wave } = await loadOwnedWave(database, c.get('staff'), c.req.param('id'));
    const input = c.req.valid('json');
    const unitId = c.req.param('unitId');
    const { updated, answered } = await recordDispositions(database, wave.id, [unitId], input.disposition);
    if (updated[0]) {
      await audit(db, c.get('staff'), 'dispositions.recorded', wave.id, { disposition: input.disposition, units: [unitId] });
      return c.json(updated[0]);
    }
    if (!answered[0]) throw problems.notFound(`Unit "${unitId}" of this wave's frame`);
    throw problems.conflict(`This unit has answered (${answered[0].disposition}); its disposition comes from its response.`);
  });

  /** The same for a list brought back from the field; answered and unknown units are reported, not refused. */
  const bulkDispositions = apiRoute({
    method: 'post',
    path: '/waves/{id}/frame/dispositions',
    summary: 'Record one disposition for a list of units (up to 5,000)',
    middleware: editWave,
    request: { params: waveParams, body: jsonBody(bulkDispositionsSchema) },
    responses: { 200: jsonResponse(bulkOutcomeSchema, 'What was recorded, skipped and not found'), ...failures(400, 403, 404, 413, 415) },
  });
  app.openapi(bulkDispositions, async (c) => {
    const { wave } = await loadOwnedWave(database, c.get('staff'), c.req.param('id'));
    const input = c.req.valid('json');
    const outcome = await recordDispositions(database, wave.id, input.unitIds, input.disposition);
    await audit(db, c.get('staff'), 'dispositions.recorded', wave.id, { disposition: input.disposition, updated: outcome.updated.length, units: input.unitIds.length });
    return c.json({
      updated: outcome.updated.length,
      answered: outcome.answered.map((a) => a.unitId),
      unknown: outcome.unknown,
      frame: await frameCounts(database, wave.id),
    });
  });

  /** Staff enter paper, mail or interview returns; an invitation's unit is marked as answered. */
  const enterReturn = apiRoute({
    method: 'post',
    path: '/waves/{id}/responses',
    summary: 'Staff entry of paper, mail or interview answers',
    middleware: editWave,
    request: { params: waveParams, body: jsonBody(staffEntrySchema) },
    responses: { 201: jsonResponse(entryReceiptSchema, 'The receipt; a warning when the wave asks for a participant code and none was given'), ...failures(400, 403, 404, 409, 415, 422) },
  });
  app.openapi(enterReturn, async (c) => {
    const staff = c.get('staff');
    const { wave, version } = await loadOwnedWave(database, staff, c.req.param('id'));
    const input = c.req.valid('json');
    let invitation;
    if (input.unitId) {
      [invitation] = await db.select().from(invitations).where(and(eq(invitations.waveId, wave.id), eq(invitations.unitId, input.unitId)));
      if (!invitation) throw unitNotInFrame(input.unitId);
    }
    const receipt = await submitResponse(database, hashKey, { wave, version, invitation, enteredBy: staff.userId }, input);
    const withoutCode = wave.askParticipantCode && !input.participantCode;
    await audit(db, staff, 'response.entered', receipt.id, { waveId: wave.id, mode: input.mode, unitId: input.unitId ?? null, status: input.status, spoiled: input.spoiled, replayed: receipt.replayed, withoutParticipantCode: withoutCode });
    return c.json(withoutCode ? { ...receipt, ...missingCodeWarning } : receipt, 201);
  });

  const oneStudy = apiRoute({
    method: 'get',
    path: '/studies/{id}',
    summary: 'One study with its waves',
    request: { params: idParam('Study') },
    responses: { 200: jsonResponse(studyWithWavesSchema, 'The study'), ...failures(404) },
  });
  app.openapi(oneStudy, async (c) => {
    const [study] = await db.select().from(studies).where(owned(studies, c.get('staff'), uuidParam(c.req.param('id'), 'Study')));
    if (!study) throw problems.notFound('Study');
    const studyWaves = await db.select().from(waves).where(eq(waves.studyId, study.id));
    return c.json({ ...study, waves: studyWaves.map((w) => describeWave(w, publicUrl)) });
  });

  return app;
}

const waveHasEnded = () =>
  problems.conflict('This wave has closed. Closing is final: its closing time cannot move. Open a new wave to collect more answers.', {
    title_ja: 'この調査回は終了しています',
    detail_ja: '受付を終了した調査回の受付期間は変更できません。回答を集めるには新しい調査回を作ってください。',
  });

function describeWave(wave: typeof waves.$inferSelect, publicUrl: (path: string) => string) {
  return {
    id: wave.id,
    name: wave.name,
    phase: wave.phase,
    studyId: wave.studyId,
    versionId: wave.versionId,
    status: wave.status,
    opensAt: wave.opensAt,
    closesAt: wave.closesAt,
    askParticipantCode: wave.askParticipantCode,
    purpose: wave.purpose,
    openLink: wave.slug ? publicUrl(`/s/${wave.slug}`) : null,
    // The QR code routes answer only while the wave takes answers.
    qrCode: wave.slug && !hasEnded(wave) ? { svg: publicUrl(`/s/${wave.slug}/qr.svg`), png: publicUrl(`/s/${wave.slug}/qr.png`) } : null,
  };
}
