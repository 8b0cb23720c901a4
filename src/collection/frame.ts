import { parse } from 'csv-parse/sync';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import type { z } from 'zod';
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.js';
import { invitations, type waves } from '../db/schema.js';
import { assertStorable, validate } from '../http/json.js';
import { problems } from '../http/problem.js';
import { looksLikeEmail, splitEmail } from './frameEmail.js';
import { assertIdsGiven, assertUsableIds, EXPORT_ONLY_COLUMNS, UNIT_ID_COLUMNS, unreadableCsv } from './frameRules.js';
import { accessCode, invitationToken } from './invitationLinks.js';
import { freeIssues } from './linkIssues.js';
import { frameUnitsSchema } from './schemas.js';

type Unit = z.infer<typeof frameUnitsSchema>['units'][number] & { email: string | null };

/**
 * Adds invited units (JSON `{units:[{unitId, attributes, email?}]}` or CSV with a `unit_id` or `対象者番号` column) to a
 * wave. Each link and access code is derived from the hashing key, the invitation's id and issue 1 (the next
 * issue on the rare code collision): only keyed hashes are stored, yet staff can show or print them again.
 */
export async function importFrame(
  database: Database,
  hashKey: string,
  wave: typeof waves.$inferSelect,
  c: Context,
): Promise<{ unitId: string; token: string; accessCode: string }[]> {
  const units = await readUnits(c);
  const ids = units.map((u) => u.unitId);
  assertUsableIds(ids);

  return database.db.transaction(async (tx) => {
    const existing: { unitId: string }[] = [];
    // Chunks keep each query under PostgreSQL's limit of 65,535 parameters.
    for (let i = 0; i < ids.length && existing.length === 0; i += 10_000) {
      existing.push(
        ...(await tx
          .select({ unitId: invitations.unitId })
          .from(invitations)
          .where(and(eq(invitations.waveId, wave.id), inArray(invitations.unitId, ids.slice(i, i + 10_000))))),
      );
    }
    if (existing.length > 0) {
      const listed = existing.slice(0, 10).map((e) => e.unitId);
      throw problems.conflict(`These units are already in the frame: ${listed.join(', ')}`, {
        title_ja: '名簿に登録済みの対象者があります',
        detail_ja: `次の対象者番号はすでに名簿にあります（${existing.length} 件${existing.length > 10 ? '、先頭10件' : ''}）: ${listed.join('、')}。同じ番号は二度登録できません。新しい対象者だけを登録してください。`,
      });
    }
    const created = units.map((unit) => ({ unit, id: randomUUID() }));
    const issues = await freeIssues(tx, hashKey, created.map(({ id }) => ({ id, from: 1 })));
    for (let i = 0; i < created.length; i += 1000) {
      await tx.insert(invitations).values(
        created.slice(i, i + 1000).map(({ unit, id }, j) => ({
          id,
          organisationId: wave.organisationId,
          waveId: wave.id,
          unitId: unit.unitId,
          attributes: unit.attributes,
          email: unit.email,
          ...issues.get(id)!,
          // One microsecond apart in upload order: the frame's own order survives (strata are listed as
          // uploaded), whatever the clock's resolution; a later upload starts at a later transaction time.
          createdAt: sql`now() + ${i + j} * interval '1 microsecond'`,
        })),
      );
    }
    return created.map(({ unit, id }) => {
      const issue = issues.get(id)!.tokenIssue;
      return { unitId: unit.unitId, token: invitationToken(hashKey, id, issue), accessCode: accessCode(hashKey, id, issue) };
    });
  });
}

async function readUnits(c: Context): Promise<Unit[]> {
  const type = c.req.header('content-type') ?? '';
  if (type.includes('text/csv')) {
    let rows: Record<string, string>[];
    try {
      rows = parse(await c.req.text(), { columns: true, skip_empty_lines: true, trim: true, bom: true });
    } catch (error) {
      throw unreadableCsv(error as Error);
    }
    const units = rows.map(csvUnit);
    assertIdsGiven(units);
    assertStorable(units);
    return withEmails(validate(frameUnitsSchema, { units }).units);
  }
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw problems.badRequest('Send the frame as JSON {"units":[…]} or as text/csv with a unit_id column.', {
      title_ja: '名簿を読み取れません',
      detail_ja: '名簿は JSON {"units":[…]} か、unit_id（または 対象者番号）の列がある CSV（text/csv）で送ってください。',
    });
  }
  assertStorable(body);
  return withEmails(validate(frameUnitsSchema, body).units);
}

/** One CSV row as a unit: the id from whichever id column it has, the other columns as attributes. */
function csvUnit(row: Record<string, string>) {
  const idColumn = UNIT_ID_COLUMNS.find((column) => row[column] !== undefined);
  const attributes = Object.entries(row).filter(([column]) => !UNIT_ID_COLUMNS.includes(column) && !EXPORT_ONLY_COLUMNS.includes(column));
  return { unitId: idColumn && row[idColumn], attributes: Object.fromEntries(attributes.map(([k, v]) => [k, v === '' ? null : v])) };
}

/** Takes each unit's e-mail column out of its attributes; an address that cannot be one is refused with the unit named. */
function withEmails(units: z.infer<typeof frameUnitsSchema>['units']): Unit[] {
  const split = units.map((u) => ({ unitId: u.unitId, ...splitEmail(u.attributes) }));
  const wrong = split.filter((u) => u.email !== null && !looksLikeEmail(u.email)).map((u) => u.unitId);
  if (wrong.length > 0) {
    const listed = wrong.slice(0, 10);
    throw problems.unprocessable(
      `These units have an e-mail address that cannot be one: ${listed.join(', ')}`,
      listed.map((unitId) => ({ field: 'email', message: `unit ${unitId}: not an e-mail address`, message_ja: `対象者 ${unitId}: メールアドレスの形ではありません` })),
      { title: 'Invalid frame', title_ja: '名簿に誤りがあります', detail_ja: `メールアドレスとして読めない値があります（${wrong.length} 件）: ${listed.join('、')}。空欄にするか正しいアドレスにしてください。` },
    );
  }
  return split;
}
