// Frame page: read a CSV (file or pasted), POST it as text/csv to /api/waves/:id/frame, and show the
// invitation links the server returns once, with a CSV download built here; record dispositions for a
// list of unit ids through /api/waves/:id/frame/dispositions. Uses staff.js.
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

  // As the server's CSV (src/results/csv.ts): text starting with = + - @ (or tab/CR) gets a ' so that
  // a spreadsheet shows it instead of running it as a formula.
  function csvCell(value) {
    var s = String(value);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  /** Puts units by disposition into the counts table; `partial` leaves the rows not given as they are. */
  function showCounts(counts, partial) {
    var table = byId('frame-counts');
    var total = 0;
    Array.prototype.forEach.call(table.querySelectorAll('tbody tr'), function (tr) {
      var key = tr.getAttribute('data-disposition');
      var cell = tr.querySelector('.count');
      var n = partial && !(key in counts) ? Number(cell.textContent || 0) : counts[key] || 0;
      cell.textContent = String(n);
      tr.hidden = n === 0;
      total += n;
    });
    byId('frame-total').textContent = String(total);
    table.hidden = total === 0;
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
    var pending = byId('frame-counts').querySelector('tr[data-disposition="pending"] .count');
    showCounts({ pending: Number(pending.textContent || 0) + invitations.length }, true);
    byId('frame-result').hidden = false;
    byId('frame-result').scrollIntoView();
  }

  // The id column's names the server takes (src/collection/frameRules.ts UNIT_ID_COLUMNS).
  var ID_COLUMNS = ['unit_id', 'unitId', '対象者番号', '対象者番号 unit_id'];

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var csv = textarea.value.trim();
    S.showProblems(problems, []);
    if (!csv) return S.showProblems(problems, ['CSVを入力するかファイルを選んでください。 Paste a CSV or choose a file.']);
    var header = csv.replace(/^\uFEFF/, '').split(/\r?\n/)[0].split(',').map(function (h) { return h.trim().replace(/^"|"$/g, ''); });
    if (!header.some(function (h) { return ID_COLUMNS.indexOf(h) >= 0; })) {
      return S.showProblems(problems, ['1行目に unit_id（または 対象者番号）の列がありません。 The first line needs a unit_id column.']);
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

  // ---- dispositions of units that did not answer, for a list of unit ids brought back from the field
  var dispositionForm = byId('disposition-form');
  var dispositionProblems = byId('disposition-problems');
  var MAX_UNITS = 5000;

  /**
   * Ids one per line, or separated by commas (also Japanese ones) within a line. Spaces are kept
   * inside an id, which may contain them; a CSV column's header and quotes are dropped.
   */
  function unitIdsOf(text) {
    var seen = Object.create(null);
    var ids = [];
    text.split(/\r?\n/).forEach(function (line) {
      line.split(/[,，、]/).forEach(function (part) {
        var id = part.trim().replace(/^"(.*)"$/, '$1').replace(/""/g, '"').trim();
        if (!id || ID_COLUMNS.indexOf(id) >= 0 || seen[id]) return;
        seen[id] = true;
        ids.push(id);
      });
    });
    return ids;
  }

  function showIds(element, label, ids) {
    element.textContent = ids.length ? label + ' (' + ids.length + '): ' + ids.join(', ') : '';
    element.hidden = ids.length === 0;
  }

  function showOutcome(outcome, label) {
    byId('disposition-status').textContent = outcome.updated + ' 件を「' + label + '」として記録しました。 ' + outcome.updated + ' units recorded.';
    showIds(byId('disposition-answered'), '回答済みのため変更しなかった対象者 Skipped, already answered', outcome.answered || []);
    showIds(byId('disposition-unknown'), '名簿にない番号 Not in the frame', outcome.unknown || []);
    if (outcome.frame) showCounts(outcome.frame, false);
  }

  dispositionForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var ids = unitIdsOf(byId('disposition-units').value);
    var select = byId('disposition-value');
    S.showProblems(dispositionProblems, []);
    if (!ids.length) return S.showProblems(dispositionProblems, ['対象者番号を入力してください。 Enter unit ids.']);
    if (ids.length > MAX_UNITS) {
      return S.showProblems(dispositionProblems, ['一度に記録できるのは ' + MAX_UNITS + ' 件までです。 At most ' + MAX_UNITS + ' units at a time.']);
    }
    var label = select.options[select.selectedIndex].textContent.trim();
    var button = dispositionForm.querySelector('button[type="submit"]');
    button.disabled = true;
    var path = '/api/waves/' + encodeURIComponent(dispositionForm.getAttribute('data-wave-id')) + '/frame/dispositions';
    S.api('POST', path, { unitIds: ids, disposition: select.value }).then(function (res) {
      button.disabled = false;
      if (!res.ok) return S.showProblems(dispositionProblems, S.problemLines(res.body));
      showOutcome(res.body, label);
    });
  });
})();
