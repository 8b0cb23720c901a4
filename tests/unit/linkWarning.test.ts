import { describe, expect, it } from 'vitest';
import { LinkWarning, reachable } from '../../src/web/staff/linkWarning.js';

describe('participant links that only this computer can open', () => {
  it('are told apart from links a phone can reach', () => {
    for (const link of ['http://127.0.0.1:3000/s/abc', 'http://localhost:3000/s/', 'http://[::1]:3000/s/', 'http://0.0.0.0:3000/s/', '/s/abc']) expect(reachable(link), link).toBe(false);
    for (const link of ['https://survey.example.jp/s/abc', 'http://192.168.1.20:3000/s/']) expect(reachable(link), link).toBe(true);
  });

  it('are named on the page with what to do', async () => {
    const html = String(await LinkWarning({ sample: 'http://127.0.0.1:3000/s/' }));
    expect(html).toContain('http://127.0.0.1:3000');
    expect(html).toContain('PUBLIC_URL');
    expect(String(await LinkWarning({ sample: 'https://survey.example.jp/s/' }) ?? '')).toBe('');
  });
});
