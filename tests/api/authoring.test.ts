import { expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/databases.js';
import { enterLicensedWording, useTestApp } from '../helpers/testApp.js';
import { bearer, login, makeOrganisation, session } from './accountsHelpers.js';

const ownQuestion = { kind: 'single', title: '今日の活動はいかがでしたか。', choices: ['よかった', 'ふつう', 'よくなかった'], required: true };

describeEachDatabase('authoring: compose, publish, versions, drafts, organisation templates', (kind) => {
  const t = useTestApp(kind);
  const json = async (res: Response) => ({ status: res.status, body: await res.json() });

  it('lists built-in templates with their source', async () => {
    const { status, body } = await json(await t.staff('GET', '/api/templates'));
    expect(status).toBe(200);
    expect(body.templates.length).toBeGreaterThanOrEqual(11);
    expect(body.templates.every((x: { source: string }) => x.source === 'builtin')).toBe(true);
    const one = await json(await t.staff('GET', '/api/templates/ucla3-national'));
    expect(one.body.source).toBe('builtin');
    expect(one.body.meta.id).toBe('ucla3-national');
  });

  it('composes blocks in order with introduction, organisation, languages and simple own questions; scoring travels', async () => {
    const created = await json(
      await t.staff('POST', '/api/questionnaires', {
        title: '交流会アンケート',
        name: '2026年度 交流会 事後（UCLA 3項目）',
        introduction: '本日の交流会についてお聞きします。',
        organisationName: 'NPO法人テスト',
        languages: ['ja', 'en'],
        templateIds: ['post-activity', 'ucla3-national', 'profile'],
        simpleQuestions: [ownQuestion, { kind: 'multiple', title: '参加した理由', choices: ['友人', 'チラシ'] }, { kind: 'text', title: 'ご意見' }, { kind: 'number', title: '参加回数' }],
      }),
    );
    expect(created.status).toBe(201);
    const version = await json(await t.staff('GET', `/api/questionnaires/${created.body.id}/versions/1`));
    expect(version.status).toBe(200);
    const d = version.body.definition;
    // Participants read the title; staff lists show the internal name.
    expect(d.title).toBe('交流会アンケート');
    expect(created.body.title).toBe('2026年度 交流会 事後（UCLA 3項目）');
    expect(d.description).toBe('本日の交流会についてお聞きします。');
    expect(d.organisationName).toBe('NPO法人テスト');
    expect(d.languages).toEqual(['ja', 'en']);
    const pageNames = d.pages.map((p: { name: string }) => p.name);
    expect(pageNames.findIndex((n: string) => n.startsWith('post-activity__'))).toBeLessThan(pageNames.findIndex((n: string) => n.startsWith('ucla3-national__')));
    expect(pageNames.at(-1)).toBe('own_questions');
    const own = d.pages.at(-1).elements;
    expect(own.map((e: { type: string; name: string }) => [e.type, e.name])).toEqual([
      ['radiogroup', 'own_q1'],
      ['checkbox', 'own_q2'],
      ['comment', 'own_q3'],
      ['text', 'own_q4'],
    ]);
    expect(own[0].choices).toEqual([
      { value: 1, text: 'よかった' },
      { value: 2, text: 'ふつう' },
      { value: 3, text: 'よくなかった' },
    ]);
    expect(own[0].isRequired).toBe(true);
    expect(version.body.scoring.map((s: { id: string }) => s.id)).toContain('ucla3_national');
    // GET by id works as well as by number
    expect((await t.staff('GET', `/api/questionnaires/${created.body.id}/versions/${version.body.id}`)).status).toBe(200);
    expect((await t.staff('GET', `/api/questionnaires/${created.body.id}/versions/9`)).status).toBe(404);
  });

  it('refuses bad compose input with a readable answer', async () => {
    const unknown = await json(await t.staff('POST', '/api/questionnaires', { title: 'x', templateIds: ['no-such-template'] }));
    expect(unknown.status).toBe(422);
    expect(unknown.body.detail).toContain('no-such-template');
    const fewChoices = await json(await t.staff('POST', '/api/questionnaires', { title: 'x', simpleQuestions: [{ kind: 'single', title: 'q', choices: ['a'] }] }));
    expect(fewChoices.status).toBe(400);
    expect(fewChoices.body.detail).toContain('two choices');
    const empty = await t.staff('POST', '/api/questionnaires', { title: 'x' });
    expect(empty.status).toBe(400);
    const duplicate = await json(await t.staff('POST', '/api/questionnaires', { title: 'x', templateIds: ['ucla3-national', 'ucla3-national'] }));
    expect(duplicate.status).toBe(422);
    expect(duplicate.body.errors[0].message).toMatch(/used 2 times/);
  });

  it('publishes; published versions are immutable; a new version is a draft that keeps its scoring', async () => {
    const q = (await json(await t.staff('POST', '/api/questionnaires', { title: '孤独感', templateIds: ['ucla3-national'] }))).body;
    const draftEdit = await json(await t.staff('PUT', `/api/questionnaires/${q.id}/draft`, { templateIds: ['ucla3-national'], simpleQuestions: [ownQuestion] }));
    expect(draftEdit.status).toBe(200);
    expect(draftEdit.body.version).toBe(1);
    expect(await json(await t.staff('POST', `/api/questionnaires/${q.id}/versions`))).toMatchObject({ status: 409 });
    expect((await t.staff('POST', `/api/questionnaires/${q.id}/publish`)).status).toBe(200);

    const locked = await json(await t.staff('PUT', `/api/questionnaires/${q.id}/draft`, { definition: { pages: [{ elements: [{ type: 'text', name: 'a' }] }] } }));
    expect(locked.status).toBe(409);
    expect(locked.body.detail).toMatch(/published and cannot be changed/);
    expect((await t.staff('POST', `/api/questionnaires/${q.id}/publish`)).status).toBe(409);

    const v2 = await json(await t.staff('POST', `/api/questionnaires/${q.id}/versions`));
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ version: 2, status: 'draft' });
    expect(v2.body.scoring.map((s: { id: string }) => s.id)).toEqual(['ucla3_national']);

    // The JSON editor: edit the draft; scoring stays while its items remain
    const definition = structuredClone(v2.body.definition);
    definition.title = '孤独感（改訂）';
    const primed = await json(await t.staff('PUT', `/api/questionnaires/${q.id}/draft`, { definition }));
    expect(primed.status).toBe(200);
    // Saved, with a warning: 孤独 in the title primes an indirect scale (issue 13).
    expect(primed.body.warnings.join()).toContain('アンケートのタイトル');
    definition.title = '最近の気持ちについて（改訂）';
    const edited = await json(await t.staff('PUT', `/api/questionnaires/${q.id}/draft`, { definition }));
    expect(edited.status).toBe(200);
    expect(edited.body.definition.title).toBe('最近の気持ちについて（改訂）');
    expect(edited.body.scoring).toHaveLength(1);
    expect(edited.body.warnings).toEqual([]);

    // Removing a scored item drops that scale and says so
    definition.pages = definition.pages.filter((p: { name: string }) => p.name === 'own_questions');
    const dropped = await json(await t.staff('PUT', `/api/questionnaires/${q.id}/draft`, { definition }));
    expect(dropped.status).toBe(200);
    expect(dropped.body.scoring).toEqual([]);
    expect(dropped.body.warnings[0]).toContain('ucla3_national');

    // Version 1 is unchanged
    const v1 = (await json(await t.staff('GET', `/api/questionnaires/${q.id}/versions/1`))).body;
    expect(v1.status).toBe('published');
    expect(v1.scoring).toHaveLength(1);
    expect(v1.definition.pages.some((p: { name: string }) => p.name.startsWith('ucla3-national__'))).toBe(true);

    expect((await t.staff('POST', `/api/questionnaires/${q.id}/publish`)).status).toBe(200);
    const all = (await json(await t.staff('GET', `/api/questionnaires/${q.id}`))).body;
    expect(all.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [1, 'published'],
      [2, 'published'],
    ]);
    // A wave opens on the latest published version
    const wave = await json(await t.staff('POST', '/api/waves', { name: 'w', questionnaireId: q.id }));
    expect(wave.status).toBe(201);
  });

  it('the JSON editor validates with survey-core and says what is wrong, storing nothing', async () => {
    const q = (await json(await t.staff('POST', '/api/questionnaires', { title: 'JSON', templateIds: ['loneliness-direct'] }))).body;
    const before = (await json(await t.staff('GET', `/api/questionnaires/${q.id}/versions/1`))).body.definition;
    const bad = { pages: [{ name: 'p', elements: [{ type: 'radiogrop', name: 'a' }, { type: 'text', name: 'b', colour: 'red' }, { type: 'text', name: 'b' }] }] };
    const res = await json(await t.staff('PUT', `/api/questionnaires/${q.id}/draft`, { definition: bad }));
    expect(res.status).toBe(422);
    expect(res.body.title).toBe('Invalid questionnaire definition');
    const messages = res.body.errors.map((e: { message: string }) => e.message);
    expect(messages).toContain('Page 1 ("p"), element 1 ("a"): unknown question type "radiogrop".');
    expect(messages).toContain('Question name "b" is used 2 times.');
    expect((await json(await t.staff('GET', `/api/questionnaires/${q.id}/versions/1`))).body.definition).toEqual(before);

    const check = await json(await t.staff('POST', '/api/definitions/validate', { definition: bad }));
    expect(check.status).toBe(200);
    expect(check.body.valid).toBe(false);
    // An unknown property is survey-core's warning: shown, not blocking.
    expect(check.body.warnings.some((m: string) => m.includes("'colour'"))).toBe(true);
    expect(check.body.problems_ja).toContain('1ページ目（p）の1番目（a）: 質問の種類「radiogrop」はありません。');
    expect((await json(await t.staff('POST', '/api/definitions/validate', { definition: before }))).body).toEqual({ valid: true, problems: [], problems_ja: [], warnings: [] });
    const created = await json(await t.staff('POST', '/api/questionnaires', { title: 'bad', definition: bad }));
    expect(created.status).toBe(422);
  });

  it('saves a version as an organisation template, lists it for its own staff only, and composes with it', async () => {
    const q = (await json(await t.staff('POST', '/api/questionnaires', { title: '団体の定番', templateIds: ['post-activity'], simpleQuestions: [ownQuestion] }))).body;
    await t.staff('POST', `/api/questionnaires/${q.id}/publish`);
    const saved = await json(await t.staff('POST', '/api/templates', { questionnaireId: q.id, title: '交流会の定番アンケート', summary: '毎月の交流会用' }));
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ source: 'organisation', kind: 'programme', title: { ja: '交流会の定番アンケート' } });
    const list = (await json(await t.staff('GET', '/api/templates'))).body.templates;
    expect(list.filter((x: { source: string }) => x.source === 'organisation').map((x: { id: string }) => x.id)).toEqual([saved.body.id]);
    const one = await json(await t.staff('GET', `/api/templates/${saved.body.id}`));
    expect(one.body.source).toBe('organisation');
    expect(one.body.survey.pages.length).toBeGreaterThan(0);

    const composed = await json(await t.staff('POST', '/api/questionnaires', { title: '交流会＋孤独感', templateIds: [saved.body.id, 'ucla3-national'] }));
    expect(composed.status).toBe(201);
    const v = (await json(await t.staff('GET', `/api/questionnaires/${composed.body.id}/versions/1`))).body;
    expect(v.scoring.map((s: { id: string }) => s.id)).toContain('ucla3_national');
    expect(JSON.stringify(v.definition)).toContain('own_q1');

    // Another organisation sees neither the template nor can compose with it
    const other = await makeOrganisation(t.database, '別の団体');
    const as = bearer(t.app, other.token);
    const theirs = (await (await as('GET', '/api/templates')).json()).templates;
    expect(theirs.some((x: { id: string }) => x.id === saved.body.id)).toBe(false);
    expect((await as('GET', `/api/templates/${saved.body.id}`)).status).toBe(404);
    expect((await as('POST', '/api/questionnaires', { title: 'x', templateIds: [saved.body.id] })).status).toBe(422);
    expect((await as('DELETE', `/api/templates/${saved.body.id}`)).status).toBe(404);

    expect((await t.staff('DELETE', '/api/templates/ucla3-national')).status).toBe(403);
    expect((await t.staff('DELETE', `/api/templates/${saved.body.id}`)).status).toBe(204);
    expect((await t.staff('GET', `/api/templates/${saved.body.id}`)).status).toBe(404);
  });

  it('staff pages need a session; with one they render, and cookie writes need the CSRF token', async () => {
    const redirect = await t.request('/staff/templates');
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('location')).toBe('/staff/login?next=%2Fstaff%2Ftemplates');
    expect((await t.request('/staff/login')).status).toBe(200);

    const org = await makeOrganisation(t.database, 'ページの団体');
    const s = await login(t.app, org.email);
    const get = (path: string) => t.app.request(path, { headers: { cookie: s.cookie } });
    const templates = await get('/staff/templates');
    expect(templates.status).toBe(200);
    const page = await templates.text();
    expect(page).toContain('テンプレート');
    expect(page).toContain(`content="${s.csrfToken}"`);
    expect(await (await get('/staff/templates?kind=block')).text()).toContain('profile');
    const preview = await get('/staff/preview/templates/ucla3-national');
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    expect(await preview.text()).toContain('プレビュー');
    expect((await get('/staff/templates')).headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect((await get('/staff/preview/templates/nope')).status).toBe(404);

    const check = await t.app.request('/staff/preview/templates/ucla3-national/check', {
      method: 'POST',
      headers: { cookie: s.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ idempotencyKey: 'preview-1234', answers: { ucla3_companionship: 9 } }),
    });
    expect(check.status).toBe(422);

    const call = session(t.app, s);
    const noCsrf = await call('POST', '/api/questionnaires', { title: 'x', templateIds: ['profile'] }, { 'x-csrf-token': 'wrong' });
    expect(noCsrf.status).toBe(403);
    const created = await call('POST', '/api/questionnaires', { title: 'ページから', templateIds: ['profile'] });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    expect((await get(`/staff/questionnaires/${id}`)).status).toBe(200);
    expect((await get(`/staff/questionnaires/${id}/editor`)).status).toBe(200);
    expect((await get('/staff/compose?templates=profile,ucla3-national')).status).toBe(200);
    // Another organisation's questionnaire is not found from this session
    const mine = (await (await t.staff('POST', '/api/questionnaires', { title: 'admin only', templateIds: ['profile'] })).json()).id;
    expect((await get(`/staff/questionnaires/${mine}`)).status).toBe(404);

    // The editor's live preview renders an unsaved definition: with the session's CSRF token, for its own drafts only.
    const live = (questionnaireId: string, csrf: string) =>
      t.app.request(`/staff/preview/drafts/${questionnaireId}`, {
        method: 'POST',
        headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf, definition: JSON.stringify({ title: '未保存のタイトル', pages: [{ name: 'p', elements: [{ type: 'text', name: 'q', title: '入力中の質問' }] }] }) }).toString(),
      });
    const shown = await live(id, s.csrfToken);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    expect(await shown.text()).toContain('入力中の質問');
    expect((await live(id, 'wrong')).status).toBe(403);
    expect((await live(mine, s.csrfToken)).status).toBe(404);
  });
});

describeEachDatabase('publishing a licensed scale', (kind) => {
  const t = useTestApp(kind);

  it('is refused while its items hold the placeholder, naming each, and allowed once the wording is entered', async () => {
    const q = await (await t.staff('POST', '/api/questionnaires', { title: '孤独感の変化', templateIds: ['ucla-ls3'] })).json();
    const refused = await t.staff('POST', `/api/questionnaires/${q.id}/publish`);
    expect(refused.status).toBe(422);
    const body = await refused.json();
    expect(body.title_ja).toBe('項目の文言がまだ入力されていません');
    // One error per item, by its 問 number, then how to enter the wording.
    expect(body.errors).toHaveLength(21);
    expect(body.errors[0]).toMatchObject({ field: 'uclals3_01', label: '問1（uclals3_01）', message_ja: '使用許諾を得た文言を入力してください' });
    expect(body.errors[20].message_ja).toMatch(/質問を編集する/);
    expect(body.detail_ja).toMatch(/使用許諾を得た質問文/);
    await enterLicensedWording(t, q.id);
    expect((await t.staff('POST', `/api/questionnaires/${q.id}/publish`)).status).toBe(200);
  });
});
