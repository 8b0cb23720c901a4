import { describe, expect, it } from 'vitest';
import { deadlineText } from '../../src/web/japanTime.js';

describe('deadlineText: a deadline as participants read it, in Japan time', () => {
  it('names the Japanese day and weekday of an instant, with its time', () => {
    // 2026-12-20 08:00 UTC = 17:00 on Sunday 20 December in Japan.
    expect(deadlineText(new Date('2026-12-20T08:00:00Z'))).toBe('2026年12月20日（日） 17:00');
    expect(deadlineText(new Date('2026-12-20T08:00:00Z'), 'en')).toBe('Sunday, 20 December 2026, 17:00');
  });
  it('reads a close at midnight as the end of the day before', () => {
    // 2026-12-21 00:00 in Japan = 2026-12-20 15:00 UTC.
    expect(deadlineText(new Date('2026-12-20T15:00:00Z'))).toBe('2026年12月20日（日）');
  });
  it('crosses the date line by Japan time, not the server’s', () => {
    // 2026-12-31 23:30 UTC is already 1 January 2027, 08:30, a Friday, in Japan.
    expect(deadlineText(new Date('2026-12-31T23:30:00Z'))).toBe('2027年1月1日（金） 08:30');
  });
});
