import { and, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { audit } from '../accounts/audit.js';
import { requireRole, type StaffEnv } from '../auth/staff.js';
import { splitEmail } from '../collection/frameEmail.js';
import { freeIssues } from '../collection/linkIssues.js';
import { loadOwnedWave } from '../collection/loaders.js';
import type { Database } from '../db/database.js';
import { invitations } from '../db/schema.js';
import { apiRoute, apiRouter, failures, jsonBody, jsonResponse, lookupFirst } from '../http/openapi.js';
import { problems } from '../http/problem.js';
import { workbook } from '../results/workbook.js';
import { resultResponse } from '../results/schemas.js';
import { allUnits, oneUnit, unitPage, type ListedUnit } from './listQuery.js';
import { attributesChangeSchema, exportQuery, listedUnitSchema, listQuery, unitListSchema, unitParams } from './schemas.js';
import { auditLinksShown, shownLink } from './shownLinks.js';
import { dispositionJa, unitCsv, unitSheet } from './unitSheet.js';

/**
 * The invitation list of a wave: its units with attributes, disposition and last activity, each link and
 * access code derived again; re-issue, attribute corrections and the export. Editors only: a link lets
 * whoever holds it answer as that unit.
 */
export function invitationRoutes(database: Database, hashKey: string, publicUrl: (path: string) => string) {
  const app = apiRouter<StaffEnv>();
  const editWave = [requireRole('editor'), lookupFirst<StaffEnv>((c, id) => loadOwnedWave(database, c.get('staff'), id))];
  const linkOf = (unit: Pick<ListedUnit, 'id' | 'tokenIssue'>) => shownLink(hashKey, publicUrl, unit);
  const describe = (unit: ListedUnit) => {
    const link = linkOf(unit);
    return {
      unitId: unit.unitId,
      attributes: unit.attributes,
      disposition: unit.disposition,
      disposition_ja: dispositionJa(unit.disposition),
      updatedAt: unit.updatedAt.toISOString(),
      tokenIssue: unit.tokenIssue,
      url: link?.url ?? null,
      accessCode: link?.accessCode ?? null,
    };
  };

  async function unitOf(c: Context<StaffEnv>) {
    const { wave } = await loadOwnedWave(database, c.get('staff'), c.req.param('id') ?? '');
    const unitId = c.req.param('unitId') ?? '';
    const unit = await oneUnit(database, wave.id, unitId);
    if (!unit) throw problems.notFound(`Unit "${unitId}" of this wave's frame`, `対象者番号「${unitId}」はこの調査回の名簿にありません。`);
    return { wave, unit };
  }

  const list = apiRoute({
    method: 'get',
    path: '/waves/{id}/invitations',
    summary: "The wave's invited units, a page at a time: attributes, disposition, last activity, link and access code (each view audited)",
    middleware: editWave,
    request: { params: unitParams.pick({ id: true }), query: listQuery },
    responses: { 200: jsonResponse(unitListSchema, 'One page of units in frame order'), ...failures(400, 403, 404) },
  });
  app.openapi(list, async (c) => {
    const { wave } = await loadOwnedWave(database, c.get('staff'), c.req.param('id'));
    const q = c.req.valid('query');
    const { units, total } = await unitPage(database, wave.id, { disposition: q.disposition, search: q.q }, { offset: (q.page - 1) * q.perPage, limit: q.perPage });
    await auditLinksShown(database, c.get('staff'), wave.id, { via: 'api', units: units.map((u) => u.unitId) });
    return c.json({ waveId: wave.id, total, page: q.page, perPage: q.perPage, units: units.map(describe) });
  });

  const reissue = apiRoute({
    method: 'post',
    path: '/waves/{id}/invitations/{unitId}/reissue',
    summary: "Re-issue a unit's link and access code: the old ones then answer like an unknown link",
    middleware: editWave,
    request: { params: unitParams },
    responses: { 200: jsonResponse(listedUnitSchema, 'The unit with its new link and code'), ...failures(403, 404) },
  });
  app.openapi(reissue, async (c) => {
    const staff = c.get('staff');
    const { wave, unit } = await unitOf(c);
    const updated = await database.db.transaction(async (tx) => {
      // Locked, so two re-issues at once cannot both take the same next issue.
      const [current] = await tx.select({ tokenIssue: invitations.tokenIssue }).from(invitations).where(eq(invitations.id, unit.id)).for('update');
      const issue = (await freeIssues(tx, hashKey, [{ id: unit.id, from: (current.tokenIssue ?? 0) + 1 }])).get(unit.id)!;
      const [row] = await tx.update(invitations).set({ ...issue, updatedAt: new Date() }).where(eq(invitations.id, unit.id)).returning();
      await audit(tx, staff, 'invitation.reissued', wave.id, { unitId: unit.unitId, previousIssue: current.tokenIssue, issue: issue.tokenIssue });
      return row;
    });
    return c.json(describe(updated));
  });

  const correct = apiRoute({
    method: 'patch',
    path: '/waves/{id}/invitations/{unitId}',
    summary: "Correct a unit's attributes (replaced whole; audited with before and after)",
    middleware: editWave,
    request: { params: unitParams, body: jsonBody(attributesChangeSchema) },
    responses: { 200: jsonResponse(listedUnitSchema, 'The corrected unit'), ...failures(400, 403, 404, 415, 422) },
  });
  app.openapi(correct, async (c) => {
    const staff = c.get('staff');
    const { wave, unit } = await unitOf(c);
    const { attributes } = c.req.valid('json');
    if (Object.keys(splitEmail(attributes).attributes).length !== Object.keys(attributes).length) {
      throw problems.unprocessable('An e-mail address is not an attribute: attributes reach results and exports.', [{ field: 'attributes', message: 'e-mail column', message_ja: 'メールアドレスの列は属性にできません' }], {
        title: 'Invalid attributes',
        title_ja: '属性に誤りがあります',
        detail_ja: 'メールアドレスは属性として保存できません（属性は集計や出力に出るため）。メールアドレスは名簿の登録時に email 列で渡してください。',
      });
    }
    const updated = await database.db.transaction(async (tx) => {
      const [row] = await tx.update(invitations).set({ attributes, updatedAt: new Date() }).where(and(eq(invitations.id, unit.id), eq(invitations.waveId, wave.id))).returning();
      await audit(tx, staff, 'invitation.attributes_corrected', wave.id, { unitId: unit.unitId, before: unit.attributes, after: attributes });
      return row;
    });
    return c.json(describe(updated));
  });

  const exportList = apiRoute({
    method: 'get',
    path: '/waves/{id}/invitations/export',
    summary: 'The invitation list as CSV (header first, for mail merge) or XLSX: attributes, disposition, link, access code; audited',
    middleware: editWave,
    request: { params: unitParams.pick({ id: true }), query: exportQuery },
    responses: { 200: resultResponse(unitListSchema, 'The list as a file', ['csv', 'xlsx']), ...failures(400, 403, 404) },
  });
  app.openapi(exportList, async (c) => {
    const staff = c.get('staff');
    const { wave } = await loadOwnedWave(database, staff, c.req.param('id'));
    const q = c.req.valid('query');
    const units = await allUnits(database, wave.id, { disposition: q.disposition, unitIds: q.units });
    await audit(database.db, staff, 'download.invitations', wave.id, { format: q.format, disposition: q.disposition, units: units.length });
    const sheet = unitSheet(wave.name, units, linkOf);
    const name = `invitations-${wave.id}`;
    if (q.format === 'csv') return c.body(unitCsv(sheet), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` });
    return c.body(new Uint8Array(await workbook([sheet], [`招待者一覧: ${wave.name}`, `${units.length} 件`])), 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="${name}.xlsx"`,
    });
  });

  return app;
}
