import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ResponseRateResult } from '../../analysis/index.js';
import type { CrosstabOutcome } from './crosstabQuery.js';
import { displayWidth } from './workbook.js';

const FONT = 'Hiragino Sans, Noto Sans JP, Yu Gothic, sans-serif';

/**
 * Without a canvas vega guesses every character at 0.8 em, so Japanese labels (a full em each) ran past
 * the space it left and were cut at the chart's edge. Full-width characters count 1.05 em here, others 0.62.
 */
const textWidth = (item: { text?: unknown; fontSize?: number }, text?: unknown) => {
  const size = item.fontSize ?? 11;
  const value = text ?? item.text;
  const lines = (Array.isArray(value) ? value : [value]).map((v) => String(v ?? ''));
  return Math.max(0, ...lines.map((line) => [...line].reduce((w, ch) => w + (displayWidth(ch) === 2 ? 1.05 : 0.62) * size, 0)));
};
// vega re-exports vega-scenegraph's textMetrics at run time; its typings leave it out.
const metrics = (vega as unknown as { textMetrics: { width: typeof textWidth; estimateWidth: typeof textWidth } }).textMetrics;
metrics.width = textWidth;
metrics.estimateWidth = textWidth;

/** Charts are rendered to SVG on the server: no script runs in the page and they print as drawn. */
async function render(spec: TopLevelSpec): Promise<string> {
  const full = {
    ...spec,
    config: { font: FONT, axis: { labelFontSize: 13, titleFontSize: 13, labelLimit: 260 }, legend: { labelFontSize: 12, titleFontSize: 12 } },
  } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(full).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export function ratesChart(result: ResponseRateResult): Promise<string> {
  const label = (g: ResponseRateResult['overall']) => result.by.map((b) => g.group[b] ?? '(不明)').join(' / ') || '全体';
  const values = [...result.groups.map((g) => ({ group: label(g), rate: g.rates.simple, n: g.n })), { group: '全体', rate: result.overall.rates.simple, n: result.overall.n }];
  return render({
    width: 420,
    data: { values },
    layer: [
      { mark: { type: 'bar', color: '#2f6db3' }, encoding: { y: { field: 'group', type: 'nominal', sort: null, title: null }, x: { field: 'rate', type: 'quantitative', title: '回収率 (%)', scale: { domain: [0, 100] } } } },
      {
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 12 },
        encoding: { y: { field: 'group', type: 'nominal', sort: null }, x: { field: 'rate', type: 'quantitative' }, text: { field: 'rate', type: 'quantitative', format: '.2f' } },
      },
    ],
  } as TopLevelSpec);
}

/** Single choice: 100% stacked bars of row percentages. Multiple choice: % of respondents per option. */
export function crosstabChart(outcome: CrosstabOutcome): Promise<string> {
  if (outcome.kind === 'multiple') {
    const t = outcome.table;
    const values = t.rows.flatMap((r) => t.cols.map((c, j) => ({ option: r.label, col: c.label, percent: r.percentOfRespondents[j] ?? 0 })));
    return render({
      width: 420,
      data: { values },
      mark: 'bar',
      encoding: {
        y: { field: 'option', type: 'nominal', sort: null, title: null },
        yOffset: { field: 'col', sort: null },
        x: { field: 'percent', type: 'quantitative', title: '回答者に対する% (% of respondents)' },
        color: { field: 'col', type: 'nominal', sort: null, title: null },
      },
    } as TopLevelSpec);
  }
  const t = outcome.table;
  const values = t.rows.flatMap((r, i) => t.cols.map((c, j) => ({ row: r.label, col: c.label, percent: t.rowPercent[i][j] ?? 0, order: j })));
  return render({
    width: 420,
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'row', type: 'nominal', sort: null, title: null },
      x: { field: 'percent', type: 'quantitative', stack: 'normalize', title: '行% (row %)', axis: { format: '%' } },
      color: { field: 'col', type: 'nominal', sort: null, title: null },
      order: { field: 'order' },
    },
  } as TopLevelSpec);
}

/** Each linked participant as a line from pre to post, with the means on top. */
export function pairedPlot(pairs: { pre: number; post: number }[], range: { min: number; max: number }, axisTitle: string | string[] = '得点 (score)'): Promise<string> {
  const shown = pairs.slice(0, 2000);
  const values = shown.flatMap((p, i) => [
    { id: i, time: '事前 (pre)', score: p.pre },
    { id: i, time: '事後 (post)', score: p.post },
  ]);
  return render({
    width: 260,
    height: 320,
    data: { values },
    layer: [
      {
        mark: { type: 'line', opacity: 0.35, color: '#777' },
        encoding: {
          x: { field: 'time', type: 'ordinal', sort: null, title: null, axis: { labelAngle: 0 } },
          y: { field: 'score', type: 'quantitative', scale: { domain: [range.min, range.max] }, title: axisTitle },
          detail: { field: 'id' },
        },
      },
      {
        mark: { type: 'line', color: '#c0392b', strokeWidth: 3, point: true },
        encoding: { x: { field: 'time', type: 'ordinal', sort: null }, y: { aggregate: 'mean', field: 'score', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec);
}
