import { sanitiseHtml } from '../questionnaires/sanitiseHtml.js';
import { choicesOf, esc, loc, pagesOf, questionNumbers } from '../web/surveyForm.js';
import { skipNotes, type SkipNotes } from './paperSkips.js';

type Json = Record<string, unknown>;

/** What the first lines of a paper copy say: who runs it, why, until when, whom to ask. */
export type PaperIntro = {
  organisation: string;
  purpose?: string | null;
  deadline?: string | null;
  contact?: string | null;
  /** A pre/post wave: the copy has a 参加者コード box for the code on the participant's card. */
  askParticipantCode?: boolean;
};

const BOX = '<span class="box" aria-hidden="true">□</span>';

/**
 * One printed copy of the published questionnaire: the introduction, a box for the unit id (printed, or
 * left for staff), then every question with its 問 number from questionNumbers (the numbering of the
 * paper-entry page), a box to tick per choice, a table of boxes for ratings and grids, lines to write on,
 * a box for numbers with their range, and skip instructions from the conditions. Wording and choice
 * order are the definition's own, so validated scale items read exactly as published.
 */
export function paperCopy(definition: Json, intro: PaperIntro, unitId: string | null): string {
  const numbers = questionNumbers(definition);
  const skips = skipNotes(definition);
  const title = loc(definition.title, 'ja') || 'アンケート';
  const body = pagesOf(definition)
    .map((page) => {
      const head = page.title ? `<h2>${esc(loc(page.title, 'ja'))}</h2>` : '';
      const desc = page.description ? `<p class="p-desc">${esc(loc(page.description, 'ja'))}</p>` : '';
      return head + desc + elements(page.elements, numbers, skips);
    })
    .join('');
  return `<article class="paper-copy">${header(title, unitId, intro.askParticipantCode ?? false)}${introduction(definition, intro)}${body}<p class="p-end">質問は以上です。ご協力ありがとうございました。</p></article>`;
}

function header(title: string, unitId: string | null, askParticipantCode: boolean) {
  const unit = unitId === null ? '<span class="unit-blank"></span>' : `<strong class="unit-id">${esc(unitId)}</strong>`;
  // The participant writes the code from their card; it pairs this paper with their other answer (事前・事後).
  const code = askParticipantCode
    ? '<div class="unit-box code-box"><span class="unit-label">参加者コード<br>（カードに書かれたコード）</span><span class="unit-blank"></span></div>'
    : '';
  return `<header class="p-head"><h1>${esc(title)}</h1><div class="p-boxes"><div class="unit-box"><span class="unit-label">対象者番号</span>${unit}</div>${code}</div></header>`;
}

function introduction(definition: Json, intro: PaperIntro) {
  const purpose = intro.purpose?.trim() || loc(definition.description, 'ja') || `${intro.organisation}の活動や支援をよりよくするためのアンケートです。`;
  const privacy = loc(definition.privacyNotice, 'ja') || `回答を見るのは${intro.organisation}の担当者だけです。結果は、個人が分からない形でまとめます。`;
  const rows: [string, string | null | undefined][] = [
    ['実施', loc(definition.organisationName, 'ja') || intro.organisation],
    ['目的', purpose],
    ['返送期限', intro.deadline && `${intro.deadline}まで`],
    ['回答を見る人', privacy],
    ['任意です', '答えるかどうかは自由です。答えなくても不利益はありません。答えたくない質問はとばしてかまいません。'],
    ['答え方', 'あてはまる□に✓をつけてください。「1つだけ」の質問は1つ、「いくつでも」の質問はあてはまるものすべてに✓をつけます。'],
    ['問い合わせ先', intro.contact],
  ];
  const shown = rows.filter((row): row is [string, string] => Boolean(row[1]));
  return `<dl class="p-intro">${shown.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>`;
}

function elements(list: unknown, numbers: Map<Json, number>, skips: SkipNotes): string {
  return ((Array.isArray(list) ? list : []) as Json[])
    .map((el) => {
      if (el.type === 'panel') {
        const head = el.title ? `<h3>${esc(loc(el.title, 'ja'))}</h3>` : '';
        const desc = el.description ? `<p class="p-desc">${esc(loc(el.description, 'ja'))}</p>` : '';
        return `<section class="p-panel">${head}${desc}${elements(el.elements, numbers, skips)}</section>`;
      }
      // Explanations written for participants are printed as text (sanitised as on the page).
      if (el.type === 'html') return `<div class="p-html">${sanitiseHtml(loc(el.html, 'ja'))}</div>`;
      if (!numbers.has(el)) return '';
      return question(el, numbers.get(el)!, skips);
    })
    .join('');
}

function question(q: Json, no: number, skips: SkipNotes): string {
  const only = skips.onlyIf.get(q);
  const goTo = skips.goTo.get(q);
  const title = esc(loc(q.title, 'ja') || String(q.name));
  const how = instruction(q);
  const desc = q.description ? `<p class="p-desc">${esc(loc(q.description, 'ja'))}</p>` : '';
  return `<section class="pq"${only ? ' data-conditional' : ''}>${only ? `<p class="only-if">${esc(only)}</p>` : ''}<h3 class="pq-title"><span class="pq-no">問${no}</span>${title}${how ? ` <span class="how">${esc(how)}</span>` : ''}</h3>${desc}${answerArea(q)}${goTo ? goTo.map((line) => `<p class="go-to">${esc(line)}</p>`).join('') : ''}</section>`;
}

/** How to mark the answer, as Japanese questionnaires print it after the question. */
function instruction(q: Json): string {
  switch (q.type) {
    case 'checkbox':
    case 'tagbox': {
      const max = Number(q.maxSelectedChoices ?? 0);
      return max > 0 ? `（${max}つまで）` : '（いくつでも）';
    }
    case 'radiogroup':
    case 'dropdown':
    case 'boolean':
    case 'imagepicker':
    case 'rating':
      return '（1つだけ）';
    case 'matrix':
      return '（それぞれ1つだけ）';
    case 'ranking':
      return '（順位を数字で記入）';
    default:
      return '';
  }
}

function answerArea(q: Json): string {
  switch (q.type) {
    case 'radiogroup':
    case 'checkbox':
    case 'tagbox':
    case 'dropdown':
    case 'boolean':
    case 'imagepicker':
      return choiceList(q);
    case 'rating':
      return rating(q);
    case 'matrix':
      return grid(q);
    case 'ranking':
      return `<ul class="choices ranking">${choicesOf(q, 'ja').map((c) => `<li><span class="rank-box"></span>${esc(c.text)}</li>`).join('')}</ul>`;
    case 'text':
      return textAnswer(q);
    case 'comment':
      return lines(Math.min(8, Math.max(3, Number(q.rows ?? 4))));
    case 'multipletext':
      return `<dl class="items">${list(q.items).map((item) => `<div><dt>${esc(loc(item.title, 'ja') || String(item.name))}</dt><dd>${lines(1)}</dd></div>`).join('')}</dl>`;
    case 'matrixdropdown':
    case 'matrixdynamic':
      return writeGrid(q);
    default:
      return lines(3);
  }
}

function choiceList(q: Json): string {
  const items = choicesOf(q, 'ja').map((c) => {
    const other = (q.showOtherItem || q.hasOther) && c.value === 'other' ? '<span class="other-line">（具体的に：</span><span class="fill"></span>）' : '';
    return `<li>${BOX}<span class="c-text">${esc(c.text)}</span>${other}</li>`;
  });
  return `<ul class="choices${items.length > 6 ? ' two-columns' : ''}">${items.join('')}</ul>`;
}

function rating(q: Json): string {
  const choices = choicesOf(q, 'ja');
  const min = loc(q.minRateDescription, 'ja');
  const max = loc(q.maxRateDescription, 'ja');
  const ends = min || max ? `<p class="rate-ends"><span>${esc(min)}</span><span>${esc(max)}</span></p>` : '';
  return `${ends}<table class="rating"><tr>${choices.map((c) => `<th>${esc(c.text)}</th>`).join('')}</tr><tr>${choices.map(() => `<td>${BOX}</td>`).join('')}</tr></table>`;
}

function grid(q: Json): string {
  const columns = list(q.columns).map((c) => loc(c.text ?? c.value, 'ja') || String(c.value ?? c));
  const rows = list(q.rows).map((r) => loc(r.text ?? r.value, 'ja') || String(r.value ?? r));
  return `<table class="grid"><thead><tr><th></th>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr><th>${esc(r)}</th>${columns.map(() => `<td>${BOX}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function writeGrid(q: Json): string {
  const columns = list(q.columns).map((c) => loc(c.title, 'ja') || String(c.name ?? ''));
  const rows = q.type === 'matrixdynamic' ? Array.from({ length: Math.max(3, Number(q.rowCount ?? 3)) }, () => '') : list(q.rows).map((r) => loc(r.text ?? r.value, 'ja') || String(r.value ?? r));
  return `<table class="grid write"><thead><tr><th></th>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr><th>${esc(r)}</th>${columns.map(() => '<td></td>').join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** A number gets a box and its range; a date its 年月日; other text a line to write on. */
function textAnswer(q: Json): string {
  if (q.inputType === 'number') {
    const [min, max] = numberRange(q);
    const range = min !== undefined && max !== undefined ? `${min}〜${max}` : min !== undefined ? `${min}以上` : max !== undefined ? `${max}以下` : '';
    return `<p class="number"><span class="number-box"></span>${range ? `<span class="range">（${esc(range)}の数字で記入）</span>` : '<span class="range">（数字で記入）</span>'}</p>`;
  }
  if (q.inputType === 'date') return '<p class="date">　　　　年　　　月　　　日</p>';
  return lines(1);
}

/** The range a number question accepts: its own min/max or a numeric validator's. */
function numberRange(q: Json): [number | undefined, number | undefined] {
  const numeric = list(q.validators).find((v) => v.type === 'numeric');
  const pick = (own: unknown, fromValidator: unknown) => {
    const value = own ?? fromValidator;
    return value === undefined || value === null || value === '' || Number.isNaN(Number(value)) ? undefined : Number(value);
  };
  return [pick(q.min, numeric?.minValue), pick(q.max, numeric?.maxValue)];
}

const lines = (n: number) => `<div class="write">${'<span class="line"></span>'.repeat(n)}</div>`;

const list = (value: unknown) => (Array.isArray(value) ? value : []).map((v) => (v && typeof v === 'object' ? (v as Json) : ({ value: v } as Json)));
