/**
 * Times as people in Japan read and type them, whatever the server's or browser's zone: staff and
 * participants work in Japan time. (The staff pages' script appends +09:00 to what is typed into a
 * datetime-local input, the other half of japanLocalInput.)
 */
const ZONE = 'Asia/Tokyo';

/** "2026/12/01 09:00" for pages; "—" for no time. */
export function dateTime(d: Date | string | null | undefined, options: { seconds?: boolean } = {}): string {
  if (!d) return '—';
  return new Date(d).toLocaleString('ja-JP', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    ...(options.seconds ? { second: '2-digit' } : {}),
  });
}

/** The calendar day in Japan (YYYY-MM-DD). */
export function japanDate(d: Date): string {
  return d.toLocaleDateString('sv-SE', { timeZone: ZONE });
}

/** The value of a datetime-local input showing this instant in Japan time (YYYY-MM-DDTHH:MM); '' for none. */
export function japanLocalInput(d: Date | null): string {
  if (!d) return '';
  return d.toLocaleString('sv-SE', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).replace(' ', 'T');
}

/** Japan has kept +09:00 all year since 1952 (no summer time), so a fixed shift is exact. */
export const JAPAN_OFFSET_MS = 9 * 60 * 60 * 1000;

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * "2026/11/30 14:05:00": Japan time as Excel reads it back as a date in a CSV. Built from the shifted
 * UTC fields, not Intl, because exports call it once per row (toLocaleString took ~100× longer here).
 */
export function japanClock(d: Date): string {
  const j = new Date(d.getTime() + JAPAN_OFFSET_MS);
  return `${j.getUTCFullYear()}/${pad(j.getUTCMonth() + 1)}/${pad(j.getUTCDate())} ${pad(j.getUTCHours())}:${pad(j.getUTCMinutes())}:${pad(j.getUTCSeconds())}`;
}

/**
 * A deadline as participants read it, for "…まで": 「2026年12月20日（日）」, with the time when it is not the
 * end of a day (a wave closing at 00:00 closes at the end of the day before, and says that day).
 */
export function deadlineText(closesAt: Date, lang: 'ja' | 'en' = 'ja'): string {
  const local = new Date(closesAt.getTime() + JAPAN_OFFSET_MS);
  const midnight = local.getUTCHours() === 0 && local.getUTCMinutes() === 0;
  const day = new Date(local.getTime() - (midnight ? 86_400_000 : 0));
  const time = midnight ? '' : ` ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
  if (lang === 'en') {
    const date = day.toLocaleDateString('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
    return time ? `${date},${time}` : date;
  }
  const weekday = '日月火水木金土'[day.getUTCDay()];
  return `${day.getUTCFullYear()}年${day.getUTCMonth() + 1}月${day.getUTCDate()}日（${weekday}）${time}`;
}
