import { expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/databases.js';
import { useTestApp } from '../helpers/testApp.js';
import { login, session } from './accountsHelpers.js';

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
