import { formatPValue, roundHalfUp } from '../../analysis/index.js';
import type { studyPrePost } from './prepost.js';
import type { Cell, Sheet } from './sheets.js';

/** Decimals of the statistics as printed; the 精密値 sheet keeps every digit. */
const SHOWN_DECIMALS = 2;

/** A line as printed: p-values as reports write them (「p < 0.001」), other statistics rounded half up. */
function shownLine([label, ...values]: Cell[]): Cell[] {
  const isP = typeof label === 'string' && /(^p |\bp\b|p \()/.test(label) && !/^t$|df/.test(label);
  return [label, ...values.map((v) => (typeof v !== 'number' || Number.isInteger(v) ? v : isP ? formatPValue(v) : roundHalfUp(v, SHOWN_DECIMALS)))];
}

type Report = Awaited<ReturnType<typeof studyPrePost>>;

/** The pre/post report as sheets: summary statistics, and the linked pairs for a paired plot. */
export function prePostSheets(report: Report): Sheet[] {
  const p = report.paired;
  const rows: Cell[][] = [
    ['回答数 (responses)', report.pre.responses, report.post.responses],
    ['採点可能 (scored)', report.pre.scored, report.post.scored],
    ['採点不能 (unscorable)', report.pre.unscorable, report.post.unscorable],
    ['参加者コードなし (no key)', report.pre.withoutKey, report.post.withoutKey],
    [`同じコードで複数回答 (keys answered twice; ${POLICY_LABELS[report.duplicatePolicy]})`, report.pre.duplicateKeys, report.post.duplicateKeys],
    ["Cronbach's α", report.pre.alpha.alpha, report.post.alpha.alpha],
  ];
  if (p) {
    rows.push(
      ['ペア数 (n pairs)', p.n, p.n],
      ['事前のみ / 事後のみ (pre-only / post-only)', p.preOnly, p.postOnly],
      ['平均 (mean)', p.pre.mean, p.post.mean],
      ['標準偏差 (SD)', p.pre.sd, p.post.sd],
      ['平均差 post − pre (mean difference)', p.meanDiff, null],
      ['差の標準偏差 (SD of differences)', p.sdDiff, null],
      ['t', p.tTest.t, null],
      ['df', p.tTest.df, null],
      ['p (paired t)', p.tTest.p, null],
      [`${Math.round(p.tTest.confLevel * 100)}% CI lower`, p.tTest.ci?.[0] ?? null, null],
      [`${Math.round(p.tTest.confLevel * 100)}% CI upper`, p.tTest.ci?.[1] ?? null, null],
      ['dz', p.dz, null],
      ['d_av', p.dAv, null],
      ['Wilcoxon p', p.wilcoxon.p, null],
      ['rank-biserial r', p.rankBiserial, null],
    );
  }
  const d = report.dichotomy;
  if (d) {
    rows.push(
      ['該当割合 (proportion yes)', d.proportionPre, d.proportionPost],
      ['割合の差 (difference in proportions)', d.difference, null],
      ['McNemar exact p', d.exact.p, null],
      ['McNemar χ² p (continuity corrected)', d.chiSquare.p, null],
    );
  }
  const u = report.unpaired;
  if (u) {
    rows.push(
      ['対応なし比較 (unpaired Welch): mean', u.pre.mean, u.post.mean],
      ['Welch t', u.t, null],
      ['Welch df', u.df, null],
      ['Welch p', u.p, null],
    );
  }
  const notes = [report.method, ...(p ? [p.method, p.tTest.method, p.wilcoxon.method] : []), ...report.warnings, ...(p?.warnings ?? [])];
  if (d) notes.push(d.method, d.exact.method, d.chiSquare.method, d.ciMethod);
  if (u) notes.push(u.method, ...u.warnings);
  const header = ['', `事前 ${report.preWave.name}`, `事後 ${report.postWave.name}`];
  return [
    {
      name: '事前事後',
      title: `事前・事後比較 (pre/post): ${report.scale.id}`,
      header,
      rows: rows.map(shownLine),
      notes: [`表示は小数第${SHOWN_DECIMALS}位までの四捨五入、p 値は「p < 0.001」の形。全桁はシート「事前事後（精密値）」にあります。`, ...notes.map(String)],
    },
    { name: '事前事後（精密値）', title: `事前・事後比較 全桁 (full precision): ${report.scale.id}`, header, rows, notes: [] },
    { name: 'pairs', title: 'ペア (linked pairs)', header: ['pre', 'post', 'post − pre'], rows: report.pairs.map((x) => [x.pre, x.post, x.post - x.pre]), notes: [] },
    {
      name: '重複 duplicates',
      title: '同じ参加者コードで複数回答した回答 (responses of codes that answered a wave twice)',
      header: ['時期 (wave)', 'グループ (key)', 'response_id', 'submitted_at', '得点 (score)'],
      rows: duplicateRows(report),
      notes: [`扱い: ${POLICY_LABELS[report.duplicatePolicy]}`],
    },
  ];
}

/** How the report treats a code that answered twice, in words for the page and the sheet. */
export const POLICY_LABELS = { exclude: 'ペアから除外 exclude', first: '最初の回答を使う first', latest: '最新の回答を使う latest' } as const;

/** One row per response of a duplicated code, grouped by code (numbered, as the code itself is only a keyed hash). */
export function duplicateRows(report: Report): Cell[][] {
  return (['pre', 'post'] as const).flatMap((phase) =>
    report[phase].duplicates.flatMap((d, i) => d.responses.map((r) => [phase === 'pre' ? '事前 pre' : '事後 post', i + 1, r.id ?? null, r.submittedAt ?? null, r.score])),
  );
}

