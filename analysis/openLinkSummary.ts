import { bilingual } from './bilingual.js';
import type { ResultMeta } from './types.js';

/** Responses collected through an open link or QR code, optionally pre-aggregated (count). */
export interface OpenLinkResponse {
  status: 'complete' | 'partial';
  /** Last page the respondent reached; for partials this is the break-off page. */
  lastPage?: string | null;
  count?: number;
}

export interface OpenLinkSummary extends ResultMeta {
  /** All responses started (completes + partials). */
  n: number;
  completes: number;
  partials: number;
  /** Partials by the page where they stopped, in questionnaire order when `pageOrder` is given. */
  breakOffByPage: { page: string | null; count: number }[];
}

/**
 * Open links have no frame, so there is no denominator of invited units and hence no response rate;
 * what can be reported honestly is how many finished and where the others stopped.
 */
export function openLinkSummary(responses: OpenLinkResponse[], options: { pageOrder?: string[] } = {}): OpenLinkSummary {
  let completes = 0;
  let partials = 0;
  const byPage = new Map<string | null, number>();
  for (const p of options.pageOrder ?? []) byPage.set(p, 0);
  for (const r of responses) {
    const count = r.count ?? 1;
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`openLinkSummary: bad count ${count}`);
    if (r.status === 'complete') completes += count;
    else if (r.status === 'partial') {
      partials += count;
      const page = r.lastPage ?? null;
      byPage.set(page, (byPage.get(page) ?? 0) + count);
    } else throw new RangeError(`openLinkSummary: unknown status ${String(r.status)}`);
  }
  const warnings: string[] = [];
  const unknownPage = byPage.get(null) ?? 0;
  if (unknownPage > 0) {
    warnings.push(bilingual(
      `途中までの回答 ${unknownPage} 件は、中断したページが記録されていません（page: null）。`,
      `${unknownPage} partial response(s) have no recorded page (page: null).`,
    ));
  }
  return {
    n: completes + partials,
    completes,
    partials,
    breakOffByPage: [...byPage.entries()].map(([page, count]) => ({ page, count })),
    method: bilingual(
      'オープンリンク（名簿なし）: 回答完了と途中までの回答の件数、中断したページ別の件数。リンクを見た人数が分からないため回収率は出しません。',
      'Open link (no sampling frame): counts of completed and partial responses and break-off by last page ' +
      'reached; no response rate, because the number of people who saw the link is unknown.',
    ),
    warnings,
  };
}
