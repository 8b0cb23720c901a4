/** Staff pages show times in Japan, where the organisations work, whatever the server's zone. */
export function dateTime(d: Date | string | null | undefined, options: { seconds?: boolean } = {}): string {
  if (!d) return '—';
  return new Date(d).toLocaleString('ja-JP', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    ...(options.seconds ? { second: '2-digit' } : {}),
  });
}
