import { bilingual } from './bilingual.js';
import { percent, ROUNDING_RULE } from './rounding.js';
import type { ResultMeta } from './types.js';

export type Disposition =
  | 'pending' | 'complete' | 'partial' | 'refused' | 'non-contact' | 'ineligible' | 'unknown';

export const DISPOSITIONS: readonly Disposition[] = [
  'complete', 'partial', 'refused', 'non-contact', 'pending', 'unknown', 'ineligible',
];

/** One invited unit (organisation or person) of the frame. */
export interface FrameUnit {
  attributes: Record<string, string | null>;
  disposition: Disposition;
}

/** Pre-aggregated frame counts, e.g. from SQL `GROUP BY city, disposition`. */
export interface FrameCount {
  group: Record<string, string | null>;
  disposition: Disposition;
  count: number;
}

export interface ResponseRateOptions {
  /** 0, 1 or 2 attributes to break the rates down by. */
  by?: string[];
  decimals?: number;
  /** Estimated eligible share of unknown-eligibility units for RR3/RR4; default estimated from the frame. */
  e?: number;
  /** Units still 'pending' at close: eligible non-respondents (default) or unknown eligibility. */
  pendingAs?: 'non-contact' | 'unknown';
  /** Levels to show even when absent from the data (e.g. every city of the frame), per attribute. */
  levels?: Record<string, string[]>;
}

/** AAPOR disposition totals: I, P, R, NC, O, U and ineligible. */
export interface AaporCounts {
  frame: number;
  complete: number;
  partial: number;
  refusal: number;
  nonContact: number;
  other: number;
  unknown: number;
  ineligible: number;
  /** Units still pending, already counted in nonContact or unknown (see pendingAs); shown so nobody has to guess. */
  pending: number;
}

export interface RateSet {
  /** Completed / eligible invited units (frame minus ineligible), in percent. */
  simple: number | null;
  rr1: number | null;
  rr2: number | null;
  rr3: number | null;
  rr4: number | null;
  rr5: number | null;
  rr6: number | null;
}

export interface GroupRates {
  /** Attribute values of this group; null = attribute missing on the frame. */
  group: Record<string, string | null>;
  counts: AaporCounts;
  /** Base of the simple rate: eligible invited units. */
  n: number;
  rates: RateSet;
}

export interface ResponseRateResult extends ResultMeta {
  by: string[];
  decimals: number;
  rounding: string;
  /** Eligible share of unknown-eligibility units used for RR3/RR4. */
  e: number;
  groups: GroupRates[];
  /** With two `by` attributes: the one-way margins of each. */
  margins: Record<string, GroupRates[]>;
  overall: GroupRates;
  n: number;
}

function emptyCounts(): AaporCounts {
  return { frame: 0, complete: 0, partial: 0, refusal: 0, nonContact: 0, other: 0, unknown: 0, ineligible: 0, pending: 0 };
}

function addDisposition(c: AaporCounts, d: Disposition, count: number, pendingAs: 'non-contact' | 'unknown') {
  c.frame += count;
  switch (d) {
    case 'complete': c.complete += count; break;
    case 'partial': c.partial += count; break;
    case 'refused': c.refusal += count; break;
    case 'non-contact': c.nonContact += count; break;
    case 'pending':
      c.pending += count;
      if (pendingAs === 'unknown') c.unknown += count;
      else c.nonContact += count;
      break;
    case 'unknown': c.unknown += count; break;
    case 'ineligible': c.ineligible += count; break;
    default: c.other += count;
  }
}

function ratesFor(c: AaporCounts, e: number, decimals: number): RateSet {
  const known = c.complete + c.partial + c.refusal + c.nonContact + c.other;
  const withU = known + c.unknown;
  const withEU = known + e * c.unknown;
  return {
    simple: percent(c.complete, c.frame - c.ineligible, decimals),
    rr1: percent(c.complete, withU, decimals),
    rr2: percent(c.complete + c.partial, withU, decimals),
    rr3: percent(c.complete, withEU, decimals),
    rr4: percent(c.complete + c.partial, withEU, decimals),
    rr5: percent(c.complete, known, decimals),
    rr6: percent(c.complete + c.partial, known, decimals),
  };
}

const keyOf = (values: (string | null)[]) => JSON.stringify(values);

/** Response rates from aggregated frame counts; the primary entry point. */
export function responseRatesFromCounts(rows: FrameCount[], options: ResponseRateOptions = {}): ResponseRateResult {
  const by = options.by ?? [];
  if (by.length > 2) throw new RangeError('responseRates: at most two breakdown attributes');
  const decimals = options.decimals ?? 2;
  const pendingAs = options.pendingAs ?? 'non-contact';
  const warnings: string[] = [];

  const overallCounts = emptyCounts();
  const cells = new Map<string, { group: Record<string, string | null>; counts: AaporCounts }>();
  const marginCells: Record<string, Map<string, { group: Record<string, string | null>; counts: AaporCounts }>> = {};
  for (const attr of by) marginCells[attr] = new Map();

  const cellFor = (
    map: Map<string, { group: Record<string, string | null>; counts: AaporCounts }>,
    attrs: string[],
    values: (string | null)[],
  ) => {
    const k = keyOf(values);
    let cell = map.get(k);
    if (!cell) {
      const group: Record<string, string | null> = {};
      attrs.forEach((a, i) => { group[a] = values[i]; });
      cell = { group, counts: emptyCounts() };
      map.set(k, cell);
    }
    return cell;
  };

  // Declared levels first, so groups with no units still show and keep the frame's order.
  const levels = by.map((a) => options.levels?.[a] ?? []);
  if (by.length === 1) for (const v of levels[0]) cellFor(cells, by, [v]);
  if (by.length === 2) for (const v of levels[0]) for (const w of levels[1]) cellFor(cells, by, [v, w]);
  if (by.length === 2) by.forEach((a, i) => { for (const v of levels[i]) cellFor(marginCells[a], [a], [v]); });

  let missingAttr = 0;
  for (const row of rows) {
    if (!Number.isInteger(row.count) || row.count < 0) {
      throw new RangeError(`responseRates: count must be a non-negative integer, got ${row.count}`);
    }
    if (!DISPOSITIONS.includes(row.disposition)) {
      throw new RangeError(`responseRates: unknown disposition ${String(row.disposition)}`);
    }
    const values = by.map((a) => row.group[a] ?? null);
    if (values.some((v) => v === null)) missingAttr += row.count;
    addDisposition(overallCounts, row.disposition, row.count, pendingAs);
    if (by.length > 0) addDisposition(cellFor(cells, by, values).counts, row.disposition, row.count, pendingAs);
    if (by.length === 2) {
      by.forEach((a, i) => addDisposition(cellFor(marginCells[a], [a], [values[i]]).counts, row.disposition, row.count, pendingAs));
    }
  }
  if (missingAttr > 0) {
    warnings.push(bilingual(
      `名簿の対象 ${missingAttr} 件に ${by.join(' / ')} の値がありません。値なし（null）のグループとして示し、全体の回収率には含めています。`,
      `${missingAttr} frame unit(s) have no value for ${by.join(' / ')}; shown as a null group, included in the overall rate.`,
    ));
  }

  // e defaults to the frame-wide share of eligible units among those whose eligibility is known
  // (AAPOR's proportional allocation), one value for all groups so strata are comparable.
  const o = overallCounts;
  const knownEligible = o.complete + o.partial + o.refusal + o.nonContact + o.other;
  let e = options.e ?? (knownEligible + o.ineligible > 0 ? knownEligible / (knownEligible + o.ineligible) : 1);
  if (!(e >= 0 && e <= 1)) throw new RangeError(`responseRates: e must be within [0, 1], got ${e}`);
  if (options.e === undefined && knownEligible + o.ineligible === 0) {
    warnings.push(bilingual('対象資格（調査対象に該当するか）が分かっている対象がないため、RR3/RR4 の e を 1 としています。', 'No unit of known eligibility: e set to 1 for RR3/RR4.'));
    e = 1;
  }
  if (o.frame === 0) warnings.push(bilingual('名簿（標本フレーム）が空のため、回収率を計算できません。', 'The frame is empty: no rate can be computed.'));

  const finish = (cell: { group: Record<string, string | null>; counts: AaporCounts }): GroupRates => {
    const n = cell.counts.frame - cell.counts.ineligible;
    if (n === 0 && by.length > 0 && Object.keys(cell.group).length > 0) {
      warnings.push(bilingual(
        `グループ ${JSON.stringify(cell.group)} には対象資格のある対象がないため、回収率は空欄（null）です。`,
        `Group ${JSON.stringify(cell.group)} has no eligible unit: its rates are null.`,
      ));
    }
    return { group: cell.group, counts: cell.counts, n, rates: ratesFor(cell.counts, e, decimals) };
  };

  const overall = finish({ group: {}, counts: overallCounts });
  const margins: Record<string, GroupRates[]> = {};
  if (by.length === 2) for (const a of by) margins[a] = [...marginCells[a].values()].map(finish);

  return {
    by,
    decimals,
    rounding: `${ROUNDING_RULE}, ${decimals} decimals; rates are computed from unrounded counts`,
    e,
    groups: [...cells.values()].map(finish),
    margins,
    overall,
    n: overall.n,
    method: bilingual(
      '回収率（単純回収率 = 完了数 ÷（名簿数 − 対象外）と、AAPOR 標準定義の RR1〜RR6）。',
      'Simple response rate = completes / (frame − ineligible), in percent. AAPOR (Standard Definitions) ' +
      'RR1 = I/((I+P)+(R+NC+O)+U), RR2 = (I+P)/same, RR3 = I/((I+P)+(R+NC+O)+e·U), RR4 = (I+P)/same as RR3, ' +
      'RR5 = I/((I+P)+(R+NC+O)), RR6 = (I+P)/same as RR5. Disposition mapping: complete→I, partial→P, ' +
      `refused (refusal or break-off)→R, non-contact→NC, pending (no answer at close)→${pendingAs === 'unknown' ? 'U' : 'NC'}, ` +
      `unknown→U, ineligible→excluded from every denominator; O = 0. e = ${options.e === undefined
        ? 'eligible share among units of known eligibility in the whole frame (proportional allocation)'
        : 'given by the evaluator'}.`,
    ),
    warnings,
  };
}

/**
 * Response rates from either aggregated counts (the server's GROUP BY output) or unit-level frame rows;
 * unit rows are counted first, then go through responseRatesFromCounts.
 */
export function responseRates(input: FrameCount[] | FrameUnit[], options: ResponseRateOptions = {}): ResponseRateResult {
  if (input.every((r) => 'count' in r)) return responseRatesFromCounts(input as FrameCount[], options);
  return responseRatesFromCounts(aggregateUnits(input as FrameUnit[], options.by ?? []), options);
}

/** Counts unit-level frame rows per breakdown values and disposition. */
export function aggregateUnits(units: FrameUnit[], by: string[]): FrameCount[] {
  const counts = new Map<string, FrameCount>();
  for (const u of units) {
    const values = by.map((a) => u.attributes[a] ?? null);
    const k = keyOf([...values, u.disposition]);
    const existing = counts.get(k);
    if (existing) existing.count += 1;
    else {
      const group: Record<string, string | null> = {};
      by.forEach((a, i) => { group[a] = values[i]; });
      counts.set(k, { group, disposition: u.disposition, count: 1 });
    }
  }
  return [...counts.values()];
}
