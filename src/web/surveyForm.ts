/**
 * Server-side rendering of a SurveyJS questionnaire as a plain HTML form.
 *
 * The participant page shows this form first: it is about 20 KB, answerable at once on a slow
 * phone, and submittable without JavaScript. participant.js then enhances it (pages, progress,
 * saving on the device, offline resubmission) and loads the SurveyJS bundle only when the
 * questionnaire uses something this renderer does not do (conditions, unusual question types).
 * The same JSON is read here, in participant.js and by survey-core on the server.
 */

export type Lang = 'ja' | 'en';
type Json = Record<string, unknown>;
type Choice = { value: unknown; text: string };

/** Question types rendered here; anything else needs SurveyJS in the browser. */
const SUPPORTED = new Set(['radiogroup', 'checkbox', 'dropdown', 'rating', 'boolean', 'text', 'comment', 'matrix']);
/** Properties that need survey-core's expression engine or runtime in the browser. */
const LOGIC = [
  'visibleIf', 'enableIf', 'requiredIf', 'choicesVisibleIf', 'choicesEnableIf', 'rowsVisibleIf', 'columnsVisibleIf',
  'defaultValueExpression', 'setValueIf', 'setValueExpression', 'resetValueIf', 'choicesByUrl', 'choicesFromQuestion',
];

export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A SurveyJS localisable string: plain, or {default: ja, en: …}. */
export function loc(value: unknown, lang: Lang): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'object') return String(value);
  const v = value as Record<string, unknown>;
  const pick = (lang === 'en' ? v.en : v.ja) ?? v.default ?? v.ja ?? Object.values(v)[0];
  return pick === undefined || pick === null ? '' : String(pick);
}

export type FlatQuestion = { q: Json; type: string; name: string; page: number };

function questionsOf(elements: unknown, page: number, out: FlatQuestion[]) {
  for (const el of (Array.isArray(elements) ? elements : []) as Json[]) {
    const type = String(el.type ?? '');
    if (type === 'panel') questionsOf(el.elements, page, out);
    else if (type !== 'html' && type !== 'image' && type !== 'expression') out.push({ q: el, type, name: valueName(el), page });
  }
}

function valueName(q: Json): string {
  return String(q.valueName ?? q.name ?? '');
}

export function pagesOf(definition: Json): Json[] {
  if (Array.isArray(definition.pages)) return definition.pages as Json[];
  if (Array.isArray(definition.elements)) return [{ name: 'page1', elements: definition.elements }];
  return [];
}

export function allQuestions(definition: Json): FlatQuestion[] {
  const out: FlatQuestion[] = [];
  pagesOf(definition).forEach((p, i) => questionsOf(p.elements, i, out));
  return out;
}

/**
 * The 問 numbers of a questionnaire: every question in page order, panels included, display elements
 * (html, image, expression) not. The participant page (when numbered), the paper questionnaire, the
 * paper-entry page and the entry errors all number from here, so 問5 on paper is 問5 when keyed.
 */
export function questionNumbers(definition: Json): Map<Json, number> {
  return new Map(allQuestions(definition).map((fq, i) => [fq.q, i + 1]));
}

/** 問N of the question with this value name (the first, when several share it), for messages to staff. */
export function questionLabel(definition: Json, name: string): string | undefined {
  const at = allQuestions(definition).findIndex((fq) => fq.name === name);
  return at < 0 ? undefined : `問${at + 1}`;
}

/** True when the questionnaire needs the SurveyJS runtime in the browser to behave as designed. */
export function needsSurveyJs(definition: Json): boolean {
  if (Array.isArray(definition.triggers) && definition.triggers.length) return true;
  if (Array.isArray(definition.calculatedValues) && definition.calculatedValues.length) return true;
  let needs = false;
  const walk = (node: unknown) => {
    if (needs || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as Json;
    if (LOGIC.some((k) => k in n)) needs = true;
    if (typeof n.type === 'string' && n.type !== 'panel' && !SUPPORTED.has(n.type)) needs = true;
    walk(n.elements);
  };
  pagesOf(definition).forEach(walk);
  return needs;
}

function choiceOf(item: unknown, lang: Lang): Choice {
  if (item && typeof item === 'object') {
    const i = item as Json;
    return { value: i.value, text: loc(i.text ?? i.value, lang) };
  }
  if (typeof item === 'string' && item.includes('|')) {
    const [value, text] = item.split('|');
    return { value, text };
  }
  return { value: item, text: String(item) };
}

/** The choices a question offers, in the order SurveyJS shows them, with "other"/"none" items. */
export function choicesOf(q: Json, lang: Lang): Choice[] {
  const type = String(q.type);
  if (type === 'boolean') {
    return [
      { value: q.valueTrue ?? true, text: loc(q.labelTrue, lang) || (lang === 'en' ? 'Yes' : 'はい') },
      { value: q.valueFalse ?? false, text: loc(q.labelFalse, lang) || (lang === 'en' ? 'No' : 'いいえ') },
    ];
  }
  if (type === 'rating') {
    if (Array.isArray(q.rateValues) && q.rateValues.length) return q.rateValues.map((c) => choiceOf(c, lang));
    const min = Number(q.rateMin ?? 1);
    const step = Number(q.rateStep ?? 1) || 1;
    const max = q.rateMax !== undefined ? Number(q.rateMax) : q.rateCount !== undefined ? min + (Number(q.rateCount) - 1) * step : 5;
    const out: Choice[] = [];
    for (let v = min; v <= max && out.length < 100; v += step) out.push({ value: v, text: String(v) });
    return out;
  }
  const list = (Array.isArray(q.choices) ? q.choices : []).map((c) => choiceOf(c, lang));
  if (q.showNoneItem || q.hasNone) list.push({ value: q.noneValue ?? 'none', text: loc(q.noneText, lang) || (lang === 'en' ? 'None' : '該当なし') });
  if (q.showOtherItem || q.hasOther) list.push({ value: 'other', text: loc(q.otherText, lang) || (lang === 'en' ? 'Other (please specify)' : 'その他') });
  return list;
}

function hasOther(q: Json) {
  return Boolean(q.showOtherItem || q.hasOther);
}

/** Typed value marker for the browser: radio values are strings in HTML, numbers in the data. */
function typeMark(value: unknown): string {
  return typeof value === 'number' ? ' data-t="n"' : typeof value === 'boolean' ? ' data-t="b"' : '';
}

function seconds(fq: FlatQuestion): number {
  switch (fq.type) {
    case 'comment': return 60;
    case 'text': return 25;
    case 'checkbox': return 15;
    case 'matrix': return 10 * Math.max(1, Array.isArray(fq.q.rows) ? fq.q.rows.length : 1);
    default: return 10;
  }
}

/** How long answering takes, in minutes, for the first screen (unhurried reading pace). */
export function estimateMinutes(definition: Json): number {
  const total = 30 + allQuestions(definition).reduce((s, fq) => s + seconds(fq), 0);
  return Math.max(1, Math.ceil(total / 60));
}

export type FormState = {
  lang: Lang;
  values?: Record<string, unknown>;
  errors?: Record<string, string>;
  askParticipantCode?: boolean;
  participantCode?: string;
  /** Number the questions even when the questionnaire turns numbers off (staff keying paper need them). */
  numbered?: boolean;
  /** Staff entry of paper: a 判読不能・無効 mark after each question, checked for these names. */
  spoilable?: { spoiled: readonly string[] };
};

const same = (a: unknown, b: unknown) => a !== undefined && a !== null && String(a) === String(b);

/** The pages of the questionnaire as HTML sections (answers and errors filled in when given). */
export function renderPages(definition: Json, state: FormState): { html: string; questionCount: number } {
  const { lang } = state;
  const values = state.values ?? {};
  const errors = state.errors ?? {};
  const numbered = state.numbered ?? (definition.showQuestionNumbers !== 'off' && definition.showQuestionNumbers !== false);
  const numbers = questionNumbers(definition);
  let uid = 0;
  const t = (ja: string, en: string) => (lang === 'en' ? en : ja);

  const numberOf = (q: Json) => (numbered ? `<span class="q-no">${t('問', 'Q')}${numbers.get(q)}</span> ` : '');
  const title = (q: Json, forId?: string) => {
    const n = numberOf(q);
    const req = q.isRequired ? ` <span class="req">${t('必須', 'Required')}</span>` : '';
    const text = esc(loc(q.title, lang) || String(q.name));
    return forId ? `<label class="q-title" for="${forId}">${n}${text}${req}</label>` : `<legend class="q-title">${n}${text}${req}</legend>`;
  };
  const desc = (q: Json) => (q.description ? `<p class="q-desc">${esc(loc(q.description, lang))}</p>` : '');
  const err = (name: string) => (errors[name] ? `<p class="q-error" role="alert">${esc(errors[name])}</p>` : '');
  const attrs = (q: Json, kind: string, name: string) =>
    `data-q="${esc(name)}" data-kind="${kind}"${q.isRequired ? ' data-required' : ''}${errors[name] ? ' data-invalid' : ''}`;

  const choiceList = (name: string, choices: Choice[], multiple: boolean, current: unknown, cls = 'choices') => {
    const selected = multiple ? (Array.isArray(current) ? current : []) : [current];
    return `<div class="${cls}">${choices
      .map((c) => {
        const on = selected.some((s) => same(s, c.value)) ? ' checked' : '';
        return `<label class="choice"><input type="${multiple ? 'checkbox' : 'radio'}" name="${esc(name)}" value="${esc(c.value)}"${typeMark(c.value)}${on}><span>${esc(c.text)}</span></label>`;
      })
      .join('')}</div>`;
  };
  const otherBox = (q: Json, name: string) =>
    hasOther(q)
      ? `<label class="other">${t('その他の内容', 'Please specify')}<input type="text" name="${esc(name)}-Comment" maxlength="500" value="${esc(values[`${name}-Comment`])}"></label>`
      : '';

  const question = (q: Json): string => {
    const type = String(q.type ?? '');
    const name = valueName(q);
    const v = values[name];
    switch (type) {
      case 'radiogroup':
      case 'boolean':
        return `<fieldset class="q" ${attrs(q, 'single', name)}>${title(q)}${desc(q)}${err(name)}${choiceList(name, choicesOf(q, lang), false, v)}${otherBox(q, name)}</fieldset>`;
      case 'rating': {
        const min = q.minRateDescription ? `<span>${esc(loc(q.minRateDescription, lang))}</span>` : '';
        const max = q.maxRateDescription ? `<span>${esc(loc(q.maxRateDescription, lang))}</span>` : '';
        const ends = min || max ? `<p class="rate-ends">${min}${max}</p>` : '';
        return `<fieldset class="q" ${attrs(q, 'single', name)}>${title(q)}${desc(q)}${err(name)}${ends}${choiceList(name, choicesOf(q, lang), false, v, 'choices rating')}</fieldset>`;
      }
      case 'checkbox':
        return `<fieldset class="q" ${attrs(q, 'multi', name)}>${title(q)}${desc(q)}${err(name)}${choiceList(name, choicesOf(q, lang), true, v)}${otherBox(q, name)}</fieldset>`;
      case 'dropdown': {
        const id = `f${++uid}`;
        const options = choicesOf(q, lang)
          .map((c) => `<option value="${esc(c.value)}"${typeMark(c.value)}${same(v, c.value) ? ' selected' : ''}>${esc(c.text)}</option>`)
          .join('');
        return `<div class="q" ${attrs(q, 'single', name)}>${title(q, id)}${desc(q)}${err(name)}<select id="${id}" name="${esc(name)}"><option value="">${t('選んでください', 'Choose…')}</option>${options}</select>${otherBox(q, name)}</div>`;
      }
      case 'text': {
        const id = `f${++uid}`;
        const numeric = q.inputType === 'number';
        const kind = numeric ? 'number' : 'text';
        const extra = numeric ? ' inputmode="decimal" data-t="n"' : q.inputType === 'email' ? ' type="email"' : q.inputType === 'tel' ? ' type="tel"' : '';
        const max = q.maxLength ? ` maxlength="${Number(q.maxLength)}"` : '';
        return `<div class="q" ${attrs(q, kind, name)}>${title(q, id)}${desc(q)}${err(name)}<input id="${id}" name="${esc(name)}"${extra.includes('type=') ? '' : ' type="text"'}${extra}${max} value="${esc(v)}" autocomplete="off"></div>`;
      }
      case 'comment': {
        const id = `f${++uid}`;
        const max = q.maxLength ? ` maxlength="${Number(q.maxLength)}"` : '';
        return `<div class="q" ${attrs(q, 'text', name)}>${title(q, id)}${desc(q)}${err(name)}<textarea id="${id}" name="${esc(name)}" rows="${Number(q.rows ?? 4)}"${max}>${esc(v)}</textarea></div>`;
      }
      case 'matrix': {
        // One row per question: a narrow phone never scrolls sideways.
        const columns = (Array.isArray(q.columns) ? q.columns : []).map((c) => choiceOf(c, lang));
        const rows = (Array.isArray(q.rows) ? q.rows : []).map((r) => choiceOf(r, lang));
        const current = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
        const body = rows
          .map(
            (r) =>
              `<fieldset class="m-row" data-row="${esc(r.value)}"><legend>${esc(r.text)}</legend>${choiceList(`${name}.${String(r.value)}`, columns, false, current[String(r.value)])}</fieldset>`,
          )
          .join('');
        return `<fieldset class="q" ${attrs(q, 'matrix', name)}${q.isAllRowRequired ? ' data-all-rows' : ''}>${title(q)}${desc(q)}${err(name)}${body}</fieldset>`;
      }
      default:
        return `<div class="q unsupported" data-q="${esc(name)}" data-kind="none"><p class="q-title">${numberOf(q)}${esc(loc(q.title, lang) || name)}</p><p class="q-desc">${t('この質問は読み込み中です…', 'Loading this question…')}</p></div>`;
    }
  };

  const element = (el: Json): string => {
    if (el.type === 'panel') {
      const head = el.title ? `<h3>${esc(loc(el.title, lang))}</h3>` : '';
      return `<div class="panel">${head}${desc(el)}${((el.elements as Json[]) ?? []).map(element).join('')}</div>`;
    }
    if (el.type === 'html' || el.type === 'image' || el.type === 'expression') return '';
    return question(el) + spoilMark(el);
  };
  // Outside the question's element, so reading its answer never reads the mark.
  const spoilMark = (q: Json) => {
    if (!state.spoilable) return '';
    const name = valueName(q);
    const on = state.spoilable.spoiled.includes(name) ? ' checked' : '';
    return `<label class="spoil"><input type="checkbox" name="__spoiled" value="${esc(name)}"${on}> 判読不能・無効（二重回答など）</label>`;
  };

  const sections: string[] = [];
  if (state.askParticipantCode) {
    const e = errors.participantCode ? `<p class="q-error" role="alert">${esc(errors.participantCode)}</p>` : '';
    sections.push(
      `<section class="page" data-page="code"><h2>${t('参加者コード', 'Participant code')}</h2><div class="q" data-q="__participantCode" data-kind="text" data-required${e ? ' data-invalid' : ''}><label class="q-title" for="f-code">${t('参加者コード', 'Participant code')} <span class="req">${t('必須', 'Required')}</span></label><p class="q-desc">${t('カードに書かれた参加者コードを入力してください（お手紙のアクセスコードとは別のものです）。', 'Enter the participant code printed on your card (not the access code of a letter).')}</p>${e}<input id="f-code" type="text" name="__participantCode" maxlength="64" autocomplete="off" value="${esc(state.participantCode)}"></div></section>`,
    );
  }
  const pages = pagesOf(definition);
  pages.forEach((p, i) => {
    const head = p.title ? `<h2>${esc(loc(p.title, lang))}</h2>` : '';
    sections.push(`<section class="page" data-page="${i}">${head}${desc(p)}${((p.elements as Json[]) ?? []).map(element).join('')}</section>`);
  });
  return { html: sections.join('\n'), questionCount: numbers.size };
}

/** Form fields (as a browser posts them) → SurveyJS answers typed as the questionnaire defines. */
export function formAnswers(definition: Json, form: Record<string, string | string[]>): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  // Nobody types a NUL character, and PostgreSQL cannot store one: a crafted form loses it.
  const clean = (s: string) => s.replaceAll('\u0000', '');
  const first = (key: string) => {
    const v = form[key];
    const s = Array.isArray(v) ? v[0] : v;
    return typeof s === 'string' ? clean(s) : undefined;
  };
  const all = (key: string) => {
    const v = form[key];
    return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((s): s is string => typeof s === 'string' && s !== '').map(clean);
  };
  const pick = (choices: Choice[], raw: string) => {
    const hit = choices.find((c) => String(c.value) === raw);
    return hit ? hit.value : raw;
  };
  for (const { q, type, name } of allQuestions(definition)) {
    if (type === 'matrix') {
      const columns = (Array.isArray(q.columns) ? q.columns : []).map((c) => choiceOf(c, 'ja'));
      const row: Record<string, unknown> = {};
      for (const r of (Array.isArray(q.rows) ? q.rows : []).map((x) => choiceOf(x, 'ja'))) {
        const raw = first(`${name}.${String(r.value)}`);
        if (raw) row[String(r.value)] = pick(columns, raw);
      }
      if (Object.keys(row).length) answers[name] = row;
      continue;
    }
    if (type === 'checkbox') {
      const picked = all(name).map((raw) => pick(choicesOf(q, 'ja'), raw));
      if (picked.length) answers[name] = picked;
    } else if (SUPPORTED.has(type)) {
      const raw = first(name)?.trim();
      if (!raw) continue;
      if (type === 'text' || type === 'comment') {
        const text = raw.normalize('NFC');
        if (type === 'text' && q.inputType === 'number') {
          const n = Number(raw.normalize('NFKC').replace(/,/g, ''));
          answers[name] = Number.isFinite(n) ? n : text;
        } else answers[name] = text;
      } else answers[name] = pick(choicesOf(q, 'ja'), raw);
    }
    const other = first(`${name}-Comment`)?.trim();
    if (other && hasOther(q)) answers[`${name}-Comment`] = other;
  }
  return answers;
}
