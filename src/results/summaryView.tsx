/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import { roundHalfUp, type FrequencyTable, type ScoreDistribution } from '../../analysis/index.js';
import type { CodebookEntry } from '../questionnaires/codebook.js';
import type { QuestionSummary, WaveSummary } from './waveSummary.js';

const pct = (x: number | null | undefined, decimals: number) => (x === null || x === undefined ? '—' : `${x.toFixed(decimals)}%`);
const num = (x: number | null, decimals = 2) => (x === null ? '—' : roundHalfUp(x, decimals).toFixed(decimals));

/** Colours of the 帯グラフ segments, distinguishable in greyscale print too (light to dark); 無回答 is grey. */
const PALETTE = ['#c6dbef', '#6baed6', '#2171b5', '#08306b', '#fdd49e', '#fc8d59', '#d7301f', '#7f0000', '#c7e9c0', '#41ab5d', '#00441b'];
const NO_ANSWER_COLOUR = '#d9d9d9';
/** 判読不能 (spoiled on paper) is missing too, so grey, but darker than 無回答 to tell them apart. */
const SPOILED_COLOUR = '#969696';
const DARK = new Set([2, 3, 6, 7, 10]);
export const colour = (line: { code: string | null; spoiled?: true }, i: number) =>
  line.spoiled ? SPOILED_COLOUR : line.code === null ? NO_ANSWER_COLOUR : PALETTE[i % PALETTE.length];
export const onDark = (line: { code: string | null }, i: number) => line.code !== null && DARK.has(i % PALETTE.length);

/** The summary's own controls: subgroup filter, breakdown and which responses count. */
export const SummaryPicker: FC<{ entries: CodebookEntry[]; attributes: string[]; filter?: string; by?: string; include?: string; frameValues: Record<string, string[]> }> = ({
  entries,
  attributes,
  filter,
  by,
  include,
  frameValues,
}) => {
  const choices = entries.filter((e) => e.shape === 'single' || e.shape === 'multiple');
  return (
    <form method="get" class="picker" id="summary-picker">
      <label>
        属性別に表示 <span class="en">Break down by</span>
        <select name="by">
          <option value="">（全体のみ）</option>
          {attributes.map((a) => <option value={`frame.${a}`} selected={by === `frame.${a}`}>名簿: {a}</option>)}
          {choices.filter((e) => e.shape === 'single').map((e) => <option value={e.name} selected={by === e.name}>{short(e.title)}</option>)}
        </select>
      </label>
      <label>
        絞り込み <span class="en">Only respondents with</span>
        <select name="filter">
          <option value="">（すべての回答者）</option>
          {attributes.map((a) => (
            <optgroup label={`名簿: ${a}`}>
              {(frameValues[a] ?? []).map((v) => <option value={`frame.${a}=${v}`} selected={filter === `frame.${a}=${v}`}>{a} = {v}</option>)}
            </optgroup>
          ))}
          {choices.map((e) => (
            <optgroup label={short(e.title)}>
              {e.categories.map((c) => <option value={`${e.name}=${c.code}`} selected={filter === `${e.name}=${c.code}`}>{c.label}</option>)}
            </optgroup>
          ))}
        </select>
      </label>
      <label>
        対象 <span class="en">Responses</span>
        <select name="include">
          <option value="complete">回答完了のみ</option>
          <option value="all" selected={include === 'all'}>途中までの回答も含む</option>
        </select>
      </label>
      <button type="submit">表示</button>
    </form>
  );
};

/** Every question at once, in questionnaire order, as a Japanese survey report lays out its 単純集計. */
export const SummaryView: FC<{ summary: WaveSummary }> = ({ summary }) => {
  const total = summary.groups[0];
  return (
    <div class="summary">
      <p class="summary-base">
        回答者数 <strong>n = {total.n}</strong>
        {summary.statuses.includes('partial') ? '（途中までの回答を含む）' : '（回答完了のみ）'}
        {summary.filter ? `・絞り込み: ${summary.filter.label} = ${summary.filter.codeLabel}` : ''}
        {summary.by ? `・属性別: ${summary.by.label}` : ''}
      </p>
      {summary.scores.map((s) => <ScoreBlock groups={s.groups} labels={summary.groups.map((g) => g.label)} />)}
      {summary.questions.map((q, i) => <QuestionBlock number={i + 1} question={q} labels={summary.groups.map((g) => g.label)} />)}
      <p class="note">
        % は各表の回答者数（n、無回答を含む）に対する割合です。複数回答の % は合計が100%を超えます。四捨五入のため合計が100.0%にならないことがあります。
        <span class="en"> Percentages are of respondents (n, no-answer included); multiple-choice percentages can add to more than 100%. Rounded half up.</span>
      </p>
    </div>
  );
};

const QuestionBlock: FC<{ number: number; question: QuestionSummary; labels: string[] }> = ({ number, question, labels }) => {
  const heading = (
    <h3>
      <span class="qno">問{number}</span> {question.title}
      {question.kind === 'choice' && question.groups[0].multiple ? <span class="badge">複数回答</span> : null}
    </h3>
  );
  let body;
  if (question.kind === 'choice') {
    body = labels.length > 1 ? <GroupTable rows={question.groups.map((t, i) => ({ label: labels[i], table: t }))} head="属性" /> : <FrequencyBlock table={question.groups[0]} />;
  } else if (question.kind === 'matrix') {
    body =
      labels.length > 1 ? (
        question.rows.map((row) => (
          <>
            <h4>{row.label}</h4>
            <GroupTable rows={row.groups.map((t, i) => ({ label: labels[i], table: t }))} head="属性" />
          </>
        ))
      ) : (
        <GroupTable rows={question.rows.map((row) => ({ label: row.label, table: row.groups[0] }))} head="項目" />
      );
  } else if (question.kind === 'number') {
    const spoiled = question.groups[0].spoiled !== undefined;
    body = (
      <div class="scroll">
        <table class="stats">
          <thead><tr><th></th><th>n</th><th>平均</th><th>標準偏差</th><th>中央値</th><th>最小</th><th>最大</th>{spoiled ? <th>判読不能</th> : null}<th>無回答</th></tr></thead>
          <tbody>
            {question.groups.map((g, i) => (
              <tr><th>{labels[i]}</th><td>{g.n}</td><td>{num(g.mean)}</td><td>{num(g.sd)}</td><td>{num(g.median, 1)}</td><td>{g.min ?? '—'}</td><td>{g.max ?? '—'}</td>{spoiled ? <td>{g.spoiled}</td> : null}<td>{g.noAnswer}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  } else {
    body = (
      <>
        <p>
          記入 {question.groups[0].answered} 件{question.groups[0].spoiled !== undefined ? `・判読不能 ${question.groups[0].spoiled} 件` : ''}（n = {question.groups[0].n}）
        </p>
        {question.texts.length ? (
          <details class="free-text">
            <summary>自由記述を表示（新しい順{question.texts.length < question.groups[0].answered ? `、最新 ${question.texts.length} 件` : ''}）<span class="en"> Show answers</span></summary>
            <ul>{question.texts.map((t) => <li>{t.text}</li>)}</ul>
            <p class="hint">自由記述は職員の画面にだけ表示し、ダウンロードや共有用の資料には含めません。</p>
          </details>
        ) : null}
      </>
    );
  }
  return (
    <section class="question" id={`q-${question.name}`}>
      {heading}
      {body}
    </section>
  );
};

/** One question without breakdown: the list of answers with count, % and a bar, then one 帯グラフ. */
const FrequencyBlock: FC<{ table: FrequencyTable }> = ({ table }) => (
  <div class="frequency">
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th>回答</th><th class="num">件数</th><th class="num">%</th>
            {table.multiple ? <><th class="num">回答数に対する%</th><th class="bar-col" aria-hidden="true"></th></> : null}
          </tr>
        </thead>
        <tbody>
          {table.lines.map((line, i) => (
            <tr class={line.spoiled ? 'no-answer spoiled' : line.code === null ? 'no-answer' : ''}>
              <th>{table.multiple ? null : <span class="swatch" style={`background:${colour(line, i)}`}></span>}{line.label}</th>
              <td class="num">{line.count}</td>
              <td class="num">{pct(line.percent, table.decimals)}</td>
              {table.multiple ? (
                <>
                  <td class="num">{line.code === null ? '' : pct(line.percentOfAnswers, table.decimals)}</td>
                  <td class="bar-col"><span class="bar" style={`width:${line.percent ?? 0}%`}></span></td>
                </>
              ) : null}
            </tr>
          ))}
          <tr class="total"><th>回答者数</th><td class="num">{table.n}</td><td class="num">{table.n ? pct(100, table.decimals) : '—'}</td>{table.multiple ? <><td class="num">（回答数 {table.selections}）</td><td></td></> : null}</tr>
        </tbody>
      </table>
    </div>
    {table.multiple ? null : <Band table={table} />}
  </div>
);

/** 表側 × 表頭: one line per attribute group (or statement), n, then row % with counts, and a 帯グラフ per line. */
const GroupTable: FC<{ rows: { label: string; table: FrequencyTable }[]; head: string }> = ({ rows, head }) => {
  const lines = rows[0].table.lines;
  const multiple = rows[0].table.multiple;
  return (
    <div class="group-table">
      <div class="scroll">
        <table>
          <thead>
            <tr><th>{head}</th><th class="num">n</th>{lines.map((l, i) => <th class="num"><span class="swatch" style={`background:${colour(l, i)}`}></span>{l.label}</th>)}</tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th>{r.label}</th>
                <td class="num">{r.table.n}</td>
                {r.table.lines.map((l) => <td class="num">{pct(l.percent, r.table.decimals)}<br /><small>({l.count})</small></td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {multiple ? null : (
        <div class="bands">
          {rows.map((r) => (
            <div class="band-row"><span class="band-label">{r.label}</span><Band table={r.table} /></div>
          ))}
        </div>
      )}
    </div>
  );
};

/** A 100% stacked bar; a segment's label is printed inside only when it fits, the legend carries every label. */
const Band: FC<{ table: FrequencyTable }> = ({ table }) =>
  table.n === 0 ? (
    <div class="band empty-band">回答なし</div>
  ) : (
    <div class="band" role="img" aria-label={table.lines.map((l) => `${l.label} ${pct(l.percent, table.decimals)}`).join('、')}>
      {table.lines.map((l, i) =>
        l.count > 0 ? (
          <span class="segment" style={`flex-basis:${(l.count / table.n) * 100}%;background:${colour(l, i)}`} title={`${l.label}: ${pct(l.percent, table.decimals)}`}>
            {(l.count / table.n) * 100 >= 10 ? <span class={onDark(l, i) ? 'on-dark' : ''}>{l.percent?.toFixed(0)}</span> : null}
          </span>
        ) : null,
      )}
    </div>
  );

const ScoreBlock: FC<{ groups: ScoreDistribution[]; labels: string[] }> = ({ groups, labels }) => {
  const scale = groups[0];
  return (
    <section class="question score" id={`score-${scale.scaleId}`}>
      <h3>{scale.label.ja} <span class="badge">尺度得点 {scale.range.min}〜{scale.range.max}点</span></h3>
      {scale.direction ? <p class="direction">{scale.direction.ja} <span class="en">{scale.direction.en}</span></p> : null}
      <div class="scroll">
        <table class="stats">
          <thead><tr><th></th><th class="num">n</th><th class="num">平均</th><th class="num">標準偏差</th><th class="num">中央値</th><th class="num">最小〜最大</th><th class="num">算出不可</th>{scale.bands.map((b) => <th class="num">{b.label.ja}</th>)}</tr></thead>
          <tbody>
            {groups.map((g, i) => (
              <tr>
                <th>{labels[i]}</th><td class="num">{g.n}</td><td class="num">{num(g.mean)}</td><td class="num">{num(g.sd)}</td><td class="num">{num(g.median, 1)}</td>
                <td class="num">{g.min === null ? '—' : `${g.min}〜${g.max}`}</td><td class="num">{g.unscorable}</td>
                {g.bands.map((b) => <td class="num">{pct(b.percent, g.decimals)}<br /><small>({b.count})</small></td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="note">
        算出不可: 尺度の欠損規則により得点を計算できない回答。区分の % は得点を算出できた人（n）に対する割合。
        <span class="en"> Unscorable: too many items missing under the scale's rule. Band % are of those scored.</span>
      </p>
    </section>
  );
};

function short(title: string) {
  return title.length > 40 ? `${title.slice(0, 40)}…` : title;
}
