import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { questionnaireVersions, waves } from '../../src/db/schema.js';
import { responseTable, type ResponseTable } from '../../src/results/responseTable.js';
import { responsesXlsx, ROWS_PER_SHEET } from '../../src/results/responsesXlsx.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

/**
 * Issue 16: past Excel's 1,048,576 rows a sheet the responses go on in a second sheet with the same two
 * header rows, and the notes say so. Shown with a limit of 2 rows a sheet rather than a million rows.
 */
describeEachDatabase('raw responses XLSX past the row limit of a sheet', (kind) => {
  const t = useTestApp(kind);
  let table: ResponseTable;
  let ids: string[];

  beforeAll(async () => {
    const opened = await openWave(t, ['profile']);
    for (let i = 0; i < 5; i++) {
      const res = await t.request(`/api/public/s/${opened.slug}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ idempotencyKey: `sheet-row-${i}`, answers: { profile_gender: i % 2 ? 'male' : 'female' }, status: 'complete' }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
    }
    const [{ version }] = await t.database.db
      .select({ version: questionnaireVersions })
      .from(waves)
      .innerJoin(questionnaireVersions, eq(questionnaireVersions.id, waves.versionId))
      .where(eq(waves.id, opened.waveId));
    table = await responseTable(t.database, opened.waveId, version);
    const json = await (await t.staff('GET', `/api/waves/${opened.waveId}/responses?format=json`)).json();
    ids = json.responses.map((r: { id: string }) => r.id);
  });

  const bookOf = async (rowsPerSheet?: number) => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await new Response(responsesXlsx(t.database, table, () => {}, rowsPerSheet)).arrayBuffer());
    return book;
  };
  const values = (sheet: ExcelJS.Worksheet) => sheet.getSheetValues().slice(1).map((r) => (Array.isArray(r) ? r.slice(1) : r));

  it('continues on further sheets with the same headers, in order, and says so in the notes', async () => {
    const book = await bookOf(2);
    const sheets = ['回答 responses', '回答 responses (2)', '回答 responses (3)'].map((name) => book.getWorksheet(name)!);
    expect(sheets.every(Boolean)).toBe(true);
    const headers = values(sheets[0]).slice(0, 2) as string[][];
    expect((headers[1] as string[]).slice(0, 2)).toEqual(['response_id', 'submitted_at']);
    for (const sheet of sheets) {
      expect(values(sheet).slice(0, 2)).toEqual(headers);
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    }
    expect(sheets.map((s) => values(s).slice(2).map((r) => (r as string[])[0]))).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
    expect(sheets[2].autoFilter).toBe(`A2:${sheets[2].getColumn(headers[1].length).letter}3`);
    const notes = values(book.getWorksheet('注記 notes')!).flat().join('\n');
    expect(notes).toContain('回答は 3 シートに分かれています');
    expect(notes).toContain('5 件の回答');
  });

  it("keeps one sheet up to Excel's limit", async () => {
    expect(ROWS_PER_SHEET + 2).toBe(1_048_576);
    const book = await bookOf();
    expect(book.getWorksheet('回答 responses (2)')).toBeUndefined();
    expect(values(book.getWorksheet('回答 responses')!).slice(2).map((r) => (r as string[])[0])).toEqual(ids);
    expect(values(book.getWorksheet('注記 notes')!).flat().join('\n')).not.toContain('シートに分かれています');
  });
});
