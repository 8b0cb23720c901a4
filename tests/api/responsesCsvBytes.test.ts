import { eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { ScaleDefinitionSchema } from '../../analysis/scoringSchema.js';
import { invitations, questionnaireVersions, responses, users, waves } from '../../src/db/schema.js';
import { codebook, type CodebookEntry } from '../../src/questionnaires/codebook.js';
import { listTemplates } from '../../src/questionnaires/templateLibrary.js';
import { BOM, csvLine } from '../../src/results/csv.js';
import { csvCells, UNSURE } from '../../src/results/csvCells.js';
import { responseBatches } from '../../src/results/responseBatches.js';
import { responsesCsv } from '../../src/results/responsesCsv.js';
import { responseColumns, type ResponseTable } from '../../src/results/responseTable.js';
import { japanClock } from '../../src/web/japanTime.js';
import { seeded } from '../helpers/questionnaireArbitraries.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

/**
 * Issue 16: the database now writes the CSV's lines. Every byte must stay what the JavaScript formatter
 * wrote before (csvLine over responseColumns, kept here as the reference), for every kind of column and
 * every awkward value: frame attributes, matrices, multiple choice, spoiled answers, every shipped scale's
 * scores, formula-like text, Japanese, quotes and line breaks, and values SQL would print otherwise.
 */
const AWKWARD: unknown[] = [
  '=SUM(A1:A9)', '+81', '-5', '@home', '\tタブ', '\r改行', 'カンマ, と "引用符"', '一行目\n二行目', 'さびしい', '', ' ',
  -1, 0, 3, 2.5, 0.000001, 123456789012345, true, false, null,
];
/** Values SQL might print otherwise than JavaScript: rows holding one are written by JavaScript. */
const UNSURE_VALUES: unknown[] = [1e-7, 1e21, 123456789012345678, ['a', 1], { x: 1 }, '\u0001'];
const ATTRIBUTES = ['city', '年代'];

/** The download as it was written before the database wrote the lines. */
async function reference(t: { database: Parameters<typeof responseBatches>[0] }, table: ResponseTable): Promise<string> {
  let out = BOM + csvLine(table.columns.map((c) => c.title)) + csvLine(table.columns.map((c) => c.name));
  for await (const batch of responseBatches(t.database, table.waveId)) {
    for (const row of batch) out += csvLine(table.columns.map((c) => (c.time && c.value(row) instanceof Date ? japanClock(c.value(row) as Date) : c.value(row))));
  }
  return out;
}

async function download(t: { database: Parameters<typeof responseBatches>[0] }, table: ResponseTable, pageSize?: number): Promise<string> {
  let out = '';
  for await (const chunk of responsesCsv(t.database, table, pageSize)) out += chunk;
  return out;
}

/** A value an answer of this shape may hold: usually a proper one, sometimes anything at all. */
function answerFor(entry: CodebookEntry, rng: ReturnType<typeof seeded>, unsure: boolean): unknown {
  if (unsure && rng.chance(0.1)) return rng.pick(UNSURE_VALUES);
  if (rng.chance(0.25)) return rng.pick(AWKWARD);
  const code = () => {
    const c = rng.pick(entry.categories.length ? entry.categories : [{ code: 'x', label: 'x' }]).code;
    return /^-?\d+$/.test(c) && rng.chance(0.7) ? Number(c) : c;
  };
  switch (entry.shape) {
    case 'single':
      return code();
    case 'multiple':
      return Array.from({ length: rng.int(0, 3) }, code);
    case 'matrix':
      return Object.fromEntries(entry.rows.filter(() => rng.chance(0.8)).map((r) => [r.code, rng.chance(0.2) ? rng.pick(AWKWARD) : code()]));
    case 'number':
      return rng.int(-3, 120);
    default:
      return rng.pick(['はい、そうです', '特になし', '"引用"', '=1+1', 'two\nlines']);
  }
}

describeEachDatabase('raw responses CSV written by the database', (kind) => {
  const t = useTestApp(kind);
  let table: ResponseTable;

  beforeAll(async () => {
    const templateIds = listTemplates().map((tpl) => tpl.id);
    const opened = await openWave(t, templateIds);
    const units = Array.from({ length: 30 }, (_, i) => ({ unitId: i === 3 ? '=u3' : `u${i}`, attributes: { city: ['西区', '東区', '-北区', 'a,b'][i % 4], 年代: `${70 + (i % 3) * 10}代` } }));
    expect((await t.staff('POST', `/api/waves/${opened.waveId}/frame`, { units })).status).toBe(201);
    const [{ version, wave }] = await t.database.db
      .select({ version: questionnaireVersions, wave: waves })
      .from(waves)
      .innerJoin(questionnaireVersions, eq(questionnaireVersions.id, waves.versionId))
      .where(eq(waves.id, opened.waveId));
    // Shapes no shipped template has are added by hand: the download follows the codebook, whatever it holds.
    const matrix: CodebookEntry = { name: 'extra_matrix', title: '行列の質問', type: 'matrix', shape: 'matrix', categories: [{ code: '1', label: 'はい' }, { code: '2', label: '=いいえ' }], rows: [{ code: 'r1', label: '一' }, { code: '0', label: '二' }] };
    const other: CodebookEntry = { name: 'extra_other', title: 'その他の形', type: 'ranking', shape: 'other', categories: [], rows: [] };
    const number: CodebookEntry = { name: 'extra_number', title: '人数', type: 'text', shape: 'number', categories: [], rows: [] };
    const entries = [...codebook(version), matrix, other, number];
    const scales = version.scoring.map((s) => ScaleDefinitionSchema.parse(s));
    expect(scales.length).toBeGreaterThanOrEqual(5);
    expect(new Set(entries.map((e) => e.shape))).toEqual(new Set(['single', 'multiple', 'matrix', 'text', 'number', 'other']));
    table = { waveId: wave.id, entries, scales, attributes: ATTRIBUTES, columns: responseColumns(entries, scales, ATTRIBUTES) };

    const frame = await t.database.db.select({ id: invitations.id }).from(invitations).where(eq(invitations.waveId, wave.id));
    const [staff] = await t.database.db.select({ id: users.id }).from(users).limit(1);
    const rng = seeded(16);
    const rows = Array.from({ length: 60 }, (_, i) => {
      const data: Record<string, unknown> = {};
      for (const e of entries) if (rng.chance(0.85)) data[e.name] = answerFor(e, rng, i % 10 === 5);
      // Scale items answered in range most of the time, so that scores exist.
      for (const s of scales) for (const item of s.items) if (rng.chance(0.6)) data[item.question] = rng.int(s.answerValues?.min ?? 1, s.answerValues?.max ?? 4);
      return {
        organisationId: wave.organisationId,
        waveId: wave.id,
        versionId: version.id,
        invitationId: i < frame.length ? frame[i].id : null,
        data,
        status: rng.pick(['complete', 'partial'] as const),
        mode: rng.pick(['web', 'paper', 'mail', 'interview'] as const),
        idempotencyKey: `bytes-${i}`,
        enteredBy: rng.chance(0.5) ? staff.id : null,
        spoiled: entries.filter(() => rng.chance(0.05)).map((e) => e.name),
        submittedAt: new Date(Date.UTC(2026, 10, 1 + (i % 7), i % 24, i % 60, i % 3 === 0 ? 0 : 59, 999)),
      };
    });
    await t.database.db.insert(responses).values(rows);
    // Values only SQL can store: numbers JavaScript would print otherwise, an attribute that is a number.
    await t.database.db.execute(sql`update responses set data = data || '{"extra_other": 1.50, "profile_age_band": 2.0}' where wave_id = ${wave.id} and idempotency_key = 'bytes-1'`);
    await t.database.db.execute(sql`update invitations set attributes = attributes || '{"city": 12, "年代": 0.000001}' where id = ${frame[2].id}`);
  });

  it('writes the same bytes as the JavaScript formatter, across pages', async () => {
    const before = await reference(t, table);
    expect(before.split('\r\n').length).toBeGreaterThan(60);
    expect(before).toContain("'=SUM(A1:A9)");
    expect(before).toContain('"一行目\n二行目"');
    expect(before).toContain(',判読不能,');
    for (const pageSize of [7, 10_000]) expect(await download(t, table, pageSize), `pages of ${pageSize}`).toBe(before);
    // Most lines came from the database; the few with values it might print otherwise, from JavaScript.
    const lines = await t.database.rows<Record<string, string | null>>(sql`${csvCells(table, sql`r.wave_id = ${table.waveId}`)}`);
    const unsure = lines.filter((l) => Object.values(l).some((v) => typeof v === 'string' && v.includes(UNSURE))).length;
    expect(lines.length).toBe(60);
    expect(unsure).toBeGreaterThanOrEqual(3);
    expect(unsure).toBeLessThanOrEqual(20);
  });
});
