// Invitation list and unit pages: re-issue a link (after confirmation), correct a unit's attributes, and
// save the wave's purpose, through the API with the session's CSRF token (staff.js).
(function () {
  'use strict';
  var S = window.staffApi;
  function byId(id) { return document.getElementById(id); }
  function unitPath(el) {
    return '/api/waves/' + encodeURIComponent(el.getAttribute('data-wave-id')) + '/invitations/' + encodeURIComponent(el.getAttribute('data-unit-id'));
  }

  var reissue = document.querySelector('[data-action="reissue"]');
  if (reissue) {
    reissue.addEventListener('click', function () {
      var unit = reissue.getAttribute('data-unit-id');
      var sure = window.confirm('対象者 ' + unit + ' のリンクとアクセスコードを再発行します。以前のリンクとコードは使えなくなります。よろしいですか？\nRe-issue: the old link and code stop working.');
      if (!sure) return;
      reissue.disabled = true;
      S.api('POST', unitPath(reissue) + '/reissue').then(function (res) {
        if (!res.ok) {
          reissue.disabled = false;
          return S.showProblems(byId('reissue-problems'), S.problemLines(res.body));
        }
        location.reload();
      });
    });
  }

  /** "name: value" per line; the first colon (also a full-width one) splits; an empty value is null. */
  function attributesOf(text) {
    var attributes = {};
    var wrong = [];
    text.split(/\r?\n/).forEach(function (line, i) {
      if (!line.trim()) return;
      var m = /^([^:：]+)[:：](.*)$/.exec(line);
      if (!m || !m[1].trim()) return wrong.push((i + 1) + '行目に「名前: 値」の形になっていない行があります。 Line ' + (i + 1) + ' is not "name: value".');
      var value = m[2].trim();
      attributes[m[1].trim()] = value === '' ? null : value;
    });
    return { attributes: attributes, wrong: wrong };
  }

  var attributesForm = byId('attributes-form');
  if (attributesForm) {
    attributesForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var problems = byId('attributes-problems');
      var parsed = attributesOf(byId('attributes-text').value);
      S.showProblems(problems, parsed.wrong);
      if (parsed.wrong.length) return;
      S.api('PATCH', unitPath(attributesForm), { attributes: parsed.attributes }).then(function (res) {
        if (!res.ok) return S.showProblems(problems, S.problemLines(res.body));
        byId('attributes-status').textContent = '属性を訂正しました。 Saved.';
      });
    });
  }

  var purposeForm = byId('purpose-form');
  if (purposeForm) {
    purposeForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var problems = byId('purpose-problems');
      var path = '/api/waves/' + encodeURIComponent(purposeForm.getAttribute('data-wave-id'));
      S.api('PATCH', path, { purpose: byId('purpose-text').value.trim() || null }).then(function (res) {
        if (!res.ok) return S.showProblems(problems, S.problemLines(res.body));
        S.showProblems(problems, []);
        byId('purpose-status').textContent = '目的を保存しました。案内状とチラシに印刷されます。 Saved.';
      });
    });
  }
})();
