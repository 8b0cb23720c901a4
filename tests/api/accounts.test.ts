import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { sweepRetention } from '../../src/accounts/dataRights.js';
import { accountPages } from '../../src/accounts/staffPages.js';
import { auditEvents, responses } from '../../src/db/schema.js';
import { csvCell } from '../../src/results/csv.js';
import { ADMIN_PAGES, isAdminPage } from '../../src/web/staff/session.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp } from '../helpers/testApp.js';
import { bearer, login, makeOrganisation, PASSWORD, session } from './accountsHelpers.js';

const answers = { ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 1 };

describeEachDatabase('accounts, sessions and roles', (kind) => {
  const t = useTestApp(kind);
  let org: Awaited<ReturnType<typeof makeOrganisation>>;
  let admin: ReturnType<typeof bearer>;

  it('logs in with email and password; a wrong password and an unknown email get the same answer', async () => {
    org = await makeOrganisation(t.database, 'NPO すまいる');
    admin = bearer(t.app, org.token);
    const wrong = await t.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: org.email, password: 'not the password' }) });
    const unknown = await t.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'nobody@example.jp', password: 'not the password' }) });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());

    const s = await login(t.app, org.email.toUpperCase());
    expect(s.setCookie).toMatch(/^kodoku_session=/);
    expect(s.setCookie).toContain('HttpOnly');
    expect(s.setCookie).toContain('SameSite=Lax');
    expect(s.setCookie).not.toContain('Secure');
    expect(s.body.user).toMatchObject({ email: org.email, role: 'admin' });
    expect(JSON.stringify(s.body)).not.toContain('passwordHash');

    const behindTls = await login(t.app, org.email, PASSWORD, { 'x-forwarded-proto': 'https' });
    expect(behindTls.setCookie).toMatch(/^__Host-kodoku_session=/);
    expect(behindTls.setCookie).toContain('Secure');
  });

  it('a session cookie works for reads; writes need the CSRF token and a same-origin Origin', async () => {
    const s = await login(t.app, org.email);
    const me = await session(t.app, s)('GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ role: 'admin', authenticatedBy: 'session', csrfToken: s.csrfToken, organisation: { id: org.organisationId } });

    const noToken = await session(t.app, { cookie: s.cookie, csrfToken: '' })('POST', '/api/studies', { name: 'x' });
    expect(noToken.status).toBe(403);
    const crossSite = await session(t.app, s)('POST', '/api/studies', { name: 'x' }, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    const ok = await session(t.app, s)('POST', '/api/studies', { name: '事業評価' }, { origin: 'http://localhost' });
    expect(ok.status).toBe(201);
    // Bearer tokens are not sent by browsers on their own, so they need no CSRF token.
    expect((await admin('POST', '/api/studies', { name: 'script' })).status).toBe(201);
  });

  it('logout ends the session; logout everywhere ends all sessions and can revoke tokens', async () => {
    const a = await login(t.app, org.email);
    const b = await login(t.app, org.email);
    expect((await session(t.app, a)('POST', '/api/auth/logout')).status).toBe(204);
    expect((await session(t.app, a)('GET', '/api/auth/me')).status).toBe(401);
    expect((await session(t.app, b)('GET', '/api/auth/me')).status).toBe(200);

    const created = await (await admin('POST', '/api/tokens', { label: 'spare' })).json();
    const spare = bearer(t.app, created.token);
    expect((await spare('GET', '/api/auth/me')).status).toBe(200);
    const everywhere = await spare('POST', '/api/auth/logout-everywhere', { revokeTokens: true });
    expect(everywhere.status).toBe(200);
    expect((await everywhere.json()).sessionsEnded).toBeGreaterThanOrEqual(1);
    expect((await session(t.app, b)('GET', '/api/auth/me')).status).toBe(401);
    expect((await spare('GET', '/api/auth/me')).status).toBe(401);
    expect((await admin('GET', '/api/auth/me')).status).toBe(401);
    // The CLI would be used now; the test makes a fresh admin token for the organisation.
    org = await makeOrganisation(t.database, 'NPO すまいる 2');
    admin = bearer(t.app, org.token);
  });

  it('API tokens are shown once, stored hashed, listed without secrets, revocable and never above the owner', async () => {
    const res = await admin('POST', '/api/tokens', { label: 'R script', role: 'evaluator' });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const list = await (await admin('GET', '/api/tokens')).json();
    expect(JSON.stringify(list)).not.toContain(created.token);
    expect(list.tokens.find((x: { id: string }) => x.id === created.id)).toMatchObject({ label: 'R script', role: 'evaluator', revokedAt: null });
    const evaluator = bearer(t.app, created.token);
    expect((await evaluator('GET', '/api/questionnaires')).status).toBe(200);
    expect((await evaluator('POST', '/api/studies', { name: 'no' })).status).toBe(403);
    expect((await evaluator('POST', '/api/tokens', { label: 'escalate', role: 'admin' })).status).toBe(403);
    expect((await admin('DELETE', `/api/tokens/${created.id}`)).status).toBe(204);
    expect((await evaluator('GET', '/api/questionnaires')).status).toBe(401);
  });

  it('admins manage users; editors and evaluators cannot; the last admin stays', async () => {
    const created = await admin('POST', '/api/users', { email: 'Editor@Example.jp', name: '編集 花子', role: 'editor', password: 'editor-password-123' });
    expect(created.status).toBe(201);
    const editor = await created.json();
    expect(editor).toMatchObject({ email: 'editor@example.jp', role: 'editor', studyIds: null });
    const generated = await (await admin('POST', '/api/users', { email: 'eval@example.jp', name: '評価 太郎', role: 'evaluator' })).json();
    expect(generated.temporaryPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect((await admin('POST', '/api/users', { email: 'editor@example.jp', name: 'dup', role: 'editor', password: 'editor-password-123' })).status).toBe(409);
    expect((await admin('POST', '/api/users', { email: 'bad', name: 'x', role: 'editor' })).status).toBe(400);
    expect((await admin('POST', '/api/users', { email: 'x@example.jp', name: 'x', role: 'owner' })).status).toBe(400);

    const ed = await login(t.app, 'editor@example.jp', 'editor-password-123');
    expect((await session(t.app, ed)('GET', '/api/users')).status).toBe(403);
    expect((await session(t.app, ed)('POST', '/api/questionnaires', { title: 'q', templateIds: ['ucla3-national'] })).status).toBe(201);
    const ev = await login(t.app, 'eval@example.jp', generated.temporaryPassword);
    expect((await session(t.app, ev)('POST', '/api/questionnaires', { title: 'q', templateIds: ['ucla3-national'] })).status).toBe(403);
    expect((await session(t.app, ev)('GET', '/api/audit')).status).toBe(403);

    const list = await (await admin('GET', '/api/users')).json();
    expect(list.users.map((u: { email: string }) => u.email)).toEqual(expect.arrayContaining([org.email, 'editor@example.jp', 'eval@example.jp']));
    expect(JSON.stringify(list)).not.toMatch(/scrypt|passwordHash/);

    expect((await admin('PATCH', `/api/users/${org.userId}`, { role: 'editor' })).status).toBe(409);
    // Demoting ends the user's sessions; a new password too.
    expect((await admin('PATCH', `/api/users/${editor.id}`, { role: 'evaluator' })).status).toBe(200);
    expect((await session(t.app, ed)('GET', '/api/auth/me')).status).toBe(401);
    expect((await admin('DELETE', `/api/users/${org.userId}`)).status).toBe(409);
    expect((await admin('DELETE', `/api/users/${editor.id}`)).status).toBe(204);
    expect((await admin('GET', `/api/users/${editor.id}`)).status).toBe(404);
  });

  it('a demoted user’s older admin token acts with the lower role', async () => {
    const u = await (await admin('POST', '/api/users', { email: 'second-admin@example.jp', name: 'admin 2', role: 'admin', password: 'second-admin-pass' })).json();
    const s = await login(t.app, 'second-admin@example.jp', 'second-admin-pass');
    const token = (await (await session(t.app, s)('POST', '/api/tokens', { label: 'mine' })).json()).token;
    expect((await bearer(t.app, token)('GET', '/api/users')).status).toBe(200);
    expect((await admin('PATCH', `/api/users/${u.id}`, { role: 'evaluator' })).status).toBe(200);
    expect((await bearer(t.app, token)('GET', '/api/users')).status).toBe(403);
  });

  it('organisation settings (suppression k) and the audit log are for admins', async () => {
    const res = await admin('PATCH', '/api/organisation', { suppressionK: 10 });
    expect(res.status).toBe(200);
    expect((await res.json()).suppressionK).toBe(10);
    expect((await admin('PATCH', '/api/organisation', { suppressionK: -1 })).status).toBe(400);
    expect((await admin('GET', '/api/organisation')).status).toBe(200);
    const log = await (await admin('GET', '/api/audit?limit=200')).json();
    const actions = log.events.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['organisation.updated', 'user.created', 'user.deleted', 'token.created', 'token.revoked', 'auth.login']));
    expect(log.events.find((e: { action: string }) => e.action === 'organisation.updated').userEmail).toBe(org.email);
  });

  it('an evaluator from a university can be given one study and sees nothing else', async () => {
    const q = await (await admin('POST', '/api/questionnaires', { title: 'ucla', templateIds: ['ucla3-national'] })).json();
    await admin('POST', `/api/questionnaires/${q.id}/publish`);
    const studyA = await (await admin('POST', '/api/studies', { name: 'A' })).json();
    const studyB = await (await admin('POST', '/api/studies', { name: 'B' })).json();
    const waveA = await (await admin('POST', '/api/waves', { name: 'A pre', questionnaireId: q.id, studyId: studyA.id })).json();
    const waveB = await (await admin('POST', '/api/waves', { name: 'B pre', questionnaireId: q.id, studyId: studyB.id })).json();
    const loose = await (await admin('POST', '/api/waves', { name: 'loose', questionnaireId: q.id })).json();
    expect((await admin('POST', '/api/users', { email: 'prof@univ.ac.jp', name: '大学 教授', role: 'editor', password: 'professor-pass-1', studyIds: [studyA.id] })).status).toBe(400);
    const prof = await admin('POST', '/api/users', { email: 'prof@univ.ac.jp', name: '大学 教授', role: 'evaluator', password: 'professor-pass-1', studyIds: [studyA.id] });
    expect(prof.status).toBe(201);
    const s = session(t.app, await login(t.app, 'prof@univ.ac.jp', 'professor-pass-1'));
    expect((await s('GET', `/api/studies/${studyA.id}`)).status).toBe(200);
    expect((await s('GET', `/api/waves/${waveA.id}`)).status).toBe(200);
    expect((await s('GET', `/api/waves/${waveA.id}/responses`)).status).toBe(200);
    expect((await s('GET', `/api/studies/${studyB.id}`)).status).toBe(404);
    expect((await s('GET', `/api/waves/${waveB.id}`)).status).toBe(404);
    expect((await s('GET', `/api/waves/${loose.id}/responses`)).status).toBe(404);
    expect((await (await s('GET', '/api/questionnaires')).json()).questionnaires).toEqual([]);
    expect((await s('GET', '/api/users')).status).toBe(403);
    expect((await (await s('GET', '/api/auth/me')).json()).studyIds).toEqual([studyA.id]);
  });
});

describeEachDatabase('data rights and retention', (kind) => {
  const t = useTestApp(kind);

  async function submit(slug: string, body: Record<string, unknown>) {
    const res = await t.request(`/api/public/s/${slug}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    return (await res.json()).id as string;
  }

  it('exports and deletes one participant’s answers by participant code across a study, audited', async () => {
    const study = await (await t.staff('POST', '/api/studies', { name: 'pre/post' })).json();
    const pre = await openWave(t, ['ucla3-national'], { studyId: study.id, askParticipantCode: true });
    const post = await (await t.staff('POST', '/api/waves', { name: 'post', questionnaireId: pre.questionnaireId, studyId: study.id, askParticipantCode: true })).json();
    const postSlug = String(post.openLink).split('/s/')[1];
    const mine = [await submit(pre.slug, { idempotencyKey: 'dr-pre-0001', answers, participantCode: 'ab-12 3' }), await submit(postSlug, { idempotencyKey: 'dr-post-0001', answers, participantCode: 'ＡＢ１２３' })];
    const other = await submit(pre.slug, { idempotencyKey: 'dr-pre-0002', answers, participantCode: 'ZZ999' });

    const exported = await t.staff('POST', '/api/data-rights/export', { participantCode: 'AB123', studyId: study.id });
    expect(exported.status).toBe(200);
    const body = await exported.json();
    expect(body.n).toBe(2);
    expect(body.responses.map((r: { id: string }) => r.id).sort()).toEqual([...mine].sort());
    expect(body.responses[0].answers).toEqual(answers);

    expect((await t.staff('POST', '/api/data-rights/export', { participantCode: 'AB123' })).status).toBe(400);
    const deleted = await t.staff('POST', '/api/data-rights/delete', { participantCode: 'ab123', waveId: pre.waveId });
    expect(await deleted.json()).toEqual({ by: 'participant_code', deleted: 2 });
    const left = await t.database.db.select({ id: responses.id }).from(responses);
    expect(left.map((r) => r.id)).toContain(other);
    expect(left.map((r) => r.id)).not.toContain(mine[0]);

    const log = await (await t.staff('GET', '/api/audit')).json();
    const del = log.events.find((e: { action: string }) => e.action === 'data_rights.delete');
    expect(del.details).toMatchObject({ by: 'participant_code', count: 2 });
    expect(log.events.some((e: { action: string }) => e.action === 'data_rights.export')).toBe(true);
  });

  it('exports and deletes by invitation token', async () => {
    const w = await openWave(t, ['ucla3-national'], { openLink: false });
    const frame = await (await t.staff('POST', `/api/waves/${w.waveId}/frame`, { units: [{ unitId: 'u1' }, { unitId: 'u2' }] })).json();
    const token = String(frame.invitations[0].url).split('/t/')[1];
    const res = await t.request(`/api/public/t/${token}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idempotencyKey: 'inv-0001', answers }) });
    expect(res.status).toBe(201);
    expect((await (await t.staff('POST', '/api/data-rights/export', { invitationToken: token })).json()).n).toBe(1);
    expect((await (await t.staff('POST', '/api/data-rights/delete', { invitationToken: token })).json()).deleted).toBe(1);
    expect((await (await t.staff('POST', '/api/data-rights/export', { invitationToken: token })).json()).n).toBe(0);
  });

  it('deletes answers past their wave’s retention period and keeps the audit entry', async () => {
    const w = await openWave(t, ['ucla3-national']);
    const old = await submit(w.slug, { idempotencyKey: 'ret-old-0001', answers });
    const fresh = await submit(w.slug, { idempotencyKey: 'ret-new-0001', answers });
    await t.database.db.update(responses).set({ submittedAt: sql`now() - interval '40 days'` }).where(eq(responses.id, old));
    expect((await t.staff('PUT', `/api/waves/${w.waveId}/retention`, { retentionDays: 0 })).status).toBe(400);
    expect((await t.staff('PUT', `/api/waves/${w.waveId}/retention`, { retentionDays: 30 })).status).toBe(200);
    const done = await sweepRetention(t.database);
    expect(done).toEqual([{ waveId: w.waveId, deleted: 1 }]);
    const ids = (await t.database.db.select({ id: responses.id }).from(responses).where(eq(responses.waveId, w.waveId))).map((r) => r.id);
    expect(ids).toEqual([fresh]);
    const [entry] = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'retention.delete'));
    expect(entry).toMatchObject({ target: w.waveId, details: { deleted: 1, retentionDays: 30 } });
    expect(await sweepRetention(t.database)).toEqual([]);
  });
});

describeEachDatabase('audit log paging and admin pages', (kind) => {
  const t = useTestApp(kind);

  it('pages through events of one millisecond, one at a time, without skipping or repeating any', async () => {
    const org = await makeOrganisation(t.database, 'NPO 同時刻');
    const admin = bearer(t.app, org.token);
    // PostgreSQL keeps microseconds; the two at .1235 tie and are ordered by id.
    const times = ['10:00:00.1234', '10:00:00.1235', '10:00:00.1235', '10:00:00.1236'];
    for (const [i, time] of times.entries()) {
      await t.database.rows(sql`insert into audit_events (organisation_id, action, target, created_at) values (${org.organisationId}, 'test.same_ms', ${String(i)}, ${`2030-01-02 ${time}+00`}::timestamptz)`);
    }
    const audit = async (query: string) => {
      const res = await admin('GET', `/api/audit?action=test.same_ms&${query}`);
      expect(res.status, query).toBe(200);
      return (await res.json()) as { events: { target: string }[]; next: string | null };
    };
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const page = await audit(`limit=1${next ? `&before=${encodeURIComponent(next)}` : ''}`);
      seen.push(...page.events.map((e) => e.target));
      next = page.next;
    } while (next && seen.length <= times.length);
    expect(seen).toHaveLength(4);
    expect([seen[0], seen[3]]).toEqual(['3', '0']);
    expect([...seen].sort()).toEqual(['0', '1', '2', '3']);

    // The audit page takes the same cursor.
    const firstPage = await audit('limit=1');
    const page = await session(t.app, await login(t.app, org.email))('GET', `/staff/audit?action=test.same_ms&before=${encodeURIComponent(firstPage.next!)}`);
    const html = await page.text();
    expect(html).toContain('以前の記録');
    expect(html.match(/data-action="test.same_ms"/g)).toHaveLength(3);

    // A plain time still works as `before`: the events strictly before it.
    expect((await audit('before=2030-01-02T10:00:00.124Z')).events).toHaveLength(4);
    expect((await audit('before=2030-01-02T10:00:00.123Z')).events).toHaveLength(0);
    expect((await admin('GET', '/api/audit?before=not-a-cursor')).status).toBe(400);
    // A cursor of the right shape but no real time (month 13, hour 99) is refused, not sent to PostgreSQL.
    const impossible = Buffer.from('2030-13-45T99:00:00.123456Z 00000000-0000-4000-8000-000000000000').toString('base64url');
    expect((await admin('GET', `/api/audit?before=${impossible}`)).status).toBe(400);
    expect((await session(t.app, await login(t.app, org.email))('GET', `/staff/audit?before=${impossible}`)).status).toBe(200);
  });

  it('every account page under an admin path, present or future, answers 403 to anyone but an admin', async () => {
    const org = await makeOrganisation(t.database, 'NPO 管理者ページ');
    expect((await bearer(t.app, org.token)('POST', '/api/users', { email: 'pages-editor@example.jp', name: '編集 三郎', role: 'editor', password: PASSWORD })).status).toBe(201);
    const editor = session(t.app, await login(t.app, 'pages-editor@example.jp'));
    const admin = session(t.app, await login(t.app, org.email));
    const routes = new Map(accountPages(t.database).routes.filter((r) => isAdminPage(r.path)).map((r) => [`${r.method} ${r.path}`, r]));
    expect([...routes.values()].map((r) => r.path)).toEqual(expect.arrayContaining(ADMIN_PAGES));
    for (const r of routes.values()) {
      const path = r.path.replace(/:\w+/g, randomUUID());
      const res = await editor(r.method, path);
      expect(res.status, `${r.method} ${r.path}`).toBe(403);
      expect(await res.text()).toContain('管理者用');
    }
    for (const path of ADMIN_PAGES) expect((await admin('GET', path)).status, path).toBe(200);
  });
});

describeEachDatabase('protecting the service', (kind) => {
  const t = useTestApp(kind);

  it('rate limits participant endpoints per IP and per wave link, with a Japanese 429', async () => {
    const w = await openWave(t, ['ucla3-national']);
    const limited = createApp({
      database: t.database,
      config: { maxBodyBytes: 256 * 1024, publicUrl: 'http://localhost', rateLimits: { ipPerMinute: 20, wavePerSecond: 1000, loginPerMinute: 3, trustProxy: true } },
      hashKey: t.hashKey,
    });
    const from = (ip: string, i: number) =>
      limited.request(`/api/public/s/${w.slug}/responses`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify({ idempotencyKey: `rl-${ip.replaceAll(".", "_")}-${i}-xxxx`, answers }) });
    const statuses = [];
    for (let i = 0; i < 12; i++) statuses.push((await from('10.0.0.1', i)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(201));
    const blocked = await from('10.0.0.1', 99);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await blocked.json()).title_ja).toBe('アクセスが集中しています');
    expect((await from('10.0.0.2', 0)).status).toBe(201);

    const perWave = createApp({ database: t.database, config: { maxBodyBytes: 256 * 1024, rateLimits: { ipPerMinute: 0, wavePerSecond: 2, loginPerMinute: 0, trustProxy: false } }, hashKey: 'k'.repeat(32) });
    const pages = [];
    for (let i = 0; i < 12; i++) pages.push((await perWave.request(`/s/${w.slug}`)).status);
    expect(pages).toContain(429);
    expect((await perWave.request(`/s/other-slug-0123456`)).status).not.toBe(429);

    const logins = [];
    for (let i = 0; i < 5; i++) {
      logins.push((await limited.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.9.9.9' }, body: JSON.stringify({ email: 'who@example.jp', password: 'guess' }) })).status);
    }
    expect(logins).toEqual([401, 401, 401, 429, 429]);
  });

  it('sends security headers: a CSP without inline scripts, no framing, no sniffing', async () => {
    const w = await openWave(t, ['ucla3-national']);
    const res = await t.request(`/s/${w.slug}`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('answers unknown, malformed and never-issued links and tokens alike (no enumeration)', async () => {
    const post = (path: string) => t.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idempotencyKey: 'enum-0001', answers }) });
    const answersSeen = await Promise.all(
      ['/api/public/s/AAAAAAAAAAAAAAAAAAAAAA/responses', '/api/public/s/x/responses', '/api/public/t/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/responses', "/api/public/t/'%20or%201=1--/responses"].map(async (p) => {
        const r = await post(p);
        return { status: r.status, body: await r.json() };
      }),
    );
    for (const a of answersSeen) expect(a).toEqual(answersSeen[0]);
    expect(answersSeen[0].status).toBe(404);
    const pages = await Promise.all(['/s/AAAAAAAAAAAAAAAAAAAAAA', '/s/x', '/t/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'].map(async (p) => (await t.request(p)).status));
    expect(new Set(pages).size).toBe(1);
  });

  it('neutralises spreadsheet formulas in CSV cells', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+81 90')).toBe("'+81 90");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-1)).toBe('-1');
  });
});
