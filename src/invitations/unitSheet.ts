import { DISPOSITIONS } from '../collection/dispositionViews.js';
import { EXPORT_ONLY_COLUMNS } from '../collection/frameRules.js';
import { BOM, csvLine } from '../results/csv.js';
import type { Cell, Sheet } from '../results/sheets.js';
import { japanClock } from '../web/japanTime.js';
import type { ListedUnit } from './listQuery.js';
import type { ShownLink } from './shownLinks.js';

export const dispositionJa = (key: string) => DISPOSITIONS.find((d) => d.key === key)?.ja ?? key;

/** Said wherever an old link would be: it was made before links could be shown again. */
export const REISSUE_NEEDED = '再発行が必要（以前のリンクは再表示できません）';

/** The invitation list as one table: unit id, every attribute (in first-seen order), disposition, last activity, link and code. */
export function unitSheet(waveName: string, units: ListedUnit[], linkOf: (unit: ListedUnit) => ShownLink | null): Sheet {
  const attributes = [...new Set(units.flatMap((u) => Object.keys(u.attributes)))];
  const rows: Cell[][] = units.map((u) => {
    const link = linkOf(u);
    return [u.unitId, ...attributes.map((a) => u.attributes[a] ?? null), dispositionJa(u.disposition), japanClock(u.updatedAt), link?.url ?? REISSUE_NEEDED, link?.accessCode ?? null];
  });
  return {
    name: '招待者一覧',
    title: `招待者一覧: ${waveName}`,
    // 対象者番号 and the attributes as their own columns: the file goes back in as another wave's frame.
    header: ['対象者番号', ...attributes, ...EXPORT_ONLY_COLUMNS],
    rows,
    notes: ['アクセスコードは短いアドレス（…/c）で入力します。再発行すると以前のリンクとコードは使えなくなります。'],
  };
}

/** CSV for mail merge: the header on the first line (no title row), UTF-8 with BOM, formula cells neutralised. */
export function unitCsv(sheet: Sheet): string {
  return BOM + [sheet.header, ...sheet.rows].map((row) => csvLine(row)).join('');
}
