/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import { SheetTable } from '../results/sheetView.js';
import { colour, onDark } from '../results/summaryView.js';
import { DECIMALS, type InstrumentComparison } from './comparison.js';
import { NO_ANSWER } from './reference.js';
import { comparisonSheet } from './sheets.js';

type Segment = { key: string; label: string; percent: number | null };

/**
 * One instrument: the 帯グラフ pair (this wave, then each national year published in full), the
 * download's own sheet (so the page and the files hold the same cells), and why a standardised
 * comparison is or is not there.
 */
export const InstrumentComparisonView: FC<{ comparison: InstrumentComparison; waveName: string; inReport?: boolean }> = ({ comparison: c, waveName, inReport }) => {
  // The answer categories and 無回答, which add to 100%; published sums such as 「ある」計 are not bands.
  const bandColumns = c.columns.slice(0, c.columns.findIndex((col) => col.key === NO_ANSWER) + 1);
  const segments = (percents: (key: string) => number | null): Segment[] => bandColumns.map((col) => ({ ...col, percent: percents(col.key) }));
  const complete = c.national.filter((line) => bandColumns.every((col) => line.percents[col.key] !== null));
  const mine = segments((key) => c.sample.figures[key]?.percent ?? null);
  // Hidden small cells together: n less the shown counts, which every reader can already work out.
  const hidden = mine.some((s) => s.percent === null) ? Math.max(0, 100 - mine.reduce((a, s) => a + (s.percent ?? 0), 0)) : 0;
  return (
    <section class="national" id={`national-${c.instrument}`}>
      {inReport ? <h3>{c.title}</h3> : <h2>{c.title}</h2>}
      <div class="bands" aria-label="帯グラフ: この調査と全国">
        <div class="band-row">
          <span class="band-label">この調査（n = {c.sample.n}）</span>
          {c.sample.hidden ? <div class="band empty-band">回答者が少ないため表示しません</div> : <Band segments={mine} hidden={hidden} />}
        </div>
        {complete.map((line) => (
          <div class="band-row">
            <span class="band-label">
              全国 {line.waveLabel}
              {line.confidence === 'reconstructed' ? <strong class="approx">（概数）</strong> : null}
            </span>
            <Band segments={segments((key) => line.percents[key])} />
          </div>
        ))}
      </div>
      <p class="legend">
        {bandColumns.map((col, i) => (
          <span><span class="swatch" style={`background:${colour({ code: col.key === NO_ANSWER ? null : col.key }, paletteIndex(bandColumns.length, i, col.key))}`}></span>{col.label} </span>
        ))}
        {hidden ? <span><span class="swatch hidden-segment"></span>{HIDDEN_LABEL} </span> : null}
      </p>
      {c.standardisation.shown ? null : <p class="hint standardisation-reason">{c.standardisation.reason}</p>}
      <SheetTable sheet={comparisonSheet(c, waveName)} id={`sheet-${c.instrument}`} />
    </section>
  );
};

/** The least lonely answer takes the summary's first colour, as on the summary page's 帯グラフ. */
const paletteIndex = (count: number, i: number, key: string) => (key === NO_ANSWER ? 0 : count - 2 - i);

const HIDDEN_LABEL = '人数が少なく隠した区分（x）';

/** A 100% stacked bar of published or sample percentages, most lonely first; hidden small cells last, together. */
const Band: FC<{ segments: Segment[]; hidden?: number }> = ({ segments, hidden = 0 }) => (
  <div
    class="band"
    role="img"
    aria-label={[
      ...segments.filter((s) => !hidden || s.percent !== null).map((s) => `${s.label} ${s.percent === null ? '—' : `${s.percent.toFixed(DECIMALS)}%`}`),
      ...(hidden ? [`${HIDDEN_LABEL} 計 ${hidden.toFixed(DECIMALS)}%`] : []),
    ].join('、')}
  >
    {segments.map((s, i) =>
      s.percent ? (
        <span
          class="segment"
          style={`flex-basis:${s.percent}%;background:${colour({ code: s.key === NO_ANSWER ? null : s.key }, paletteIndex(segments.length, i, s.key))}`}
          title={`${s.label}: ${s.percent.toFixed(DECIMALS)}%`}
        >
          {s.percent >= 10 ? <span class={onDark({ code: s.key === NO_ANSWER ? null : s.key }, paletteIndex(segments.length, i, s.key)) ? 'on-dark' : ''}>{s.percent.toFixed(0)}</span> : null}
        </span>
      ) : null,
    )}
    {hidden ? <span class="segment hidden-segment" style={`flex-basis:${hidden}%`} title={`${HIDDEN_LABEL}: 計 ${hidden.toFixed(DECIMALS)}%`}></span> : null}
  </div>
);
