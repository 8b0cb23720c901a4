import { writeFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { questionnaireVersions, waves } from '../../src/db/schema.js';
import { codebook } from '../../src/questionnaires/codebook.js';
import { waveSummary, type SummaryChoice } from '../../src/results/waveSummary.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp, type TestApp } from '../helpers/testApp.js';

const CITIES = ['西区', '東区', '中央区']; // frame order; character-code order would be 中央区, 東区, 西区

/** Answers of invited unit i: a deterministic spread over the UCLA 3 items, gender and age band, some skipped. */
function answersOf(i: number): Record<string, unknown> {
  const a: Record<string, unknown> = {
    ucla3_companionship: 1 + (i % 4),
    ucla3_left_out: 1 + ((i * 3) % 4),
    profile_gender: ['female', 'male', 'female', 'no_answer'][i % 4],
    profile_age_band: ['65_69', '70_74', '20_29'][i % 3],
  };
  if (i % 5 !== 0) a.ucla3_isolated = 1 + ((i * 7) % 4); // every fifth skips it: no score
  if (i % 6 === 0) a.profile_area = `自由記述 ${i}`;
  return a;
}

// Scale items are required: a return that skips one is kept as partial (see the summary's `include`).
const statusOf = (i: number) => (i % 5 === 0 ? 'partial' : 'complete');

async function setUp(t: TestApp) {
  const { waveId, slug } = await openWave(t, ['ucla3-national', 'profile']);
  const units = Array.from({ length: 30 }, (_, i) => ({ unitId: `u${i}`, attributes: { city: CITIES[i % 3] } }));
  expect((await t.staff('POST', `/api/waves/${waveId}/frame`, { units })).status).toBe(201);
  for (let i = 0; i < 24; i++) {
    const res = await t.staff('POST', `/api/waves/${waveId}/responses`, { idempotencyKey: `summary-${i}`, mode: 'paper', unitId: `u${i}`, answers: answersOf(i), status: statusOf(i) });
    expect(res.status, await res.clone().text()).toBe(201);
  }
  // Two open-link respondents: outside the frame, never counted as a city's no-answer.
  for (const i of [100, 101]) {
    const res = await t.request(`/api/public/s/${slug}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idempotencyKey: `open-${i}`, answers: answersOf(i), status: statusOf(i), startedAt: new Date().toISOString() }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
  }
  return waveId;
}

async function summarise(t: TestApp, waveId: string, choice: Partial<SummaryChoice> = {}) {
  const [{ version }] = await t.database.db
    .select({ version: questionnaireVersions })
    .from(waves)
    .innerJoin(questionnaireVersions, eq(questionnaireVersions.id, waves.versionId))
    .where(eq(waves.id, waveId));
  return waveSummary(t.database, { id: waveId }, codebook(version), version.scoring, { statuses: ['complete', 'partial'], texts: 10, ...choice });
}

describeEachDatabase('wave summary (単純集計)', (kind) => {
  const t = useTestApp(kind);
  let waveId: string;
  const all = [...Array.from({ length: 24 }, (_, i) => answersOf(i)), answersOf(100), answersOf(101)];

  it('counts every question at once, with 無回答 and % of respondents', async () => {
    waveId = await setUp(t);
    const s = await summarise(t, waveId);
    expect(s.groups).toEqual([{ code: null, label: '全体', n: 26 }]);
    const isolated = s.questions.find((q) => q.name === 'ucla3_isolated')!;
    if (isolated.kind !== 'choice') throw new Error('choice expected');
    const expected = [1, 2, 3, 4].map((v) => all.filter((a) => a.ucla3_isolated === v).length);
    const table = isolated.groups[0];
    expect(table.lines.map((l) => l.count)).toEqual([...expected, all.filter((a) => a.ucla3_isolated === undefined).length]);
    expect(table.lines.at(-1)).toMatchObject({ code: null, label: '無回答' });
    expect(table.lines[0].percent).toBeCloseTo((expected[0] / 26) * 100, 1);
    const area = s.questions.find((q) => q.name === 'profile_area')!;
    if (area.kind !== 'text') throw new Error('text expected');
    expect(area.groups[0].answered).toBe(all.filter((a) => a.profile_area).length);
    expect(area.texts.map((x) => x.text).sort()).toEqual(all.flatMap((a) => (a.profile_area ? [a.profile_area] : [])).sort());
  });

  it('a unit uploaded again is refused in Japanese, naming it, and nothing is added', async () => {
    const again = await t.staff('POST', `/api/waves/${waveId}/frame`, { units: [{ unitId: 'u3' }, { unitId: 'new-1' }] });
    expect(again.status).toBe(409);
    expect((await again.json()).detail_ja).toContain('u3');
    const rates = await (await t.staff('GET', `/api/waves/${waveId}/rates`)).json();
    expect(rates.overall.counts.frame).toBe(30);
  });

  it('counts only completed returns unless told otherwise', async () => {
    const s = await summarise(t, waveId, { statuses: ['complete'] });
    expect(s.groups[0].n).toBe(all.filter((a) => a.ucla3_isolated !== undefined).length);
  });

  it('scores each instrument with its own rule: distribution, bands and the unscorable', async () => {
    const s = await summarise(t, waveId);
    const [score] = s.scores[0].groups;
    const totals = all.filter((a) => a.ucla3_isolated !== undefined).map((a) => Number(a.ucla3_companionship) + Number(a.ucla3_left_out) + Number(a.ucla3_isolated));
    expect(score.n).toBe(totals.length);
    expect(score.unscorable).toBe(all.length - totals.length);
    expect(score.mean).toBeCloseTo(totals.reduce((x, y) => x + y, 0) / totals.length, 10);
    expect(score.scores.reduce((x, v) => x + v.count, 0)).toBe(totals.length);
  });

  it('breaks every table down by a frame attribute in frame order, open-link respondents apart', async () => {
    const s = await summarise(t, waveId, { by: 'frame.city' });
    expect(s.groups.map((g) => [g.label, g.n])).toEqual([
      ['全体', 26],
      ['西区', 8],
      ['東区', 8],
      ['中央区', 8],
      ['名簿外（公開リンク等）', 2],
    ]);
    const gender = s.questions.find((q) => q.name === 'profile_gender')!;
    if (gender.kind !== 'choice') throw new Error('choice expected');
    const west = Array.from({ length: 24 }, (_, i) => i).filter((i) => i % 3 === 0).map(answersOf);
    expect(gender.groups[1].lines[0].count).toBe(west.filter((a) => a.profile_gender === 'female').length);
  });

  it('rates list strata in frame order with every disposition, open-link respondents beside them', async () => {
    expect((await t.staff('POST', `/api/waves/${waveId}/frame/dispositions`, { unitIds: ['u29'], disposition: 'refused' })).status).toBe(200);
    const rates = await (await t.staff('GET', `/api/waves/${waveId}/rates?by=city`)).json();
    expect(rates.groups.map((g: { group: { city: string } }) => g.group.city)).toEqual(CITIES);
    expect(rates.overall.counts).toMatchObject({ frame: 30, complete: 19, partial: 5, refusal: 1, pending: 5 });
    expect(rates.openLink).toEqual({ complete: 1, partial: 1 }); // answersOf(100) skips a scale item: partial
    const csv = await (await t.staff('GET', `/api/waves/${waveId}/rates?by=city&format=csv`)).text();
    expect(csv).toContain('拒否 (refused)');
    expect(csv.split('\r\n').findIndex((l) => l.startsWith('西区'))).toBeLessThan(csv.split('\r\n').findIndex((l) => l.startsWith('中央区')));
  });

  it('a cross-tab by a frame attribute has its columns in frame order and open-link respondents in their own column', async () => {
    const res = await (await t.staff('GET', `/api/waves/${waveId}/crosstab?row=profile_gender&col=frame.city&include=all`)).json();
    expect(res.table.cols.map((c: { label: string }) => c.label)).toEqual([...CITIES, '名簿外（公開リンク等）']);
    expect(res.table.colTotals.at(-1)).toBe(2);
    expect(res.table.cols.some((c: { noAnswer: boolean }) => c.noAnswer)).toBe(false);
  });

  it('filters to a subgroup by an answer or an attribute', async () => {
    const women = await summarise(t, waveId, { filter: 'profile_gender=female' });
    expect(women.groups[0].n).toBe(all.filter((a) => a.profile_gender === 'female').length);
    expect(women.filter).toMatchObject({ variable: 'profile_gender', code: 'female' });
    const east = await summarise(t, waveId, { filter: 'frame.city=東区' });
    expect(east.groups[0].n).toBe(8);
  });

  it('downloads the same tables as CSV and XLSX, free text only as a count', async () => {
    const json = await (await t.staff('GET', `/api/waves/${waveId}/summary?by=frame.city&include=all`)).json();
    const gender = json.questions.find((q: { name: string }) => q.name === 'profile_gender');
    const csv = await (await t.staff('GET', `/api/waves/${waveId}/summary?by=frame.city&include=all&format=csv`)).text();
    const lines = csv.split('\r\n');
    const at = lines.findIndex((l) => l.includes(gender.title));
    expect(lines[at + 1].split(',').slice(0, 3)).toEqual(['属性', 'n', gender.groups[0].lines[0].label]);
    const west = lines.slice(at).find((l) => l.startsWith('西区,'))!.split(',');
    expect(Number(west[1])).toBe(gender.groups[1].n);
    expect(west[2]).toBe(gender.groups[1].lines[0].percent.toFixed(1));
    expect(csv).not.toContain('自由記述 6');
    const xlsx = await t.staff('GET', `/api/waves/${waveId}/summary?format=xlsx`);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    if (process.env.SHOT_DIR) writeFileSync(`${process.env.SHOT_DIR}/summary-${kind}.xlsx`, Buffer.from(await xlsx.arrayBuffer()));
  });

  it('refuses an unknown variable with a Japanese message', async () => {
    const crosstab = await t.staff('GET', `/api/waves/${waveId}/crosstab?row=no_such_question`);
    expect(crosstab.status).toBe(400);
    expect((await crosstab.json()).detail_ja).toContain('no_such_question');
    await expect(summarise(t, waveId, { by: 'no_such_question' })).rejects.toMatchObject({ body: { status: 400, detail_ja: expect.stringContaining('no_such_question') } });
    await expect(summarise(t, waveId, { filter: 'profile_gender=zzz' })).rejects.toMatchObject({ body: { status: 400 } });
  });
});
