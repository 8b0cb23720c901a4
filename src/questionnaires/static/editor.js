// The form editor of a draft questionnaire version (/staff/questionnaires/:id/edit): the draft's
// SurveyJS JSON edited through forms, saved with PUT /api/questionnaires/:id/draft (survey-core checks
// it there). Rendered with Preact + htm served from our origin (see assets.ts for why these two).
// Only the properties this editor knows are changed; everything else in the JSON is kept as it was.
import { h, render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';

const html = htm.bind(h);
const S = window.staffApi;
const root = document.getElementById('editor-app');
const qid = root.getAttribute('data-questionnaire-id');

const LOCK_REASON = '検証済みの尺度のため、項目の文言・選択肢・順序は変更できません（変えると得点が比較できなくなります）。';

/** The question types the editor makes; each gives JSON the intake check supports (definitionSupport.ts). */
const TYPES = [
  { key: 'radiogroup', ja: '単一選択', en: 'Single choice', make: () => ({ type: 'radiogroup', choices: starterChoices() }) },
  { key: 'checkbox', ja: '複数選択', en: 'Multiple choice', make: () => ({ type: 'checkbox', choices: starterChoices() }) },
  { key: 'dropdown', ja: 'プルダウン', en: 'Dropdown', make: () => ({ type: 'dropdown', choices: starterChoices() }) },
  { key: 'rating', ja: '評価スケール', en: 'Rating scale', make: () => ({ type: 'rating', rateMin: 1, rateMax: 5, minRateDescription: 'まったくそう思わない', maxRateDescription: 'とてもそう思う' }) },
  {
    key: 'matrix',
    ja: '同じ選択肢の表',
    en: 'Grid of statements',
    make: () => ({
      type: 'matrix',
      columns: [
        { value: 1, text: 'あてはまらない' },
        { value: 2, text: 'あまりあてはまらない' },
        { value: 3, text: 'ややあてはまる' },
        { value: 4, text: 'あてはまる' },
      ],
      rows: [{ value: 'r1', text: '' }],
    }),
  },
  { key: 'text', ja: '短い文章', en: 'Short text', make: () => ({ type: 'text' }) },
  { key: 'comment', ja: '長い文章', en: 'Long text', make: () => ({ type: 'comment', maxLength: 2000 }) },
  { key: 'number', ja: '数値', en: 'Number', make: () => ({ type: 'text', inputType: 'number' }) },
  { key: 'date', ja: '日付', en: 'Date', make: () => ({ type: 'text', inputType: 'date' }) },
  { key: 'boolean', ja: 'はい・いいえ', en: 'Yes / no', make: () => ({ type: 'boolean' }) },
];
const CHOICE_TYPES = ['radiogroup', 'checkbox', 'dropdown'];

function starterChoices() {
  return [{ value: 1, text: '' }, { value: 2, text: '' }];
}

function kindOf(q) {
  if (q.type === 'text') return q.inputType === 'number' ? 'number' : q.inputType === 'date' ? 'date' : !q.inputType || q.inputType === 'text' ? 'text' : 'other';
  return TYPES.some((t) => t.key === q.type) ? q.type : 'other';
}
const typeLabel = (q) => {
  const t = TYPES.find((x) => x.key === kindOf(q));
  return t ? t.ja : q.type === 'panel' ? 'まとまり（パネル）' : q.type || '?';
};

// ---- localised text: "text" or { default: 日本語, en: English } ---------------------------------
const ja = (v) => (typeof v === 'string' ? v : v && typeof v === 'object' ? v.default ?? v.ja ?? '' : v == null ? '' : String(v));
const en = (v) => (v && typeof v === 'object' ? v.en ?? '' : '');
function withText(v, lang, text) {
  const next = { default: lang === 'ja' ? text : ja(v), en: lang === 'en' ? text : en(v) };
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (k !== 'default' && k !== 'ja' && k !== 'en') next[k] = x;
  if (!next.en) delete next.en;
  return Object.keys(next).length === 1 ? next.default : next;
}

/** The next free code: numbers for choices and columns, "r1"… for matrix rows. */
function nextValue(items, prefix) {
  const used = items.map((i) => (i && typeof i === 'object' ? i.value : i));
  if (prefix) {
    let n = items.length + 1;
    while (used.includes(prefix + n)) n++;
    return prefix + n;
  }
  return used.reduce((max, v) => (typeof v === 'number' && v > max ? v : max), 0) + 1;
}

function allQuestions(def) {
  const out = [];
  (def.pages || []).forEach((page, p) => (page.elements || []).forEach((q, i) => out.push({ q, p, i })));
  return out;
}

function freshName(def) {
  const names = new Set(allQuestions(def).map((x) => x.q.name));
  let n = names.size + 1;
  while (names.has('q' + n)) n++;
  return 'q' + n;
}

/** `{name} = 'code'` or `{name} contains 'code'`, as the editor writes them; anything else is kept as written. */
function parseCondition(expr) {
  const m = /^\s*\{([a-z0-9_]+)\}\s*(=|contains)\s*(?:'([^']*)'|(-?\d+(?:\.\d+)?))\s*$/i.exec(expr || '');
  if (!m) return null;
  return { name: m[1], value: m[3] !== undefined ? m[3] : Number(m[4]) };
}
function writeCondition(source, value) {
  const op = source.type === 'checkbox' ? 'contains' : '=';
  return `{${source.name}} ${op} ${typeof value === 'number' ? value : `'${String(value).replace(/'/g, '')}'`}`;
}

/** What must be fixed before saving, said per question. */
function problemsOf(def) {
  const found = [];
  (def.pages || []).forEach((page, p) => {
    if (!(page.elements || []).length) found.push(`ブロック ${p + 1}：質問がありません。質問を追加するか、ブロックを削除してください。`);
  });
  allQuestions(def).forEach(({ q }, k) => {
    const where = `質問 ${k + 1}`;
    if (q.type !== 'panel' && q.type !== 'html' && !ja(q.title).trim()) found.push(`${where}：質問文を入力してください。`);
    if (CHOICE_TYPES.includes(q.type) && Array.isArray(q.choices)) {
      if (q.choices.length < 2) found.push(`${where}：選択肢を2つ以上にしてください。`);
      if (q.choices.some((c) => !ja(c && typeof c === 'object' ? c.text ?? c.value : c).toString().trim())) found.push(`${where}：空の選択肢があります。`);
    }
    if (q.type === 'matrix') {
      if (!(q.rows || []).length || (q.rows || []).some((r) => !ja(r && typeof r === 'object' ? r.text : r).trim())) found.push(`${where}：表の行（文）を入力してください。`);
      if ((q.columns || []).length < 2) found.push(`${where}：表の選択肢（列）を2つ以上にしてください。`);
    }
    if (q.type === 'rating' && !(Number(q.rateMin ?? 1) < Number(q.rateMax ?? 5))) found.push(`${where}：評価の最小は最大より小さくしてください。`);
    if (kindOf(q) === 'number' && q.min !== undefined && q.max !== undefined && !(Number(q.min) <= Number(q.max))) found.push(`${where}：最小値は最大値以下にしてください。`);
  });
  return found;
}

// ---- components -------------------------------------------------------------------------------

/** A text in Japanese with an optional English line below. */
function TextField({ label, value, onChange, multiline, disabled, id }) {
  const Tag = multiline ? 'textarea' : 'input';
  return html`<div class="text-field">
    <label>${label}
      <${Tag} id=${id} value=${ja(value)} disabled=${disabled} rows=${multiline ? 2 : undefined} maxlength="2000"
        onInput=${(e) => onChange(withText(value, 'ja', e.currentTarget.value))} />
    </label>
    <label class="en-field"><span class="en">English（任意）</span>
      <${Tag} value=${en(value)} disabled=${disabled} rows=${multiline ? 2 : undefined} maxlength="2000" lang="en"
        onInput=${(e) => onChange(withText(value, 'en', e.currentTarget.value))} />
    </label>
  </div>`;
}

/** Choices, matrix rows or columns: text per line, codes made by the editor, keyboard reorder. */
function ItemList({ label, items, onChange, prefix, what }) {
  const set = (k, item) => onChange(items.map((x, i) => (i === k ? item : x)));
  const move = (k, d) => {
    const next = items.slice();
    [next[k], next[k + d]] = [next[k + d], next[k]];
    onChange(next);
  };
  return html`<fieldset class="items">
    <legend>${label}</legend>
    <ol>
      ${items.map((raw, k) => {
        const item = raw && typeof raw === 'object' ? raw : { value: raw, text: String(raw) };
        const text = item.text ?? String(item.value);
        return html`<li key=${String(item.value)}>
          <input aria-label=${`${what} ${k + 1}`} value=${ja(text)} maxlength="300"
            onInput=${(e) => set(k, { ...item, text: withText(text, 'ja', e.currentTarget.value) })} />
          <input aria-label=${`${what} ${k + 1}（English）`} class="en-input" lang="en" placeholder="English" value=${en(text)} maxlength="300"
            onInput=${(e) => set(k, { ...item, text: withText(text, 'en', e.currentTarget.value) })} />
          <span class="code" title="保存される値">${String(item.value)}</span>
          <button type="button" class="small" aria-label=${`${what} ${k + 1} を上へ`} disabled=${k === 0} onClick=${() => move(k, -1)}>↑</button>
          <button type="button" class="small" aria-label=${`${what} ${k + 1} を下へ`} disabled=${k === items.length - 1} onClick=${() => move(k, 1)}>↓</button>
          <button type="button" class="small" aria-label=${`${what} ${k + 1} を削除`} onClick=${() => onChange(items.filter((_, i) => i !== k))}>✕</button>
        </li>`;
      })}
    </ol>
    <button type="button" class="small" onClick=${() => onChange([...items, { value: nextValue(items, prefix), text: '' }])}>＋ ${what}を追加</button>
  </fieldset>`;
}

function Condition({ q, earlier, onChange }) {
  const sources = earlier.filter((x) => CHOICE_TYPES.includes(x.type) && Array.isArray(x.choices));
  const parsed = parseCondition(q.visibleIf);
  if (q.visibleIf && !parsed) {
    return html`<p class="hint">表示条件（JSON で設定）：<code>${q.visibleIf}</code></p>`;
  }
  const source = parsed && sources.find((s) => s.name === parsed.name);
  const choices = source ? source.choices.map((c) => (c && typeof c === 'object' ? c : { value: c, text: String(c) })) : [];
  return html`<div class="condition">
    <label>表示条件 <span class="en">Show only if</span>
      <select aria-label="表示条件：前の質問" value=${source ? source.name : ''}
        onChange=${(e) => {
          const s = sources.find((x) => x.name === e.currentTarget.value);
          const first = s && s.choices[0];
          onChange(s && first !== undefined ? writeCondition(s, first && typeof first === 'object' ? first.value : first) : undefined);
        }}>
        <option value="">いつも表示する</option>
        ${sources.map((s) => html`<option value=${s.name}>「${ja(s.title) || s.name}」の答えが…</option>`)}
      </select>
    </label>
    ${source
      ? html`<label>答え <span class="en">Answer</span>
          <select aria-label="表示条件：答え" value=${String(parsed.value)}
            onChange=${(e) => {
              const c = choices.find((x) => String(x.value) === e.currentTarget.value);
              onChange(writeCondition(source, c ? c.value : e.currentTarget.value));
            }}>
            ${choices.map((c) => html`<option value=${String(c.value)}>${ja(c.text ?? c.value)}</option>`)}
          </select>
        </label>
        <p class="hint condition-says">この質問は、「${ja(source.title) || source.name}」で「${ja((choices.find((c) => String(c.value) === String(parsed.value)) || {}).text ?? parsed.value)}」を選んだ人${source.type === 'checkbox' ? '（ほかと一緒に選んだ人も）' : ''}にだけ表示されます。</p>`
      : null}
  </div>`;
}

/** The phrase a template leaves in place of a licensed scale's wording (placeholders.ts on the server). */
const PLACEHOLDER_MARKS = ['使用許諾を得た文言を入力', 'enter the licensed wording'];
const holdsPlaceholder = (text) =>
  typeof text === 'string' ? PLACEHOLDER_MARKS.some((m) => text.includes(m)) : !!text && typeof text === 'object' && Object.values(text).some(holdsPlaceholder);
/** Questions whose saved wording is still the placeholder: the one thing of a scored item the editor lets you type. */
function awaitingWording(definition) {
  const found = new Set();
  const walk = (elements) => (elements || []).forEach((e) => { if (e && holdsPlaceholder(e.title)) found.add(e.name); if (e) walk(e.elements); });
  (definition.pages || []).forEach((page) => walk(page.elements));
  return found;
}

function LockedQuestion({ q, number, awaiting, change }) {
  const choices = q.choices || q.columns || [];
  return html`<div class="locked">
    ${awaiting
      ? html`<${TextField} label=${html`使用許諾を得た質問文 <span class="en">Licensed wording</span>`} value=${holdsPlaceholder(q.title) ? '' : q.title}
            onChange=${(v) => change((x) => { x.title = v; })} />
          <p class="hint">この尺度の文言はテンプレートに含まれていません（著作権者の許諾が必要なため）。許諾を得た文言を、項目の順番どおりにそのまま入力してください。全項目を入力するまで公開できません。
            <span class="en">This scale's wording is licensed and not shipped: enter the wording you are licensed to use, item by item. Publishing waits until every item has it.</span></p>`
      : html`<p><strong>${ja(q.title)}</strong></p>`}
    ${choices.length
      ? html`<p class="hint">選択肢：${choices.map((c) => ja(c && typeof c === 'object' ? c.text ?? c.value : c)).join(' / ')}</p>`
      : null}
    <p class="lock-reason" id=${`lock-${number}`}>${LOCK_REASON} <span class="en">Items of a validated scale cannot be changed, or scores would not compare.</span></p>
  </div>`;
}

function QuestionCard({ q, number, locked, awaiting, first, last, earlier, change, move, remove }) {
  const set = (key, value) =>
    change((x) => {
      if (value === undefined || value === '' || value === false) delete x[key];
      else x[key] = value;
    });
  const kind = kindOf(q);
  const label = `質問 ${number}`;
  return html`<li class=${`question${locked ? ' is-locked' : ''}`} data-q=${q.name} data-type=${q.type}>
    <div class="question-head">
      <h3><span class="qno">${label}</span> <span class="badge">${typeLabel(q)}</span>${locked ? html` <span class="badge locked-badge">変更不可（尺度の項目）</span>` : null} <span class="name">${q.name}</span></h3>
      ${locked
        ? null
        : html`<span class="question-actions">
            <button type="button" data-move="up" aria-label=${`${label}を上へ`} disabled=${first} onClick=${() => move(-1)}>↑ 上へ</button>
            <button type="button" data-move="down" aria-label=${`${label}を下へ`} disabled=${last} onClick=${() => move(1)}>↓ 下へ</button>
            <button type="button" class="danger" aria-label=${`${label}を削除`} onClick=${remove}>削除</button>
          </span>`}
    </div>
    ${locked
      ? html`<${LockedQuestion} q=${q} number=${number} awaiting=${awaiting} change=${change} />`
      : kind === 'other'
        ? html`<p class="hint">${ja(q.title) || q.name}：この種類はこの画面では編集できません（移動と削除はできます）。中身は「JSON で編集」で変えてください。</p>`
        : html`<${TextField} label=${html`質問文 <span class="en">Question</span>`} value=${q.title} onChange=${(v) => set('title', v)} />
            <${TextField} label=${html`説明（補足） <span class="en">Help text</span>`} value=${q.description} multiline onChange=${(v) => set('description', v)} />
            <label class="inline"><input type="checkbox" checked=${!!q.isRequired} onChange=${(e) => set('isRequired', e.currentTarget.checked)} /> 必須 <span class="en">Required</span></label>
            ${CHOICE_TYPES.includes(q.type)
              ? html`<${ItemList} label="選択肢" what="選択肢" items=${q.choices || []} onChange=${(v) => set('choices', v)} />
                  <label class="inline"><input type="checkbox" checked=${!!q.showOtherItem} onChange=${(e) => set('showOtherItem', e.currentTarget.checked)} /> 「その他（自由記入）」を加える <span class="en">Add "Other (please write)"</span></label>`
              : null}
            ${q.type === 'rating'
              ? html`<div class="row">
                    <label>最小 <span class="en">Min</span><input type="number" min="0" max="10" value=${q.rateMin ?? 1} onInput=${(e) => set('rateMin', Number(e.currentTarget.value))} /></label>
                    <label>最大 <span class="en">Max</span><input type="number" min="1" max="11" value=${q.rateMax ?? 5} onInput=${(e) => set('rateMax', Number(e.currentTarget.value))} /></label>
                  </div>
                  <${TextField} label="左端のラベル（最小）" value=${q.minRateDescription} onChange=${(v) => set('minRateDescription', v)} />
                  <${TextField} label="右端のラベル（最大）" value=${q.maxRateDescription} onChange=${(v) => set('maxRateDescription', v)} />`
              : null}
            ${q.type === 'matrix'
              ? html`<${ItemList} label="行（文）" what="行" prefix="r" items=${q.rows || []} onChange=${(v) => set('rows', v)} />
                  <${ItemList} label="共通の選択肢（列）" what="列" items=${q.columns || []} onChange=${(v) => set('columns', v)} />`
              : null}
            ${kind === 'number'
              ? html`<div class="row">
                  <label>最小値 <span class="en">Min</span><input type="number" value=${q.min ?? ''} onInput=${(e) => set('min', e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))} /></label>
                  <label>最大値 <span class="en">Max</span><input type="number" value=${q.max ?? ''} onInput=${(e) => set('max', e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))} /></label>
                </div>`
              : null}
            <${Condition} q=${q} earlier=${earlier} onChange=${(v) => set('visibleIf', v)} />`}
  </li>`;
}

function Block({ page, p, pages, def, locked, awaiting, change, focusAfter }) {
  const [adding, setAdding] = useState('radiogroup');
  const questions = page.elements || [];
  const hasLocked = questions.some((q) => locked.has(q.name));
  const before = allQuestions(def).filter((x) => x.p < p).length;
  const earlierThan = (i) => allQuestions(def).filter((x) => x.p < p || (x.p === p && x.i < i)).map((x) => x.q);
  const moveQuestion = (i, d) =>
    change((draft) => {
      const here = draft.pages[p].elements;
      const [q] = here.splice(i, 1);
      if (i + d >= 0 && i + d <= here.length) here.splice(i + d, 0, q);
      else if (d < 0) draft.pages[p - 1].elements = [...(draft.pages[p - 1].elements || []), q];
      else draft.pages[p + 1].elements = [q, ...(draft.pages[p + 1].elements || [])];
      focusAfter(q.name, d < 0 ? 'up' : 'down');
    });
  const movePage = (d) =>
    change((draft) => {
      [draft.pages[p], draft.pages[p + d]] = [draft.pages[p + d], draft.pages[p]];
    });
  return html`<section class="block" data-page=${page.name}>
    <div class="block-head">
      <h2>ブロック ${p + 1} <span class="en">Block</span>${hasLocked ? html` <span class="badge">採点する尺度</span>` : null}</h2>
      <span class="question-actions">
        <button type="button" aria-label=${`ブロック ${p + 1} を上へ`} disabled=${p === 0} onClick=${() => movePage(-1)}>↑</button>
        <button type="button" aria-label=${`ブロック ${p + 1} を下へ`} disabled=${p === pages.length - 1} onClick=${() => movePage(1)}>↓</button>
        <button type="button" class="danger" aria-label=${`ブロック ${p + 1} を削除`}
          onClick=${() => {
            const warn = hasLocked ? '\nこのブロックの尺度は採点されなくなります。 The scale in this block will no longer be scored.' : '';
            if (confirm(`ブロック ${p + 1} とその質問をすべて削除しますか？${warn}`)) change((draft) => draft.pages.splice(p, 1));
          }}>削除</button>
      </span>
    </div>
    <${TextField} label=${html`見出し <span class="en">Heading</span>`} value=${page.title}
      onChange=${(v) => change((draft) => { if (v) draft.pages[p].title = v; else delete draft.pages[p].title; })} />
    <${TextField} label=${html`はじめの説明 <span class="en">Introduction</span>`} value=${page.description} multiline
      onChange=${(v) => change((draft) => { if (v) draft.pages[p].description = v; else delete draft.pages[p].description; })} />
    <ol class="questions">
      ${questions.map((q, i) => {
        const isLocked = locked.has(q.name);
        return html`<${QuestionCard} key=${q.name || `${p}-${i}`} q=${q} number=${before + i + 1} locked=${isLocked} awaiting=${awaiting.has(q.name)}
          first=${p === 0 && i === 0} last=${p === pages.length - 1 && i === questions.length - 1}
          earlier=${earlierThan(i)}
          change=${(fn) => change((draft) => fn(draft.pages[p].elements[i]))}
          move=${(d) => moveQuestion(i, d)}
          remove=${() => confirm(`質問 ${before + i + 1} を削除しますか？`) && change((draft) => draft.pages[p].elements.splice(i, 1))} />`;
      })}
    </ol>
    <div class="row add-question">
      <label>追加する質問の種類 <span class="en">Question type</span>
        <select value=${adding} onChange=${(e) => setAdding(e.currentTarget.value)}>
          ${TYPES.map((t) => html`<option value=${t.key}>${t.ja}（${t.en}）</option>`)}
        </select>
      </label>
      <button type="button" onClick=${() =>
        change((draft) => {
          const q = { ...TYPES.find((t) => t.key === adding).make(), name: freshName(draft), title: '' };
          draft.pages[p].elements = [...(draft.pages[p].elements || []), q];
          focusAfter(q.name, 'title');
        })}>＋ このブロックに質問を追加</button>
    </div>
  </section>`;
}

function Editor() {
  const [state, setState] = useState({ loading: true });
  const [def, setDef] = useState(null);
  const [dirty, setDirty] = useState(false);
  const [messages, setMessages] = useState({ problems: [], warnings: [], status: '' });
  const focus = useRef(null);

  const load = () =>
    S.api('GET', `/api/questionnaires/${qid}`).then((res) => {
      if (!res.ok) return setState({ error: S.problemLines(res.body) });
      const versions = res.body.versions;
      const draft = versions.find((v) => v.status === 'draft');
      const latest = versions[versions.length - 1];
      setState({ draft, latest });
      if (draft) setDef(structuredClone(draft.definition));
    });
  useEffect(() => { load(); }, []);
  useEffect(() => {
    const f = focus.current;
    if (!f) return;
    focus.current = null;
    const card = root.querySelector(`[data-q="${f.name}"]`);
    const target = card && (f.what === 'title' ? card.querySelector('input') : card.querySelector(`[data-move="${f.what}"]`));
    if (target && !target.disabled) target.focus();
    else if (card) card.querySelector('button, input')?.focus();
  });
  // The phone preview follows the unsaved draft, a moment after typing stops.
  useEffect(() => {
    const form = document.getElementById('live-preview');
    if (!dirty || !def || !form) return undefined;
    const timer = setTimeout(() => {
      form.elements.namedItem('definition').value = JSON.stringify(def);
      form.submit();
    }, 600);
    return () => clearTimeout(timer);
  }, [def, dirty]);
  useEffect(() => {
    const warn = (e) => { if (dirty) { e.preventDefault(); e.returnValue = ''; } };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  if (state.loading) return html`<p>読み込んでいます… <span class="en">Loading</span></p>`;
  if (state.error) return html`<div class="problems" role="alert"><ul>${state.error.map((l) => html`<li>${l}</li>`)}</ul></div>`;
  if (!state.draft) {
    return html`<div class="stack">
      <p>第${state.latest.version}版は公開済みのため、そのままでは変更できません。新しい版（下書き）を作ると、その版を編集できます。回答は回答した版に結びつくので、これまでの回答はそのままです。
        <span class="en">The published version cannot change: start a new draft version to edit.</span></p>
      <p><button type="button" class="primary" onClick=${() =>
        S.api('POST', `/api/questionnaires/${qid}/versions`).then((res) => (res.ok ? load() : setMessages({ problems: S.problemLines(res.body), warnings: [], status: '' })))}>
        新しい版（第${state.latest.version + 1}版）を作って編集する <span class="en">New version</span></button></p>
      ${messages.problems.length ? html`<div class="problems" role="alert"><ul>${messages.problems.map((l) => html`<li>${l}</li>`)}</ul></div>` : null}
    </div>`;
  }

  const locked = new Set((state.draft.scoring || []).flatMap((s) => (s && Array.isArray(s.items) ? s.items.map((i) => i && i.question) : [])));
  const awaiting = awaitingWording(state.draft.definition);
  const change = (fn) => {
    const next = structuredClone(def);
    fn(next);
    setDef(next);
    setDirty(true);
  };
  const focusAfter = (name, what) => { focus.current = { name, what }; };
  const save = () => {
    const found = problemsOf(def);
    if (found.length) return setMessages({ problems: found, warnings: [], status: '' });
    setMessages({ problems: [], warnings: [], status: '保存しています… Saving' });
    S.api('PUT', `/api/questionnaires/${qid}/draft`, { definition: def }).then((res) => {
      if (!res.ok) return setMessages({ problems: S.problemLines(res.body), warnings: [], status: '' });
      setDirty(false);
      setState({ ...state, draft: res.body });
      setDef(structuredClone(res.body.definition));
      setMessages({ problems: [], warnings: res.body.warnings || [], status: `第${res.body.version}版（下書き）に保存しました。 Saved.` });
      const frame = document.getElementById('phone-preview');
      if (frame) frame.src = `/staff/preview/versions/${res.body.id}?saved=${Date.now()}`;
    });
  };
  const pages = def.pages || [];
  return html`<div class="form-editor">
    <p><a href=${`/staff/questionnaires/${qid}`}>← アンケートのページへ（公開はこちら） <span class="en">Back to the questionnaire / publish</span></a></p>
    <section class="block survey-settings">
      <h2>アンケート全体 <span class="en">Whole questionnaire</span></h2>
      <${TextField} id="survey-title" label=${html`回答者に見えるタイトル <span class="en">Title shown to participants</span>`} value=${def.title}
        onChange=${(v) => change((d) => { d.title = v; })} />
      <${TextField} label=${html`はじめの説明 <span class="en">Introduction</span>`} value=${def.description} multiline
        onChange=${(v) => change((d) => { if (v) d.description = v; else delete d.description; })} />
    </section>
    ${pages.map((page, p) => html`<${Block} key=${page.name || p} page=${page} p=${p} pages=${pages} def=${def} locked=${locked} awaiting=${awaiting} change=${change} focusAfter=${focusAfter} />`)}
    <p><button type="button" onClick=${() =>
      change((d) => {
        let n = pages.length + 1;
        while (pages.some((x) => x.name === `page_${n}`)) n++;
        d.pages = [...(d.pages || []), { name: `page_${n}`, elements: [] }];
      })}>＋ ブロックを追加 <span class="en">Add a block</span></button></p>
    <div class="save-bar">
      ${messages.problems.length ? html`<div class="problems" role="alert" id="editor-problems"><ul>${messages.problems.map((l) => html`<li>${l}</li>`)}</ul></div>` : null}
      ${messages.warnings.length ? html`<div class="warnings" id="editor-warnings"><ul>${messages.warnings.map((l) => html`<li>${l}</li>`)}</ul></div>` : null}
      <div class="actions">
        <button type="button" class="primary" id="save-draft" onClick=${save}>下書きを保存 <span class="en">Save draft</span></button>
        <span role="status" id="save-status">${dirty ? '保存していない変更があります。 Unsaved changes.' : messages.status}</span>
        <a class="to-preview" href="#phone-preview">プレビューを見る <span class="en">Preview</span></a>
      </div>
    </div>
  </div>`;
}

render(html`<${Editor} />`, root);
