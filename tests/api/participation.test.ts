import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { activitySessions, attendances, auditEvents, invitations } from '../../src/db/schema.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp } from '../helpers/testApp.js';
import { bearer, login, makeOrganisation } from './accountsHelpers.js';

const day = (start: string, offset: number) => new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

describeEachDatabase('participation: activities, sessions, attendance, indicators and targets', (kind) => {
  const t = useTestApp(kind);
  const json = async (res: Response) => ({ status: res.status, body: await res.json() });
  const activity = async (name: string) => (await json(await t.staff('POST', '/api/activities', { name }))).body.id as string;
  const importCsv = (id: string, csv: string) => t.staff('POST', `/api/activities/${id}/attendance`, csv, { 'content-type': 'text/csv' });
  const indicators = async (id: string, query = '') => (await json(await t.staff('GET', `/api/activities/${id}/indicators${query}`))).body;

  it('Kanuma targets table from raw records: 居場所 124 days / 延べ 60 against 120 / 420, volunteer course 9 codes / 18 attendances against 8 / 24', async () => {
    // 居場所: counts only, typed from the day sheets (one row per day: 人数).
    const ibasho = await activity('居場所');
    const lines = ['日付,会場,人数', ...Array.from({ length: 124 }, (_, i) => `${day('2023-04-03', i * 2).replace(/-/g, '/')},公民館,${i < 60 ? 1 : 0}`)];
    const imported = await json(await importCsv(ibasho, lines.join('\n')));
    expect(imported).toEqual({ status: 201, body: { sessions: 124, newSessions: 124, attendances: 60 } });
    // Typed again: nothing new; one day corrected from 0 to 2 adds 2.
    expect((await json(await importCsv(ibasho, lines.join('\n')))).body).toEqual({ sessions: 124, newSessions: 0, attendances: 0 });
    const corrected = lines.map((l, i) => (i === 124 ? l.replace(/,0$/, ',2') : l));
    expect((await json(await importCsv(ibasho, corrected.join('\n')))).body.attendances).toBe(2);
    expect((await json(await importCsv(ibasho, lines.join('\n')))).body.attendances).toBe(-2);
    const period = { from: '2023-04-01', to: '2024-03-31' };
    expect((await t.staff('PUT', `/api/activities/${ibasho}/targets`, { targets: [{ indicator: 'sessions', target: 120, ...period }, { indicator: 'attendances', target: 420, ...period }] })).status).toBe(200);
    const a = await indicators(ibasho);
    expect(a.targets).toEqual([
      { indicator: 'attendances', label: '延べ参加者数', ...period, target: 420, actual: 60, achievement: 14.3 },
      { indicator: 'sessions', label: '開催回数', ...period, target: 120, actual: 124, achievement: 103.3 },
    ]);
    expect(a.indicators.unique).toBeNull();

    // Volunteer course: 3 sessions entered one by one, codes as written on the cards.
    const course = await activity('ボランティア講座');
    const sessionIds: string[] = [];
    for (const heldOn of ['2023-10-01', '2023-10-08', '2023-10-15']) sessionIds.push((await json(await t.staff('POST', `/api/activities/${course}/sessions`, { heldOn, site: '市民センター', theme: '傾聴' }))).body.id);
    const present = [['V01', 'V02', 'V03', 'V04', 'V05', 'V06'], ['V01', 'V02', 'V03', 'V04', 'V05', 'V06'], ['V01', 'V02', 'V03', 'V07', 'V08', 'V09']];
    for (const [i, codes] of present.entries()) {
      const res = await json(await t.staff('POST', `/api/sessions/${sessionIds[i]}/attendance`, { codes }));
      expect(res.body).toEqual({ added: 6, alreadyRecorded: 0, present: 6 });
    }
    // The door phone sends again after a lost connection; the same code typed differently is the same person.
    expect((await json(await t.staff('POST', `/api/sessions/${sessionIds[0]}/attendance`, { codes: ['v01', 'Ｖ０２', 'V 03'] }))).body).toEqual({ added: 0, alreadyRecorded: 3, present: 6 });
    // A mistaken mark at the door is taken back, and marked again.
    expect((await json(await t.staff('DELETE', `/api/sessions/${sessionIds[0]}/attendance`, { codes: ['v-06'] }))).body).toEqual({ removed: 1, present: 5 });
    expect((await json(await t.staff('GET', `/api/sessions/${sessionIds[0]}/attendance`))).body).toEqual({ present: 5 });
    expect((await json(await t.staff('POST', `/api/sessions/${sessionIds[0]}/attendance`, { codes: ['V06'] }))).body).toEqual({ added: 1, alreadyRecorded: 0, present: 6 });
    expect((await t.staff('PUT', `/api/activities/${course}/targets`, { targets: [{ indicator: 'unique', target: 8, ...period }, { indicator: 'attendances', target: 24, ...period }] })).status).toBe(200);
    const b = await indicators(course);
    expect(b.indicators).toMatchObject({ sessions: 3, attendances: 18, unique: 9, everySession: 3, newcomers: 9, averagePerSession: 6 });
    expect(b.targets.map((x: { label: string; actual: number; achievement: number }) => [x.label, x.actual, x.achievement])).toEqual([
      ['延べ参加者数', 18, 75],
      ['実人数', 9, 112.5],
    ]);
    // No code is stored: only keyed hashes.
    const stored = await t.database.db.select().from(attendances).innerJoin(activitySessions, eq(activitySessions.id, attendances.sessionId)).where(eq(activitySessions.activityId, course));
    expect(stored).toHaveLength(18);
    expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.attendances.participantKeyHash))).toBe(true);

    // The download holds the same table, 達成率 as a % cell; the download is audited.
    const xlsx = await t.staff('GET', `/api/activities/${ibasho}/indicators?format=xlsx`);
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const sheet = book.getWorksheet('目標と実績')!;
    const row = sheet.getRow(4);
    expect([row.getCell(1).value, row.getCell(3).value, row.getCell(4).value, row.getCell(5).value, row.getCell(5).numFmt]).toEqual(['開催回数', 120, 124, 1.033, '0.0%']);
    const csv = await (await t.staff('GET', `/api/activities/${course}/indicators?format=csv`)).text();
    expect(csv).toContain('実人数,2023-04-01〜2024-03-31,8,9,112.5');
    const downloads = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'download.participation-居場所'));
    expect(downloads).toHaveLength(1);
  });

  it('抱樸-style records through the sign-in sheet import: 32 回, 延べ 443, 新規 98', async () => {
    const id = await activity('炊き出しと交流会');
    const rows = ['日付,会場,テーマ,参加者コード'];
    const dates = Array.from({ length: 32 }, (_, i) => day('2024-04-06', i * 7));
    const add = (s: number, code: string) => rows.push(`${dates[s]},本部,交流会,${code}`);
    for (let p = 0; p < 80; p++) for (let k = 0; k < 5; k++) add((p + k * 6) % 32, `N${p}`);
    for (let p = 0; p < 18; p++) add(p, `ONCE${p}`);
    rows.push('2024/03/02,本部,交流会,OLD0'); // before the period: a returning person
    for (let k = 0; k < 25; k++) add(k, 'OLD0');
    const res = await json(await importCsv(id, rows.join('\n')));
    expect(res.status).toBe(201);
    const r = (await indicators(id, '?from=2024-04-01&to=2025-03-31')).indicators;
    expect([r.sessions, r.attendances, r.newcomers, r.returning, r.unique]).toEqual([32, 443, 98, 1, 99]);
    // Importing the same sheet again adds nothing.
    expect((await json(await importCsv(id, rows.join('\n')))).body.attendances).toBe(0);
  });

  it('bad input is refused in Japanese and changes nothing; another organisation sees none of it', async () => {
    const id = await activity('サロン');
    for (const [csv, says] of [
      ['日付,参加者コード\n2025/13/01,A1', '2行目：日付「2025/13/01」を読み取れません'],
      ['日付,参加者コード,人数\n2025/06/01,A1,3', '「参加者コード」か「人数」のどちらか一方'],
      ['日付,人数,新規\n2025/06/01,2,5', '「新規」と「リピーター」の合計が「人数」を超えています'],
      ['日付,会場,人数\n2025/07/01,本町,10\n2025/07/01,本町,5', '2・3行目：同じ回（2025-07-01 本町）の「人数」が2行あります'],
      ['日付,会場,人数,参加者コード\n2025/07/01,本町,10,\n2025/07/01,本町,,A1', '「参加者コード」と「人数」の両方があります'],
      ['日付,参加者コード\n2025/07/01,A\u0000B', '保存できない文字'],
    ]) {
      const refused = await json(await importCsv(id, `${csv}\n`));
      expect(refused.status).toBe(400);
      expect(refused.body.detail_ja).toContain(says);
    }
    expect((await json(await t.staff('POST', `/api/activities/${id}/sessions`, { heldOn: '2025-06-01', headcount: 3, breakdown: { status: { new: 4 } } }))).status).toBe(400);
    // A session recorded by codes cannot take a headcount afterwards, nor the other way round.
    expect((await importCsv(id, '日付,会場,参加者コード\n2025/08/01,本町,A1')).status).toBe(201);
    const mixed = await json(await importCsv(id, '日付,会場,人数\n2025/08/01,本町,9'));
    expect([mixed.status, mixed.body.detail_ja]).toEqual([400, '2025-08-01 本町 の回は参加者コードで記録されています。「人数」は加えられません。']);
    expect((await json(await t.staff('PUT', `/api/activities/${id}/targets`, { targets: [{ indicator: 'sessions', target: 10, from: '2025-12-01', to: '2025-01-01' }] }))).status).toBe(400);
    expect((await indicators(id)).indicators.sessions).toBe(1);

    const other = await makeOrganisation(t.database, '別の団体');
    const theirs = bearer(t.app, other.token);
    expect((await theirs('GET', `/api/activities/${id}/indicators`)).status).toBe(404);
    expect((await theirs('POST', `/api/activities/${id}/sessions`, { heldOn: '2025-06-01' })).status).toBe(404);
    expect((await (await theirs('GET', '/api/activities')).json()).activities).toEqual([]);
  });

  it('outcomes by participation: pre/post change of the study’s scale by sessions attended, joined by participant code', async () => {
    const study = await (await t.staff('POST', '/api/studies', { name: 'サロン事前事後' })).json();
    const pre = await openWave(t, ['ucla3-national'], { studyId: study.id, phase: 'pre', askParticipantCode: true });
    const post = await openWave(t, ['ucla3-national'], { studyId: study.id, phase: 'post', askParticipantCode: true });
    const answers = (a: number, b: number, c: number) => ({ ucla3_companionship: a, ucla3_left_out: b, ucla3_isolated: c });
    const send = async (slug: string, code: string, values: Record<string, number>) =>
      expect(
        (await t.request(`/api/public/s/${slug}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idempotencyKey: `${slug}-${code}`, participantCode: code, answers: values }) })).status,
      ).toBe(201);
    // Scores 3–12 (higher = lonelier). Frequent attenders: 9→7, 10→8, 8→6 (−2 each); occasional: 8→8, 7→8.
    const people: [string, number[], number[]][] = [
      ['S-01', [3, 3, 3], [3, 2, 2]],
      ['S-02', [4, 3, 3], [3, 3, 2]],
      ['S-03', [3, 3, 2], [2, 2, 2]],
      ['S-04', [3, 3, 2], [3, 3, 2]],
      ['S-05', [3, 2, 2], [3, 3, 2]],
    ];
    for (const [code, a, b] of people) {
      await send(pre.slug, code, answers(a[0], a[1], a[2]));
      await send(post.slug, code, answers(b[0], b[1], b[2]));
    }
    const salon = (await json(await t.staff('POST', '/api/activities', { name: 'サロン', studyId: study.id }))).body.id;
    // Attendance typed as written on the cards (lower case, full width): the same keys as the survey's.
    const rows = ['日付,参加者コード'];
    for (let s = 1; s <= 4; s++) for (const code of ['s-01', 'Ｓ－０２', 'S 03']) rows.push(`2025/0${s + 4}/01,${code}`);
    rows.push('2025/05/01,S-04', '2025/06/01,S-05', '2025/07/01,S-05');
    expect((await importCsv(salon, rows.join('\n'))).status).toBe(201);

    // With the organisation's k (5), bands of 2 and 3 people keep their n but not their scores.
    const hidden = await json(await t.staff('GET', `/api/activities/${salon}/outcomes?bands=1-2,3-`));
    expect(hidden.body.rows.map((r: { n: number; suppressed: boolean; meanChange: number | null }) => [r.n, r.suppressed, r.meanChange])).toEqual([
      [2, true, null],
      [3, true, null],
    ]);
    expect(await (await t.staff('GET', `/api/activities/${salon}/outcomes?bands=1-2,3-&format=csv`)).text()).toContain('3回以上,3,x,x,x,x,x');
    expect((await t.staff('PATCH', '/api/organisation', { suppressionK: 2 })).status).toBe(200);

    const res = await json(await t.staff('GET', `/api/activities/${salon}/outcomes?bands=1-2,3-`));
    expect(res.status).toBe(200);
    expect(res.body.rows.map((r: { label: string; n: number; meanChange: number; preMean: number }) => [r.label, r.n, r.preMean, r.meanChange])).toEqual([
      ['1〜2回', 2, 7.5, 0.5],
      ['3回以上', 3, 9, -2],
    ]);
    expect(res.body.note).toMatch(/「関連」であり、参加の「効果」ではありません/);
    const csv = await (await t.staff('GET', `/api/activities/${salon}/outcomes?bands=1-2,3-&format=csv`)).text();
    expect(csv).toContain('3回以上,3,9,7,-2');

    // The activity page shows the same table.
    await t.staff('POST', '/api/users', { email: 'evaluator@example.jp', name: '評価者', role: 'evaluator', password: 'evaluator-password-1' });
    const { cookie } = await login(t.app, 'evaluator@example.jp', 'evaluator-password-1');
    const page = await (await t.app.request(`/staff/activities/${salon}?bands=1-2,3-`, { headers: { cookie } })).text();
    expect(page).toContain('参加回数と事前・事後の変化');
    expect(page).toMatch(/<th>3回以上<\/th><td class="num">3<\/td><td class="num">9<\/td><td class="num">7<\/td><td class="num">-2<\/td>/);

    const unlinked = await activity('調査なしの事業');
    const refused = await json(await t.staff('GET', `/api/activities/${unlinked}/outcomes`));
    expect(refused.status).toBe(422);
    expect(refused.body.title_ja).toBe('調査とつながっていません');
    expect((await t.staff('GET', `/api/activities/${salon}/outcomes?bands=3-5,1-2`)).status).toBe(400);
    expect((await t.staff('PATCH', '/api/organisation', { suppressionK: 5 })).status).toBe(200);
  });

  it('a data-rights deletion takes the person’s attendance with their answers, and an invitation’s e-mail address and send history', async () => {
    const study = await (await t.staff('POST', '/api/studies', { name: '削除の依頼' })).json();
    const pre = await openWave(t, ['ucla3-national'], { studyId: study.id, phase: 'pre', askParticipantCode: true });
    const sent = await t.request(`/api/public/s/${pre.slug}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idempotencyKey: 'erase-0001', participantCode: 'DEL-1', answers: { ucla3_companionship: 1, ucla3_left_out: 1, ucla3_isolated: 1 } }) });
    expect(sent.status).toBe(201);
    const club = (await json(await t.staff('POST', '/api/activities', { name: '削除テスト', studyId: study.id }))).body.id;
    expect((await importCsv(club, '日付,参加者コード\n2025/06/01,del-1\n2025/06/01,KEEP-2\n2025/06/08,DEL-1')).status).toBe(201);
    const exported = await json(await t.staff('POST', '/api/data-rights/export', { participantCode: 'DEL-1', studyId: study.id }));
    expect([exported.body.n, exported.body.attendedSessions.length]).toEqual([1, 2]);
    expect((await json(await t.staff('POST', '/api/data-rights/delete', { participantCode: 'DEL-1', studyId: study.id }))).body.deleted).toBe(1);
    expect((await indicators(club)).indicators).toMatchObject({ attendances: 1, unique: 1 });

    const invited = await openWave(t, ['ucla3-national'], { openLink: false });
    const frame = await (await t.staff('POST', `/api/waves/${invited.waveId}/frame`, 'unit_id,email\nU-1,u1@example.jp', { 'content-type': 'text/csv' })).json();
    const token = String(frame.invitations[0].url).split('/t/')[1];
    expect((await t.staff('POST', '/api/data-rights/delete', { invitationToken: token })).status).toBe(200);
    const [unit] = await t.database.db.select().from(invitations).where(eq(invitations.waveId, invited.waveId));
    expect(unit.email).toBeNull();
    expect(unit.optedOutAt).not.toBeNull();
  });
});
