/** @jsxImportSource hono/jsx */
/** The frame page's parts about dispositions: units by disposition, and recording them for a list of units. */
import { RECORDABLE_DISPOSITIONS, type Disposition } from './dispositions.js';

/** Dispositions as staff read them, in the order the frame page lists them. */
export const DISPOSITIONS: { key: Disposition; ja: string; en: string }[] = [
  { key: 'pending', ja: '未回答', en: 'Pending' },
  { key: 'complete', ja: '回答済み', en: 'Complete' },
  { key: 'partial', ja: '途中まで回答', en: 'Partial' },
  { key: 'refused', ja: '拒否', en: 'Refused' },
  { key: 'non-contact', ja: '連絡がつかない', en: 'Non-contact' },
  { key: 'ineligible', ja: '対象外', en: 'Ineligible' },
  { key: 'unknown', ja: '不明', en: 'Unknown' },
];

/** Every row is rendered, hidden while empty, so frame.js can show counts that appear after an upload or a recording. */
export function FrameCounts({ counts, total }: { counts: Partial<Record<Disposition, number>>; total: number }) {
  return (
    <table id="frame-counts" hidden={total === 0}>
      <thead>
        <tr><th>状況 <span class="en">Disposition</span></th><th>件数 <span class="en">Units</span></th></tr>
      </thead>
      <tbody>
        {DISPOSITIONS.map((d) => (
          <tr data-disposition={d.key} hidden={!counts[d.key]}>
            <td>{d.ja} <span class="en">{d.en}</span></td>
            <td class="count">{counts[d.key] ?? 0}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Dispositions of units that did not answer, recorded for a list of unit ids brought back from the field. */
export function DispositionSection(props: { waveId: string }) {
  const recordable = DISPOSITIONS.filter((d) => (RECORDABLE_DISPOSITIONS as readonly string[]).includes(d.key));
  return (
    <section>
      <h2>
        回答状況を記録 <small class="en">Record dispositions</small>
      </h2>
      <p class="hint">
        対象者番号（unit_id）を1行に1つ、またはカンマ（、）で区切って入力します（CSVの列を貼り付けても構いません。番号の中の空白はそのまま番号の一部です）。回答済みの対象者は変更されません。
        <br />
        <span class="en">Unit ids one per line, or separated by commas (a pasted CSV column works; spaces inside an id are part of it). Units that answered keep their disposition.</span>
      </p>
      <form id="disposition-form" class="stack" data-wave-id={props.waveId}>
        <label>
          対象者番号 <span class="en">Unit ids</span>
          <textarea id="disposition-units" class="code" rows={6} spellcheck={false} placeholder={'A0001\nA0002'}></textarea>
        </label>
        <label>
          状況 <span class="en">Disposition</span>
          <select id="disposition-value">
            {recordable.map((d) => (
              <option value={d.key}>
                {d.ja} {d.en}
              </option>
            ))}
          </select>
        </label>
        <div id="disposition-problems" class="problems" role="alert" hidden></div>
        <p role="status" id="disposition-status"></p>
        <p id="disposition-answered" class="hint" hidden></p>
        <p id="disposition-unknown" class="problems" hidden></p>
        <div class="actions">
          <button type="submit" class="primary">
            記録 <span class="en">Record</span>
          </button>
        </div>
      </form>
    </section>
  );
}
