import { describe, expect, it } from 'vitest';
import { closedReason, hasEnded, unavailableLink } from '../../src/collection/waveState.js';
import type { waves } from '../../src/db/schema.js';

const wave = (extra: Partial<typeof waves.$inferSelect>) => ({ status: 'open', opensAt: null, closesAt: null, ...extra }) as typeof waves.$inferSelect;
const now = new Date('2026-11-22T12:00:00Z');

describe('closedReason', () => {
  it('takes answers while open', () => {
    expect(closedReason(wave({}), now)).toBeNull();
    expect(closedReason(wave({ opensAt: new Date('2026-11-01T00:00:00Z'), closesAt: new Date('2026-12-01T00:00:00Z') }), now)).toBeNull();
  });

  it('names the opening day as it is in Japan', () => {
    // 15:30 UTC on 30 November is 00:30 on 1 December in Japan.
    const early = closedReason(wave({ opensAt: new Date('2026-11-30T15:30:00Z') }), now);
    expect(early?.body).toMatchObject({ status: 409, detail: 'This survey opens on 2026-12-01.', detail_ja: 'このアンケートの受付は 2026-12-01 からです。' });
  });

  it('answers a closed or past-closing wave exactly as an unknown link', () => {
    expect(closedReason(wave({ status: 'closed' }), now)?.body).toEqual(unavailableLink().body);
    expect(closedReason(wave({ closesAt: new Date('2026-11-22T11:59:59Z') }), now)?.body).toEqual(unavailableLink().body);
  });

  it('a wave has ended when closed or past its closing time, not before it opens (its link and QR code stay live)', () => {
    expect(hasEnded(wave({ opensAt: new Date('2026-12-01T00:00:00Z') }), now)).toBe(false);
    expect(hasEnded(wave({ closesAt: new Date('2026-11-22T11:00:00Z') }), now)).toBe(true);
    expect(hasEnded(wave({ status: 'closed' }), now)).toBe(true);
    // closed before its opening day: it will never open, so it reads as closed, not "opens on …"
    const closedEarly = wave({ status: 'closed', opensAt: new Date('2026-12-01T00:00:00Z') });
    expect(hasEnded(closedEarly, now)).toBe(true);
    expect(closedReason(closedEarly, now)?.body).toEqual(unavailableLink().body);
  });
});
