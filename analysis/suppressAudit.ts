/**
 * Disclosure audit of a published table by linear programming (issue 12, "Suppression leaks").
 *
 * An attacker sees what is published: shown counts, shown margins, shown percentages and what each
 * marker says about the hidden value. Everything published is a linear constraint on the hidden values;
 * the smallest and largest value a hidden entry can take under all of them is its feasibility interval.
 * The solver is HiGHS (MIT, University of Edinburgh), compiled to WebAssembly by the `highs` package: it
 * runs offline, needs no native build, and its solve calls are synchronous once the module is loaded.
 *
 * Integrality: the audit solves the LP relaxation (real values) and rounds its bounds inwards to
 * integers (⌈min⌉, ⌊max⌋). For a two-way table whose published constraints are row and column sums with
 * integer right-hand sides and integer bounds, the constraint matrix is totally unimodular, so the LP's
 * optimal vertices are integral and the rounded LP interval is exactly the attacker's integer interval.
 * Published percentages would break that property, which is one reason `suppress` publishes a percentage
 * only when its count and its base are both shown (the percentage then adds no constraint at all). When
 * percentages with a hidden side are audited (a stricter re-audit of somebody else's output), the rounded
 * LP interval contains the integer interval and may be wider: the audit is then a necessary check, not a proof.
 */
import highsLoader from 'highs';

const highs = await highsLoader();

/** One entry of a published table: a shown number, or a hidden value known to lie in [lower, upper]. */
export type AuditEntry = { shown: number } | { hidden: true; lower: number; upper: number };

/** A published linear fact: Σ coef·entry (over `terms`) lies in [lower, upper] (an equation when equal). */
export interface AuditConstraint {
  terms: { entry: number; coef: number }[];
  lower: number;
  upper: number;
}

export interface AuditModel {
  entries: AuditEntry[];
  constraints: AuditConstraint[];
}

export interface AuditInterval {
  entry: number;
  /** LP bounds of the entry under everything published (Infinity when unbounded). */
  min: number;
  max: number;
}

/** Σ parts = total, as a constraint. */
export function sumConstraint(total: number, parts: number[]): AuditConstraint {
  return { terms: [{ entry: total, coef: -1 }, ...parts.map((entry) => ({ entry, coef: 1 }))], lower: 0, upper: 0 };
}

/**
 * A published percentage p of numerator / base, rounded to `decimals` places: the true ratio lies in
 * [p − h, p + h] with h half a unit of the last place, i.e. 100·num − (p ± h)·base ≷ 0, linear in both.
 */
export function percentConstraints(numerator: number, base: number, p: number, decimals: number): AuditConstraint[] {
  const h = 0.5 * 10 ** -decimals;
  return [
    { terms: [{ entry: numerator, coef: 100 }, { entry: base, coef: -(p + h) }], lower: -Infinity, upper: 0 },
    { terms: [{ entry: numerator, coef: 100 }, { entry: base, coef: -Math.max(0, p - h) }], lower: 0, upper: Infinity },
  ];
}

const EPS = 1e-6;

/**
 * Feasibility interval of every hidden entry (or only of `only`), two LPs each (minimise, maximise) on
 * one persistent HiGHS model. `stopAt` ends the audit at the first interval it rejects (used inside the
 * suppression loop, where one failure is enough to act on).
 */
export function auditIntervals(
  model: AuditModel,
  options: { only?: number[]; stopAt?: (interval: AuditInterval) => boolean } = {},
): AuditInterval[] {
  const hidden: number[] = [];
  const column = new Map<number, number>();
  model.entries.forEach((e, i) => {
    if ('hidden' in e) {
      column.set(i, hidden.length);
      hidden.push(i);
    }
  });
  if (hidden.length === 0) return [];
  const out: AuditInterval[] = [];
  const m = highs.createModel();
  try {
    m.options.set('output_flag', false);
    m.addVars(
      hidden.map((i) => (model.entries[i] as { lower: number }).lower),
      hidden.map((i) => (model.entries[i] as { upper: number }).upper),
    );
    for (const c of model.constraints) {
      // Shown entries move to the right-hand side; a constraint on shown entries only adds nothing.
      let constant = 0;
      const coefs = new Map<number, number>();
      for (const t of c.terms) {
        const e = model.entries[t.entry];
        if ('shown' in e) constant += t.coef * e.shown;
        else {
          const col = column.get(t.entry)!;
          coefs.set(col, (coefs.get(col) ?? 0) + t.coef);
        }
      }
      const used = [...coefs].filter(([, v]) => v !== 0);
      if (used.length === 0) continue;
      m.addRow(c.lower - constant, c.upper - constant, { indices: used.map(([k]) => k), values: used.map(([, v]) => v) });
    }
    const costs = new Float64Array(hidden.length);
    const targets = options.only ?? hidden;
    for (const entry of targets) {
      const col = column.get(entry);
      if (col === undefined) continue;
      costs.fill(0);
      costs[col] = 1;
      m.changeColsCost({ kind: 'range', from: 0, to: hidden.length - 1 }, costs);
      const bound = (sense: 'minimize' | 'maximize') => {
        m.changeObjectiveSense(highs.constants.objectiveSense[sense]);
        const status = m.run().modelStatus;
        if (status === highs.constants.modelStatus.optimal) return m.getObjectiveValue();
        if (status === highs.constants.modelStatus.unbounded) return sense === 'maximize' ? Infinity : -Infinity;
        if (status === highs.constants.modelStatus.infeasible) {
          throw new Error('suppression audit: the published constraints are infeasible (inconsistent table)');
        }
        throw new Error(`suppression audit: HiGHS model status ${status}`);
      };
      const interval = { entry, min: bound('minimize'), max: bound('maximize') };
      out.push(interval);
      if (options.stopAt?.(interval)) break;
    }
  } finally {
    m.dispose();
  }
  return out;
}

/** The integer interval the LP bounds allow: bounds rounded inwards (see the note on integrality above). */
export function integerInterval(interval: { min: number; max: number }): { min: number; max: number } {
  return {
    min: Number.isFinite(interval.min) ? Math.ceil(interval.min - EPS) : interval.min,
    max: Number.isFinite(interval.max) ? Math.floor(interval.max + EPS) : interval.max,
  };
}
