// Reads the answer of one server-rendered question (src/web/surveyForm.ts) as SurveyJS stores it.
// Shared by the participant page and the staff entry page.
(function () {
  'use strict';
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  // surveyForm.ts marks typed choices: data-t="n" numbers, data-t="b" booleans; the rest are strings.
  function typed(el) {
    var t = el.getAttribute('data-t');
    if (t === 'n') return Number(el.value);
    if (t === 'b') return el.value === 'true';
    return el.value;
  }
  function toNumber(text) {
    var n = Number(text.normalize('NFKC').replace(/,/g, ''));
    return isFinite(n) ? n : text;
  }
  function valueOf(q) {
    var kind = q.getAttribute('data-kind');
    if (kind === 'matrix') {
      var obj = {}, any = false;
      each(q.querySelectorAll('.m-row'), function (row) {
        var c = row.querySelector('input:checked');
        if (c) { obj[row.getAttribute('data-row')] = typed(c); any = true; }
      });
      return any ? obj : undefined;
    }
    if (kind === 'multi') {
      var list = [];
      each(q.querySelectorAll('input[type=checkbox]:checked'), function (i) { list.push(typed(i)); });
      return list.length ? list : undefined;
    }
    if (kind === 'single') {
      var select = q.querySelector('select');
      if (select) return select.value === '' ? undefined : typed(select.options[select.selectedIndex]);
      var c = q.querySelector('input[type=radio]:checked');
      return c ? typed(c) : undefined;
    }
    if (kind === 'text' || kind === 'number') {
      var f = q.querySelector('input, textarea');
      var v = f.value.trim();
      if (!v) return undefined;
      return kind === 'number' ? toNumber(v) : v;
    }
    return undefined;
  }
  /** Adds the answers (and "other" texts) of the given question elements to `data`. */
  function collect(questions, data) {
    each(questions, function (q) {
      var name = q.getAttribute('data-q');
      var v = valueOf(q);
      if (v !== undefined) data[name] = v;
      var other = q.querySelector('input[name$="-Comment"]');
      if (other && other.value.trim()) data[name + '-Comment'] = other.value.trim();
    });
    return data;
  }
  window.SurveyFormAnswers = { valueOf: valueOf, collect: collect };
})();
