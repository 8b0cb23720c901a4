import { eq } from 'drizzle-orm';
import type { Staff } from '../auth/staff.js';
import type { loadOwnedWave } from '../collection/loaders.js';
import type { Database } from '../db/database.js';
import { organisations } from '../db/schema.js';
import { problems } from '../http/problem.js';
import { codebook } from '../questionnaires/codebook.js';
import { resolveVariable, runCrosstab } from './crosstabQuery.js';
import { crosstabSheet, type PercentBase } from './sheets.js';

export type CrosstabSpec = {
  row: string;
  col?: string;
  include: 'complete' | 'all';
  missing: 'show' | 'exclude';
  letters: 'none' | 'bonferroni' | 'holm';
  suppress?: number;
  percent?: PercentBase;
};

/**
 * The k a shared table is suppressed at: an evaluator may ask for more protection than the
 * organisation's k, never less. The page and every download use it, so they show the same cells.
 */
export async function sharedK(database: Database, staff: Staff, asked: number | undefined): Promise<number> {
  const [organisation] = await database.db.select().from(organisations).where(eq(organisations.id, staff.organisationId));
  return Math.max(asked ?? 0, organisation.suppressionK);
}

/** One cross-tab of a wave with its sheet: what the page prints and what CSV and XLSX hold. */
export async function crosstabTable({ wave, version }: Awaited<ReturnType<typeof loadOwnedWave>>, database: Database, spec: CrosstabSpec, suppressBelow: number) {
  const entries = codebook(version);
  const row = resolveVariable(spec.row, entries);
  if (row.kind !== 'question') throw problems.badRequest('The row must be a question of the questionnaire; put frame attributes in col.', {
      title_ja: 'クロス集計の条件が正しくありません',
      detail_ja: '表側（行）には質問票の質問を選んでください。名簿の属性は表頭（列）に置けます。',
    });
  const col = resolveVariable(spec.col, entries);
  const outcome = await runCrosstab(database, {
    waveId: wave.id,
    row,
    col,
    statuses: spec.include === 'all' ? ['complete', 'partial'] : ['complete'],
    letters: spec.letters,
    noAnswer: spec.missing === 'exclude' ? 'never' : 'auto',
    suppressBelow,
  });
  const title = (v: typeof col) => (v.kind === 'question' ? v.entry.title : v.kind === 'frame' ? v.attribute : '全体');
  return { outcome, entries, sheet: () => crosstabSheet(outcome, title(row), title(col), spec.percent ?? 'row') };
}
