import { roundHalfUp } from './rounding.js';

export type PValueLanguage = 'ja' | 'en';

export const P_VALUE_FORMAT_RULE =
  'p-values shown to 3 decimals, rounded half up; below 0.001 shown as "p < 0.001" (English reports: APA style, ' +
  'no leading zero: "p = .012", "p < .001"); never "p = 0"';

/**
 * A p-value as printed in a report: 「p < 0.001」 below 0.001, otherwise 「p = 0.012」 (3 decimals,
 * rounded half up). English uses the APA form without the leading zero ("p < .001", "p = .012").
 * A p that rounds to 0.000 is always below 0.001, so "p = 0" cannot appear; a null (or NaN) p,
 * e.g. of an undefined test, is shown as "p = —".
 */
export function formatPValue(p: number | null, lang: PValueLanguage = 'ja'): string {
  if (p === null || Number.isNaN(p)) return 'p = —';
  if (p < 0 || p > 1) throw new RangeError(`formatPValue: p must be in [0, 1], got ${p}`);
  const strip = (s: string) => (lang === 'en' ? s.replace(/^0\./, '.') : s);
  if (p < 0.001) return `p < ${strip('0.001')}`;
  return `p = ${strip(roundHalfUp(p, 3).toFixed(3))}`;
}
