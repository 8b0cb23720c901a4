// National reference tables page: read the chosen CSV (UTF-8, else Shift_JIS as Excel in Japan saves
// it), PUT it as text/csv to /api/national/references/<instrument>, and show the server's problems by
// row; remove a table after confirmation. Uses staff.js.
(function () {
  'use strict';
  if (document.body.getAttribute('data-page') !== 'national-references') return;
  var S = window.staffApi;

  function decode(buffer) {
    try { return new TextDecoder('utf-8', { fatal: true }).decode(buffer); } catch (e) { /* not UTF-8 */ }
    try { return new TextDecoder('shift_jis').decode(buffer); } catch (e) { return new TextDecoder('utf-8').decode(buffer); }
  }

  Array.prototype.forEach.call(document.querySelectorAll('form[data-form="reference"]'), function (form) {
    var problems = form.querySelector('.problems');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var file = form.elements.file.files[0];
      if (!file) return;
      var button = form.querySelector('button[type="submit"]');
      button.disabled = true;
      file.arrayBuffer().then(function (buffer) {
        var query = new URLSearchParams({ source: form.elements.source.value, fileName: file.name });
        return S.api('PUT', '/api/national/references/' + form.getAttribute('data-instrument') + '?' + query, decode(buffer).replace(/^\uFEFF/, ''), 'text/csv');
      }).then(function (res) {
        button.disabled = false;
        if (res.ok) location.reload();
        else S.showProblems(problems, S.problemLines(res.body));
      });
    });
  });

  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-action="remove-reference"]');
    if (!button || !confirm('この参照表を削除しますか？ 標準化した比較は表示されなくなります。')) return;
    S.api('DELETE', '/api/national/references/' + button.getAttribute('data-instrument')).then(function () { location.reload(); });
  });
})();
