import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { beforeAll, expect, it } from 'vitest';
import { scoreInstrument } from '../../analysis/scoreInstrument.js';
import { ScaleDefinitionSchema } from '../../analysis/scoringSchema.js';
import { questionnaireVersions, responses, waves } from '../../src/db/schema.js';
import { codebook } from '../../src/questionnaires/codebook.js';
import { responseBatches } from '../../src/results/responseBatches.js';
import { codebookSheet } from '../../src/results/sheets.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

/** Issue 12: the raw download ready for Excel — submission order, Japan time, Japanese headers, scores, frame. */
const CITIES = ['西区', '東区'];

function answersOf(i: number): Record<string, unknown> {
  const a: Record<string, unknown> = {
    ucla3_companionship: 1 + (i % 4),
    ucla3_left_out: 1 + ((i * 3) % 4),
    profile_gender: ['female', 'male'][i % 2],
  };
  if (i % 3 !== 0) a.ucla3_isolated = 1 + ((i * 7) % 4); // every third skips it: partial, no score
  return a;
}

/** Submission times, not in the order the rows were stored nor in id order; two share one instant. */
const TIMES = ['2026-11-30T05:05:00Z', '2026-11-29T23:30:15Z', '2026-12-01T00:00:00Z', '2026-11-29T23:30:15Z', '2026-11-30T01:00:00Z', '2026-11-28T10:00:00Z'];

describeEachDatabase('raw responses download, ready for Excel', (kind) => {
  const t = useTestApp(kind);
  let waveId: string;
  /** Idempotency keys in the order the export must give them: by time, then by id. */
  let expected: { id: string; key: string; at: Date; answers: Record<string, unknown>; unit: string | null; status: string }[];
  let scales: ReturnType<typeof ScaleDefinitionSchema.parse>[];
  let entries: ReturnType<typeof codebook>;

  beforeAll(async () => {
    const opened = await openWave(t, ['ucla3-national', 'profile']);
    waveId = opened.waveId;
    const units = [0, 1, 2, 3].map((i) => ({ unitId: `u${i}`, attributes: { city: CITIES[i % 2], 年代: i < 2 ? '70代' : '80代' } }));
    expect((await t.staff('POST', `/api/waves/${waveId}/frame`, { units })).status).toBe(201);
    const stored: { key: string; answers: Record<string, unknown>; unit: string | null; status: string }[] = [];
    for (let i = 0; i < 4; i++) {
      const status = i % 3 === 0 ? 'partial' : 'complete';
      const res = await t.staff('POST', `/api/waves/${waveId}/responses`, { idempotencyKey: `export-${i}`, mode: 'paper', unitId: `u${i}`, answers: answersOf(i), status });
      expect(res.status, await res.clone().text()).toBe(201);
      stored.push({ key: `export-${i}`, answers: answersOf(i), unit: `u${i}`, status });
    }
    for (const i of [4, 5]) {
      const status = i % 3 === 0 ? 'partial' : 'complete';
      const res = await t.request(`/api/public/s/${opened.slug}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ idempotencyKey: `export-open-${i}`, answers: answersOf(i), status }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      stored.push({ key: `export-open-${i}`, answers: answersOf(i), unit: null, status });
    }
    const rows = await t.database.db.select({ id: responses.id, key: responses.idempotencyKey }).from(responses).where(eq(responses.waveId, waveId));
    const idOf = new Map(rows.map((r) => [r.key, r.id]));
    for (const [i, s] of stored.entries()) {
      await t.database.db.update(responses).set({ submittedAt: new Date(TIMES[i]) }).where(eq(responses.id, idOf.get(s.key)!));
    }
    expected = stored
      .map((s, i) => ({ ...s, id: idOf.get(s.key)!, at: new Date(TIMES[i]) }))
      .sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const [{ version }] = await t.database.db
      .select({ version: questionnaireVersions })
      .from(waves)
      .innerJoin(questionnaireVersions, eq(questionnaireVersions.id, waves.versionId))
      .where(eq(waves.id, waveId));
    scales = version.scoring.map((s) => ScaleDefinitionSchema.parse(s));
    entries = codebook(version);
    expect(scales.map((s) => s.id)).toContain('ucla3_national');
  });

  const csvOf = async () => {
    const res = await t.staff('GET', `/api/waves/${waveId}/responses?format=csv`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const [titles, names, ...rows] = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: false }) as string[][];
    return { titles, names, rows: rows.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i]]))) };
  };
  const xlsxOf = async () => {
    const res = await t.staff('GET', `/api/waves/${waveId}/responses?format=xlsx`);
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    return book;
  };

  it('lists responses in the order they were submitted (time, then id), in every format', async () => {
    const csv = await csvOf();
    expect(csv.rows.map((r) => r.response_id)).toEqual(expected.map((e) => e.id));
    const sheet = (await xlsxOf()).getWorksheet('回答 responses')!;
    const ids = sheet.getColumn(1).values.slice(3);
    expect(ids).toEqual(expected.map((e) => e.id));
    const json = await (await t.staff('GET', `/api/waves/${waveId}/responses?format=json`)).json();
    expect(json.responses.map((r: { id: string }) => r.id)).toEqual(expected.map((e) => e.id));
    expect(json.responses.map((r: { submittedAt: string }) => r.submittedAt)).toEqual(expected.map((e) => e.at.toISOString())); // JSON stays ISO (UTC)
  });

  it('pages through the order exactly once, across ties and microsecond times', async () => {
    // Three more share one instant with microseconds, which a JavaScript Date cannot hold.
    await t.database.db.execute(sql`update responses set submitted_at = '2026-11-29 12:00:00.123456+00' where wave_id = ${waveId} and idempotency_key in ('export-0', 'export-2', 'export-open-5')`);
    const order = (await t.database.rows<{ id: string }>(sql`select id from responses where wave_id = ${waveId} order by submitted_at, id`)).map((r) => r.id);
    for (const size of [1, 2, 4]) {
      const seen: string[] = [];
      for await (const batch of responseBatches(t.database, waveId, size)) seen.push(...batch.map((r) => r.id));
      expect(seen, `batches of ${size}`).toEqual(order);
    }
    for (const e of expected) await t.database.db.update(responses).set({ submittedAt: e.at }).where(eq(responses.id, e.id));
  });

  it('gives times in Japan time: "2026/11/30 14:05:00" text in CSV, Excel date cells in XLSX', async () => {
    const csv = await csvOf();
    const first = expected.find((e) => e.key === 'export-0')!; // 05:05 UTC = 14:05 in Japan
    expect(csv.rows.find((r) => r.response_id === first.id)!.submitted_at).toBe('2026/11/30 14:05:00');
    expect(csv.rows.map((r) => r.submitted_at)).toEqual(
      expected.map((e) => new Date(e.at.getTime() + 9 * 3600_000).toISOString().replace('T', ' ').slice(0, 19).replace(/-/g, '/')),
    );

    const sheet = (await xlsxOf()).getWorksheet('回答 responses')!;
    const at = (sheet.getRow(2).values as string[]).indexOf('submitted_at');
    const cell = sheet.getRow(3 + expected.indexOf(first)).getCell(at);
    expect(cell.type).toBe(ExcelJS.ValueType.Date);
    expect(cell.numFmt).toBe('yyyy/mm/dd hh:mm:ss');
    // Excel has no zones: the serial is the wall-clock time in Japan, read back by exceljs as that time in UTC.
    expect((cell.value as Date).toISOString()).toBe('2026-11-30T14:05:00.000Z');
  });

  it('heads each column with the question text and keeps the variable names in the row below; status and mode in Japanese', async () => {
    const csv = await csvOf();
    const book = await xlsxOf();
    const sheet = book.getWorksheet('回答 responses')!;
    const titles = (sheet.getRow(1).values as string[]).slice(1);
    const names = (sheet.getRow(2).values as string[]).slice(1);
    expect(titles).toEqual(csv.titles);
    expect(names).toEqual(csv.names);
    expect(names.slice(0, 6)).toEqual(['response_id', 'submitted_at', 'status', 'mode', 'entered_by', 'unit_id']);
    expect(titles.slice(0, 6)).toEqual(['回答ID', '回答日時（日本時間）', '回答状況', '回答方法', '入力者', '対象者番号']);
    const gender = entries.find((e) => e.name === 'profile_gender')!;
    expect(gender.title).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    expect(titles[names.indexOf('profile_gender_label')]).toBe(gender.title);
    expect(titles[names.indexOf('profile_gender')]).toBe(`${gender.title}（コード）`);
    for (const e of entries) expect(names, e.name).toContain(e.name);

    const byId = new Map(csv.rows.map((r) => [r.response_id, r]));
    for (const e of expected) {
      const row = byId.get(e.id)!;
      expect(row.status).toBe(e.status === 'complete' ? '回答完了' : '途中まで');
      expect(row.mode).toBe(e.unit ? '紙' : 'ウェブ');
      expect(row.profile_gender).toBe(String(e.answers.profile_gender));
      expect(row.profile_gender_label).toBe(gender.categories.find((c) => c.code === e.answers.profile_gender)!.label);
    }
    expect(csv.rows.find((r) => r.unit_id === 'u0')!.entered_by).not.toBe('');

    // Frozen header rows, a filter on the variable names, widths that fit Japanese text, and codes in the codebook.
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(sheet.autoFilter).toBe(`A2:${sheet.getColumn(names.length).letter}${2 + expected.length}`);
    expect(sheet.getColumn(names.indexOf('status') + 1).width).toBeGreaterThanOrEqual('回答状況'.length * 2);
    expect(sheet.getColumn(names.indexOf('submitted_at') + 1).width).toBeGreaterThanOrEqual('2026/11/30 14:05:00'.length);
    const codebookRows = book.getWorksheet(codebookSheet([]).name)!.getSheetValues().map((r) => (Array.isArray(r) ? r.slice(1) : r));
    expect(codebookRows).toContainEqual(['profile_gender', gender.title, gender.type, 'female', gender.categories.find((c) => c.code === 'female')!.label]);
    expect(codebookRows).toContainEqual(['status', '回答状況', 'export', 'partial', '途中まで']);
  });

  it("adds each scale's score and band per respondent, as scoreInstrument gives them, after the answers", async () => {
    const csv = await csvOf();
    const sheet = (await xlsxOf()).getWorksheet('回答 responses')!;
    const names = (sheet.getRow(2).values as string[]).slice(1);
    const lastAnswer = Math.max(...entries.map((e) => names.lastIndexOf(`${e.name}_label`)), ...entries.map((e) => names.indexOf(e.name)));
    let scored = 0;
    for (const scale of scales) {
      const at = names.indexOf(`${scale.id}_score`);
      expect(at).toBeGreaterThan(lastAnswer);
      expect(names[at + 1]).toBe(`${scale.id}_band`);
      expect((sheet.getRow(1).values as string[])[at + 1]).toContain(scale.label.ja);
      for (const [i, e] of expected.entries()) {
        const result = scoreInstrument(scale, e.answers);
        const row = sheet.getRow(3 + i);
        expect(row.getCell(at + 1).value ?? null, `${scale.id} of ${e.key}`).toBe(result.score);
        expect(row.getCell(at + 2).value ?? null).toBe(result.band?.label.ja ?? null);
        expect(csv.rows[i][`${scale.id}_score`]).toBe(result.score === null ? '' : String(result.score));
        expect(csv.rows[i][`${scale.id}_band`]).toBe(result.band?.label.ja ?? '');
        if (result.score !== null) scored++;
      }
    }
    expect(scored).toBeGreaterThan(0);
    expect(expected.some((e) => scoreInstrument(scales[0], e.answers).score === null)).toBe(true); // a partial return has no score
  });

  it('joins the frame: unit id and one column per attribute, empty for open-link respondents', async () => {
    const csv = await csvOf();
    expect(csv.names).toEqual(expect.arrayContaining(['unit_id', 'frame.city', 'frame.年代']));
    expect(csv.titles[csv.names.indexOf('frame.city')]).toBe('属性：city');
    for (const [i, e] of expected.entries()) {
      const row = csv.rows[i];
      const n = e.unit ? Number(e.unit.slice(1)) : null;
      expect(row.unit_id).toBe(e.unit ?? '');
      expect(row['frame.city']).toBe(n === null ? '' : CITIES[n % 2]);
      expect(row['frame.年代']).toBe(n === null ? '' : n < 2 ? '70代' : '80代');
    }
    const json = await (await t.staff('GET', `/api/waves/${waveId}/responses?format=json`)).json();
    const open = json.responses.find((r: { unitId: string | null }) => r.unitId === null);
    expect(open.attributes).toBeNull();
    expect(json.responses.find((r: { unitId: string | null }) => r.unitId === 'u1').attributes).toEqual({ city: '東区', 年代: '70代' });
  });
});
