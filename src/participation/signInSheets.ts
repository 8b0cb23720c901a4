import { parse } from 'csv-parse/sync';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { activitySessions, attendances } from '../db/schema.js';
import { assertStorable } from '../http/json.js';
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
  assertStorable(text);
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

/** The session a row belongs to: same day, site and theme. */
const sessionKey = (r: { heldOn: string; site: string | null; theme: string | null }) => JSON.stringify([r.heldOn, r.site, r.theme]);

/**
 * Stores a sheet: a session per date, site and theme (an existing one is reused, so a sheet typed twice
 * adds nothing), attendance once per person and session, a headcount set or corrected. Everything is
 * checked first and written in a few bulk statements in one transaction, so a large sheet neither
 * half-lands nor holds the database for long. `attendances` is what the sheet added to 延べ.
 */
export async function importSignInSheet(database: Database, hashKey: string, activity: Activity, rows: Row[]) {
  const groups = new Map<string, { first: Row; codes: Set<string>; counts: Row[] }>();
  for (const row of rows) {
    const key = sessionKey(row);
    const group = groups.get(key) ?? { first: row, codes: new Set<string>(), counts: [] };
    if (row.code) group.codes.add(attendanceKey(hashKey, activity, row.code));
    else group.counts.push(row);
    groups.set(key, group);
  }
  const where = (g: { first: Row }) => `${g.first.heldOn} ${g.first.site ?? ''} ${g.first.theme ?? ''}`.trim();
  for (const g of groups.values()) {
    if (g.counts.length > 1) {
      throw importProblem(`Lines ${g.counts.map((r) => r.line).join(', ')} give two headcounts for one session.`, `${g.counts.map((r) => r.line).join('・')}行目：同じ回（${where(g)}）の「人数」が2行あります。1回に1行にしてください。`);
    }
    if (g.counts.length && g.codes.size) {
      throw importProblem(`Line ${g.counts[0].line}: a session is recorded either by codes or by a headcount.`, `${g.counts[0].line}行目：同じ回（${where(g)}）に「参加者コード」と「人数」の両方があります。回ごとにどちらか一方にしてください。`);
    }
  }

  return database.db.transaction(async (tx) => {
    const existing = await tx
      .select({ id: activitySessions.id, heldOn: activitySessions.heldOn, site: activitySessions.site, theme: activitySessions.theme, headcount: activitySessions.headcount, present: sql<number>`(select count(*)::int from ${attendances} where ${attendances.sessionId} = ${activitySessions.id})` })
      .from(activitySessions)
      .where(eq(activitySessions.activityId, activity.id));
    const byKey = new Map(existing.map((s) => [sessionKey(s), s]));
    for (const g of groups.values()) {
      const found = byKey.get(sessionKey(g.first));
      if (found && found.headcount !== null && g.codes.size) {
        throw importProblem('A session recorded by headcount cannot take codes.', `${where(g)} の回は人数だけで記録されています。参加者コードは加えられません。`);
      }
      if (found && found.present > 0 && g.counts.length) {
        throw importProblem('A session recorded by codes cannot take a headcount.', `${where(g)} の回は参加者コードで記録されています。「人数」は加えられません。`);
      }
    }
    const fresh = [...groups.entries()].filter(([key]) => !byKey.has(key));
    for (let i = 0; i < fresh.length; i += 1000) {
      const created = await tx
        .insert(activitySessions)
        .values(fresh.slice(i, i + 1000).map(([, g]) => ({ organisationId: activity.organisationId, activityId: activity.id, heldOn: g.first.heldOn, site: g.first.site, theme: g.first.theme })))
        .returning({ id: activitySessions.id, heldOn: activitySessions.heldOn, site: activitySessions.site, theme: activitySessions.theme });
      for (const s of created) byKey.set(sessionKey(s), { ...s, headcount: null, present: 0 });
    }
    let added = 0;
    const present = [...groups.entries()].flatMap(([key, g]) => [...g.codes].map((participantKeyHash) => ({ sessionId: byKey.get(key)!.id, organisationId: activity.organisationId, participantKeyHash })));
    for (let i = 0; i < present.length; i += 5000) {
      added += (await tx.insert(attendances).values(present.slice(i, i + 5000)).onConflictDoNothing().returning({ sessionId: attendances.sessionId })).length;
    }
    for (const [key, g] of groups) {
      const row = g.counts[0];
      if (!row) continue;
      const session = byKey.get(key)!;
      const status = row.newcomers !== null || row.returning !== null ? { status: { new: row.newcomers ?? 0, repeat: row.returning ?? 0 } } : null;
      if (session.headcount === row.headcount && !status) continue;
      await tx.update(activitySessions).set({ headcount: row.headcount, ...(status ? { breakdown: status } : {}) }).where(eq(activitySessions.id, session.id));
      added += (row.headcount ?? 0) - (session.headcount ?? 0);
    }
    return { sessions: groups.size, newSessions: fresh.length, attendances: added };
  });
}
