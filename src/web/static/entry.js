// Entry page (src/collection/entryPage.tsx): staff key a paper, mail or interview return with the
// questionnaire's own form and save it with POST /api/waves/:id/responses (a fresh idempotency key per
// return). A question marked 判読不能・無効 is sent in `spoiled`, never as an answer. With
// data-response-id the form holds an entered return and saving corrects it (PATCH /api/responses/:id);
// with data-keying-id a second person keys the same paper (POST /api/responses/:id/keyings). The
// #resolve form settles the questions two keyings disagree on. The list deletes entered returns. Uses staff.js.
(function () {
  'use strict';
  if (document.body.getAttribute('data-page') !== 'entry') return;
  var S = window.staffApi;
  function byId(id) { return document.getElementById(id); }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  var problems = byId('entry-problems');
  var entryUrl = function (waveId) { return '/staff/waves/' + encodeURIComponent(waveId) + '/entry'; };

  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-action="delete-entry"]');
    if (!button) return;
    if (!confirm('この入力済みの回答を削除します。対象者は「未回答」に戻り、削除した内容は監査ログに残ります。\nDelete this entered return?')) return;
    button.disabled = true;
    S.api('DELETE', '/api/responses/' + encodeURIComponent(button.getAttribute('data-response-id'))).then(function (res) {
      if (!res.ok) {
        button.disabled = false;
        return S.showProblems(problems, S.problemLines(res.body));
      }
      button.closest('tr').remove();
    });
  });

  var resolve = byId('resolve');
  if (resolve) {
    resolve.addEventListener('submit', function (event) {
      event.preventDefault();
      var use = {};
      each(resolve.querySelectorAll('tr[data-question]'), function (row) {
        var picked = row.querySelector('input:checked');
        if (picked) use[row.getAttribute('data-question')] = picked.value;
      });
      var id = resolve.getAttribute('data-response-id');
      S.api('POST', '/api/responses/' + encodeURIComponent(id) + '/keyings/resolve', { use: use }).then(function (res) {
        if (!res.ok) return S.showProblems(problems, S.problemLines(res.body));
        location.href = entryUrl(resolve.getAttribute('data-wave-id'));
      });
    });
  }

  var form = byId('entry');
  if (!form) return;
  var statusLine = byId('entry-status-line');
  var waveId = form.getAttribute('data-wave-id');
  var saved = 0;
  var key = null;

  function newKey() {
    var bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    return 'staff-' + Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  // The mark sits right after its question (surveyForm.ts), so the question is its previous sibling.
  function markQuestion(mark) {
    var question = mark.closest('label').previousElementSibling;
    if (!question) return;
    question.classList.toggle('spoiled', mark.checked);
    each(question.querySelectorAll('input, select, textarea'), function (field) {
      if (mark.checked) {
        if (field.type === 'radio' || field.type === 'checkbox') field.checked = false;
        else field.value = '';
      }
      field.disabled = mark.checked;
    });
  }
  function spoiledMarks() { return form.querySelectorAll('input[name="__spoiled"]'); }
  each(spoiledMarks(), markQuestion);
  form.addEventListener('change', function (event) {
    if (event.target.name === '__spoiled') markQuestion(event.target);
  });

  function keyed() {
    var spoiled = [];
    each(spoiledMarks(), function (mark) { if (mark.checked) spoiled.push(mark.value); });
    var questions = Array.prototype.filter.call(byId('entry-questions').querySelectorAll('[data-q]'), function (q) {
      return spoiled.indexOf(q.getAttribute('data-q')) < 0;
    });
    return { answers: window.SurveyFormAnswers.collect(questions, {}), spoiled: spoiled };
  }

  function clearForm() {
    var mode = byId('entry-mode').value;
    var status = byId('entry-status').value;
    form.reset();
    each(spoiledMarks(), markQuestion);
    byId('entry-mode').value = mode;
    byId('entry-status').value = status;
  }

  // One key per return: kept when the request may have reached the server (network error, 5xx), so
  // pressing 保存 again cannot store the return twice; a fresh key after a save or a refused (4xx) entry.
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    S.showProblems(problems, []);
    statusLine.textContent = '';
    var input = keyed();
    if (!Object.keys(input.answers).length && !input.spoiled.length) {
      return S.showProblems(problems, ['回答が入力されていません。 No answers entered.']);
    }
    var correcting = form.getAttribute('data-response-id');
    var code = byId('entry-code');
    if (correcting) {
      var correction = { mode: byId('entry-mode').value, status: byId('entry-status').value, answers: input.answers, spoiled: input.spoiled };
      if (code && code.value.trim()) correction.participantCode = code.value.trim();
      S.api('PATCH', '/api/responses/' + encodeURIComponent(correcting), correction).then(function (res) {
        if (!res.ok) return S.showProblems(problems, S.problemLines(res.body));
        location.href = entryUrl(waveId);
      });
      return;
    }
    var keying = form.getAttribute('data-keying-id');
    if (keying) {
      S.api('POST', '/api/responses/' + encodeURIComponent(keying) + '/keyings', input).then(function (res) {
        if (!res.ok) return S.showProblems(problems, S.problemLines(res.body));
        location.href = entryUrl(waveId) + (res.body.mismatches.length ? '?resolve=' + encodeURIComponent(keying) : '');
      });
      return;
    }
    if (!key) key = newKey();
    var body = { idempotencyKey: key, mode: byId('entry-mode').value, status: byId('entry-status').value, answers: input.answers, spoiled: input.spoiled };
    var unit = byId('entry-unit').value.trim();
    if (unit) body.unitId = unit;
    if (code && code.value.trim()) body.participantCode = code.value.trim();
    var button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    S.api('POST', '/api/waves/' + encodeURIComponent(waveId) + '/responses', body).then(function (res) {
      button.disabled = false;
      if (!res.ok) {
        if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) key = null;
        return S.showProblems(problems, S.problemLines(res.body));
      }
      key = null;
      saved += 1;
      byId('entry-count').textContent = String(saved);
      clearForm();
      // A return kept without the wave's participant code says so: it will not be paired.
      statusLine.textContent = '保存しました' + (unit ? '（' + unit + '）' : '') + '。' + (res.body.warning_ja ? res.body.warning_ja + ' ' : '') + '次の回答を入力できます。 Saved; enter the next return.';
      window.scrollTo(0, 0);
      byId('entry-unit').focus();
    });
  });
})();
