import { expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/databases.js';
import { useTestApp } from '../helpers/testApp.js';
import { bearer, login, makeOrganisation, session } from './accountsHelpers.js';

/** Issue 11, point 3: current-password guesses are limited and audited. */
describeEachDatabase('changing a password', (kind) => {
  const t = useTestApp(kind, { rateLimits: { ipPerMinute: 0, wavePerSecond: 0, loginPerMinute: 10, trustProxy: false } });

  it('wrong current passwords are audited, and guessing meets the login limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await t.staff('POST', '/api/auth/password', { currentPassword: `guess-${i}`, newPassword: 'a new long passphrase here' })).status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(403));
    expect(statuses[10]).toBe(429);
    const log = await (await t.staff('GET', '/api/audit')).json();
    expect(log.events.filter((e: { action: string }) => e.action === 'auth.password_change_failed')).toHaveLength(10);
  });
});

describeEachDatabase('an admin resets a colleague\'s password', (kind) => {
  const t = useTestApp(kind);

  it('revokes the colleague\'s API tokens unless asked to keep them', async () => {
    for (const [i, keep] of [false, true].entries()) {
      const email = `colleague-${i}@example.jp`;
      const user = await (await t.staff('POST', '/api/users', { email, name: '同僚', role: 'editor', password: 'colleague-password-1' })).json();
      const asColleague = session(t.app, await login(t.app, email, 'colleague-password-1'));
      const created = await asColleague('POST', '/api/tokens', { label: 'script', role: 'editor' });
      expect(created.status).toBe(201);
      const token = (await created.json()).token;
      const reset = await t.staff('PATCH', `/api/users/${user.id}`, { password: 'a temporary password', ...(keep ? { revokeTokens: false } : {}) });
      expect(reset.status).toBe(200);
      const me = await t.app.request('/api/auth/me', { headers: { authorization: `Bearer ${token}` } });
      expect(me.status, keep ? 'kept' : 'revoked').toBe(keep ? 200 : 401);
    }
  });
});

/** Issue 11, point 3: an organisation can neither learn nor claim another organisation's staff addresses. */
describeEachDatabase('accounts belong to one organisation', (kind) => {
  const t = useTestApp(kind);

  it('the same email opens a separate account in each organisation, and login finds the right one', async () => {
    const a = await makeOrganisation(t.database, '団体A');
    const b = await makeOrganisation(t.database, '団体B');
    const asA = bearer(t.app, a.token);
    const asB = bearer(t.app, b.token);
    const email = 'shared.person@example.jp';
    expect((await asA('POST', '/api/users', { email, name: 'A の職員', role: 'editor', password: 'password-in-a-1' })).status).toBe(201);
    // B's answer is what it would be for an address nobody uses.
    const inB = await asB('POST', '/api/users', { email, name: 'B の職員', role: 'evaluator', password: 'password-in-b-1' });
    expect(inB.status).toBe(201);
    const again = await asB('POST', '/api/users', { email: 'Shared.Person@example.jp', name: '重複', role: 'editor', password: 'password-in-b-2' });
    expect(again.status).toBe(409);
    expect((await again.json()).detail_ja).toContain('この団体');

    expect((await login(t.app, email, 'password-in-a-1')).body.organisation.id).toBe(a.organisationId);
    expect((await login(t.app, email, 'password-in-b-1')).body.organisation.id).toBe(b.organisationId);
  });

  it('one password for accounts in two organisations asks which, and only then names them', async () => {
    const a = await makeOrganisation(t.database, '社協');
    const b = await makeOrganisation(t.database, '支援センター');
    const email = 'two.hats@example.jp';
    for (const org of [a, b]) {
      expect((await bearer(t.app, org.token)('POST', '/api/users', { email, name: '兼務', role: 'editor', password: 'same-password-1' })).status).toBe(201);
    }
    const attempt = (body: Record<string, unknown>) =>
      t.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, ...body }) });
    const wrong = await attempt({ password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(await wrong.json())).not.toContain('社協');
    const ambiguous = await attempt({ password: 'same-password-1' });
    expect(ambiguous.status).toBe(409);
    const choices = (await ambiguous.json()).organisations as { id: string; name: string }[];
    expect(choices.map((o) => o.id).sort()).toEqual([a.organisationId, b.organisationId].sort());
    const chosen = await attempt({ password: 'same-password-1', organisationId: b.organisationId });
    expect(chosen.status).toBe(200);
    expect((await chosen.json()).organisation.id).toBe(b.organisationId);
  });
});
