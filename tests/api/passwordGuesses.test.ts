import { expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/databases.js';
import { useTestApp } from '../helpers/testApp.js';

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
