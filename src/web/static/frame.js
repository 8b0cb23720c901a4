// Frame page: read a CSV (file or pasted), POST it as text/csv to /api/waves/:id/frame, and show the
// invitation links the server returns once, with a CSV download built here. Uses staff.js.
(function () {
  'use strict';
  if (document.body.getAttribute('data-page') !== 'frame') return;
  var S = window.staffApi;
  function byId(id) { return document.getElementById(id); }
  var form = byId('frame-form');
  var textarea = byId('frame-csv');
  var problems = byId('frame-problems');
  var waveId = form.getAttribute('data-wave-id');
  var downloadUrl = null;

  /** UTF-8 (with or without BOM) when it decodes cleanly, else Shift_JIS as Excel in Japan saves it. */
  function decode(buffer) {
    try { return new TextDecoder('utf-8', { fatal: true }).decode(buffer); } catch (e) { /* not UTF-8 */ }
    try { return new TextDecoder('shift_jis').decode(buffer); } catch (e) { return new TextDecoder('utf-8').decode(buffer); }
  }

  byId('frame-file').addEventListener('change', function (event) {
    var file = event.target.files && event.target.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () { textarea.value = decode(reader.result).replace(/^\uFEFF/, ''); };
    reader.onerror = function () { S.showProblems(problems, ['ファイルを読み込めませんでした。 The file could not be read.']); };
    reader.readAsArrayBuffer(file);
  });

  function csvCell(value) {
    var s = String(value);
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function showLinks(invitations) {
    var body = byId('frame-links').querySelector('tbody');
    body.textContent = '';
    invitations.forEach(function (inv) {
      var tr = document.createElement('tr');
      var id = document.createElement('td');
      id.textContent = inv.unitId;
      var link = document.createElement('td');
      var a = document.createElement('a');
      a.href = inv.url;
      a.textContent = inv.url;
      a.rel = 'noreferrer';
      a.target = '_blank';
      link.appendChild(a);
      tr.appendChild(id);
      tr.appendChild(link);
      body.appendChild(tr);
    });
    var lines = ['unit_id,url'].concat(invitations.map(function (inv) { return csvCell(inv.unitId) + ',' + csvCell(inv.url); }));
    if (downloadUrl) URL.revokeObjectURL(downloadUrl);
    // The BOM lets Excel open the UTF-8 file with Japanese unit ids intact.
    downloadUrl = URL.createObjectURL(new Blob(['\uFEFF' + lines.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' }));
    byId('frame-download').href = downloadUrl;
    byId('frame-status').textContent = invitations.length + ' 件の招待リンクを作成しました。 ' + invitations.length + ' links created.';
    var total = byId('frame-total');
    total.textContent = String(Number(total.textContent || 0) + invitations.length);
    byId('frame-result').hidden = false;
    byId('frame-result').scrollIntoView();
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var csv = textarea.value.trim();
    S.showProblems(problems, []);
    if (!csv) return S.showProblems(problems, ['CSVを入力するかファイルを選んでください。 Paste a CSV or choose a file.']);
    var header = csv.split(/\r?\n/)[0].split(',').map(function (h) { return h.trim().replace(/^"|"$/g, ''); });
    if (header.indexOf('unit_id') < 0 && header.indexOf('unitId') < 0) {
      return S.showProblems(problems, ['1行目に unit_id 列がありません。 The first line needs a unit_id column.']);
    }
    var button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    S.api('POST', '/api/waves/' + encodeURIComponent(waveId) + '/frame', csv + '\n', 'text/csv').then(function (res) {
      button.disabled = false;
      if (!res.ok) return S.showProblems(problems, S.problemLines(res.body));
      textarea.value = '';
      byId('frame-file').value = '';
      showLinks(res.body.invitations || []);
    });
  });
})();
