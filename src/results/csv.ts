/** Excel reads UTF-8 only with a byte-order mark; without it Japanese turns into mojibake. */
export const BOM = '\uFEFF';

/**
 * One CSV cell. Text starting with = + - @ (or tab/CR) is prefixed with ' so a spreadsheet
 * shows it instead of running it as a formula (CSV injection).
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string') text = neutralise(text);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Text a spreadsheet would run as a formula (= + - @ tab or CR first), prefixed with ' so it is shown instead. */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function csvLine(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
