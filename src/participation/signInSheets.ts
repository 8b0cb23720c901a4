import { parse } from 'csv-parse/sync';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { activitySessions, attendances } from '../db/schema.js';
import { problems } from '../http/problem.js';
import { attendanceKey, type Activity } from './records.js';

/** Column names a typed sign-in sheet may use, Japanese or English. */
const COLUMNS = {
  heldOn: ['日付', '開催日', 'date'],
  site: ['会場', '場所', 'site'],
  theme: ['テーマ', '内容', 'theme'],
  code: ['参加者コード', 'コード', 'code'],
  headcount: ['人数', '参加者数', 'headcount'],
  newcomers: ['新規', 'new'],
  returning: ['リピーター', 'repeat'],
} as const;

type Row = { line: number; heldOn: string; site: string | null; theme: string | null; code: string | null; headcount: number | null; newcomers: number | null; returning: number | null };

const pick = (record: Record<string, string>, names: readonly string[]) => {
  for (const name of names) if (record[name] !== undefined && record[name].trim() !== '') return record[name].trim();
  return null;
};

function wholeNumber(text: string | null, line: number, column: string): number | null {
  if (text === null) return null;
  const n = Number(text.normalize('NFKC'));
  if (!Number.isInteger(n) || n < 0 || n > 100_000) throw importProblem(`Line ${line}: ${column} must be a whole number.`, `${line}行目：「${column}」は0以上の整数で書いてください（「${text}」）。`);
  return n;
}

/** 2025/6/1, 2025-06-01 and full-width digits all mean the same day. */
function dayOf(text: string | null, line: number): string {
  const m = text?.normalize('NFKC').match(/^(\d{4})[/\-.年](\d{1,2})[/\-.月](\d{1,2})日?$/);
  const day = m && `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  if (!day || Number.isNaN(Date.parse(`${day}T00:00:00Z`)) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) {
    throw importProblem(`Line ${line}: the date "${text ?? ''}" cannot be read (use 2025/06/01).`, `${line}行目：日付「${text ?? ''}」を読み取れません。2025/06/01 のように書いてください。`);
  }
  return day;
}

const importProblem = (detail: string, detail_ja: string) => problems.badRequest(detail, { title_ja: '出席簿を読み込めません', detail_ja });

/** Reads a sign-in sheet: one row per person present (a code), or one row per session (a headcount). */
export function readSignInSheet(text: string): Row[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: (header: string[]) => header.map((h) => h.trim()), skip_empty_lines: true, bom: true, relax_column_count: true });
  } catch (error) {
    throw importProblem(`The CSV could not be read: ${(error as Error).message}`, `CSV を読み取れません：${(error as Error).message}`);
  }
  if (records.length === 0) throw importProblem('The sheet has no rows.', '行がありません。1行目に列名（日付, 会場, テーマ, 参加者コード または 人数）を書いてください。');
  if (records.length > 50_000) throw importProblem('At most 50,000 rows at a time.', '一度に読み込めるのは 50,000 行までです。');
  return records.map((record, i) => {
    const line = i + 2;
    const code = pick(record, COLUMNS.code);
    const headcount = wholeNumber(pick(record, COLUMNS.headcount), line, '人数');
    if ((code === null) === (headcount === null)) {
      throw importProblem(`Line ${line}: give either a participant code or a headcount.`, `${line}行目：「参加者コード」か「人数」のどちらか一方を書いてください。`);
    }
    const parts = (wholeNumber(pick(record, COLUMNS.newcomers), line, '新規') ?? 0) + (wholeNumber(pick(record, COLUMNS.returning), line, 'リピーター') ?? 0);
    if (headcount !== null && parts > headcount) {
      throw importProblem(`Line ${line}: new and repeat add up to more than the headcount.`, `${line}行目：「新規」と「リピーター」の合計が「人数」を超えています。`);
    }
    if (code && code.length > 64) throw importProblem(`Line ${line}: the code is too long.`, `${line}行目：参加者コードが長すぎます（64文字まで）。`);
    return {
      line,
      heldOn: dayOf(pick(record, COLUMNS.heldOn), line),
      site: pick(record, COLUMNS.site),
      theme: pick(record, COLUMNS.theme),
      code,
      headcount,
      newcomers: wholeNumber(pick(record, COLUMNS.newcomers), line, '新規'),
      returning: wholeNumber(pick(record, COLUMNS.returning), line, 'リピーター'),
    };
  });
}

/**
 * Stores a sheet's rows in one transaction: a session per date, site and theme (an existing one is
 * reused, so a sheet typed twice adds nothing), attendance once per person and session.
 */
export async function importSignInSheet(database: Database, hashKey: string, activity: Activity, rows: Row[]) {
  return database.db.transaction(async (tx) => {
    const sessionIds = new Map<string, string>();
    let added = 0;
    for (const row of rows) {
      const key = JSON.stringify([row.heldOn, row.site, row.theme]);
      let sessionId = sessionIds.get(key);
      if (!sessionId) {
        const same = and(
          eq(activitySessions.activityId, activity.id),
          eq(activitySessions.heldOn, row.heldOn),
          row.site === null ? isNull(activitySessions.site) : eq(activitySessions.site, row.site),
          row.theme === null ? isNull(activitySessions.theme) : eq(activitySessions.theme, row.theme),
        );
        const [existing] = await tx.select({ id: activitySessions.id }).from(activitySessions).where(same).limit(1);
        sessionId =
          existing?.id ??
          (await tx.insert(activitySessions).values({ organisationId: activity.organisationId, activityId: activity.id, heldOn: row.heldOn, site: row.site, theme: row.theme }).returning())[0].id;
        sessionIds.set(key, sessionId);
      }
      if (row.code) {
        const inserted = await tx
          .insert(attendances)
          .values({ sessionId, organisationId: activity.organisationId, participantKeyHash: attendanceKey(hashKey, activity, row.code) })
          .onConflictDoNothing()
          .returning({ sessionId: attendances.sessionId });
        added += inserted.length;
      } else {
        const status = row.newcomers !== null || row.returning !== null ? { status: { new: row.newcomers ?? 0, repeat: row.returning ?? 0 } } : null;
        await tx.update(activitySessions).set({ headcount: row.headcount, breakdown: status ?? sql`${activitySessions.breakdown}` }).where(eq(activitySessions.id, sessionId));
        added += row.headcount ?? 0;
      }
    }
    return { sessions: sessionIds.size, attendances: added };
  });
}
