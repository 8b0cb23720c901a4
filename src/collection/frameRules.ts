import { problems } from '../http/problem.js';

/** Headers that name the unit id column: the API's own names and the one staff read (and the invitation list export writes). */
// 「対象者番号 unit_id」 is the header of list exports made before the export wrote 対象者番号 alone.
export const UNIT_ID_COLUMNS = ['unit_id', 'unitId', '対象者番号', '対象者番号 unit_id'];

/**
 * Columns the invitation list export adds about the old wave (status, time, link, code): dropped when
 * that export is uploaded as a new wave's frame, so they never become attributes.
 */
export const EXPORT_ONLY_COLUMNS = ['回答状況', '最終更新（日本時間）', '招待リンク', 'アクセスコード'];

// A unit id is a path segment of the invitation routes (/invitations/<unitId>): these would break it.
const UNUSABLE_IN_ID = /[/\\?#\p{Cc}]/u;

const invalidFrame = { title: 'Invalid frame', title_ja: '名簿に誤りがあります' };

export function unreadableCsv(error: Error & { lines?: number }) {
  const where = error.lines ? `${error.lines} 行目付近` : '';
  return problems.badRequest(`The CSV could not be read: ${error.message}`, {
    ...invalidFrame,
    detail_ja: `CSV を読み取れません${where ? `（${where}）` : ''}。引用符（"）の閉じ忘れや、見出しと列の数が合わない行がないか確認してください。`,
  });
}

export function assertIdsGiven(units: { unitId?: string }[]): void {
  const missing = units.flatMap((u, i) => (u.unitId ? [] : [i + 2]));
  if (missing.length === 0) return;
  const listed = missing.slice(0, 10).join('、');
  throw problems.badRequest(`Every CSV row needs a value in the "unit_id" (or "対象者番号") column. Rows without one: ${missing.slice(0, 10).join(', ')}`, {
    ...invalidFrame,
    detail_ja: `対象者番号がない行があります（${missing.length} 行: ${listed} 行目${missing.length > 10 ? 'ほか' : ''}）。1行目の見出しに unit_id または 対象者番号 の列を置き、すべての行に番号を入れてください。`,
  });
}

/** Refuses ids that repeat within the upload or that could not be part of an address. */
export function assertUsableIds(ids: string[]): void {
  const seen = new Set<string>();
  const repeated = [...new Set(ids.filter((id) => seen.has(id) || !seen.add(id)))].slice(0, 10);
  if (repeated.length > 0) {
    throw problems.unprocessable(`Unit ids repeat: ${repeated.join(', ')}`, [{ field: 'unitId', label: '', message: `unit ids repeat: ${repeated.join(', ')}`, message_ja: `同じ対象者番号が複数回あります: ${repeated.join('、')}` }], {
      ...invalidFrame,
      detail_ja: `同じ対象者番号が名簿の中で繰り返されています: ${repeated.join('、')}。番号は対象者ごとに一つにしてください。`,
    });
  }
  const unusable = ids.filter((id) => UNUSABLE_IN_ID.test(id)).slice(0, 10);
  if (unusable.length > 0) {
    const shown = unusable.map((id) => JSON.stringify(id).slice(1, -1));
    throw problems.unprocessable(`Unit ids may not contain / \\ ? # or control characters: ${shown.join(', ')}`, [{ field: 'unitId', label: '', message: `unusable character in: ${shown.join(', ')}`, message_ja: `対象者番号に / \\ ? # や制御文字は使えません: ${shown.join('、')}` }], {
      ...invalidFrame,
      detail_ja: `対象者番号に / \\ ? # や制御文字は使えません（${shown.join('、')}）。英数字・ハイフンなどに置き換えてください。`,
    });
  }
}
