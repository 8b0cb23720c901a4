// Entry page: staff type in a paper, mail or interview return with the questionnaire's own form and
// save it with POST /api/waves/:id/responses (a fresh idempotency key per return); with
// data-response-id the form holds an entered return and saving corrects it (PATCH /api/responses/:id).
// The list below deletes entered returns. Uses staff.js.
(function () {
  'use strict';
  if (document.body.getAttribute('data-page') !== 'entry') return;
  var S = window.staffApi;
  function byId(id) { return document.getElementById(id); }
  var form = byId('entry');
  var problems = byId('entry-problems');
  var statusLine = byId('entry-status-line');
  var waveId = form.getAttribute('data-wave-id');
  var saved = 0;
  var key = null;

  function newKey() {
    var bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    return 'staff-' + Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  function collect() {
    return window.SurveyFormAnswers.collect(byId('entry-questions').querySelectorAll('[data-q]'), {});
  }

  // One key per return: kept when the request may have reached the server (network error, 5xx), so
  // pressing 保存 again cannot store the return twice; a fresh key after a save or a refused (4xx) entry.
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    S.showProblems(problems, []);
    statusLine.textContent = '';
    var answers = collect();
    if (!Object.keys(answers).length) {
      return S.showProblems(problems, ['回答が入力されていません。 No answers entered.']);
    }
    var correcting = form.getAttribute('data-response-id');
    if (correcting) {
      S.api('PATCH', '/api/responses/' + encodeURIComponent(correcting), { mode: byId('entry-mode').value, status: byId('entry-status').value, answers: answers }).then(function (res) {
        if (!res.ok) return S.showProblems(problems, S.problemLines(res.body));
        location.href = '/staff/waves/' + encodeURIComponent(waveId) + '/entry';
      });
      return;
    }
    if (!key) key = newKey();
    var body = { idempotencyKey: key, mode: byId('entry-mode').value, status: byId('entry-status').value, answers: answers };
    var unit = byId('entry-unit').value.trim();
    if (unit) body.unitId = unit;
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
      var mode = byId('entry-mode').value;
      var status = byId('entry-status').value;
      form.reset();
      byId('entry-mode').value = mode;
      byId('entry-status').value = status;
      statusLine.textContent = '保存しました' + (unit ? '（' + unit + '）' : '') + '。次の回答を入力できます。 Saved; enter the next return.';
      window.scrollTo(0, 0);
      byId('entry-unit').focus();
    });
  });

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
})();
