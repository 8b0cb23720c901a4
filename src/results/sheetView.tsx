/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import { isPercent, type Cell, type Sheet } from './sheets.js';

const shown = (cell: Cell) => (isPercent(cell) ? `${cell.percent.toFixed(cell.decimals)}%${cell.suffix ? ` ${cell.suffix}` : ''}` : (cell ?? ''));
const numeric = (cell: Cell) => typeof cell === 'number' || isPercent(cell);

/**
 * A download's sheet as an HTML table: the page prints the very cells the CSV and XLSX hold, so the
 * screen and the download cannot disagree. An empty row starts a new block whose first row is its header.
 */
export const SheetTable: FC<{ sheet: Sheet; id?: string }> = ({ sheet, id }) => {
  const blocks: Cell[][][] = [[]];
  for (const row of sheet.rows) {
    if (row.length === 0) blocks.push([]);
    else blocks[blocks.length - 1].push(row);
  }
  return (
    <div class="sheet" id={id}>
      {blocks.map((rows, b) => (
        <div class="scroll">
          <table>
            <thead>
              <tr>{(b === 0 ? sheet.header : rows[0]).map((cell) => <th class={numeric(cell) ? 'num' : ''}>{shown(cell)}</th>)}</tr>
            </thead>
            <tbody>
              {(b === 0 ? rows : rows.slice(1)).map((row) => (
                <tr class={row[0] === '全体' || row[0] === '合計' ? 'total' : ''}>
                  {row.map((cell, i) => (i === 0 ? <th>{shown(cell)}</th> : <td class={numeric(cell) ? 'num' : ''}>{shown(cell)}</td>))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {sheet.notes.length ? <ul class="sheet-notes">{sheet.notes.map((n) => <li>{n}</li>)}</ul> : null}
    </div>
  );
};
