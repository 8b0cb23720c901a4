// Participation pages (/staff/activities, /staff/activities/:id): each <form data-form="…"> posts to the
// API with the session's CSRF token (staff.js) and reloads to show the counts the server computed.
(function () {
  'use strict';
  var S = window.staffApi;
  var holder = document.querySelector('[data-activity-id]');
  var activityId = holder && holder.getAttribute('data-activity-id');
  function value(form, name) { var f = form.elements.namedItem(name); return f ? f.value.trim() : ''; }
  function number(form, name) { var v = value(form, name); return v === '' ? undefined : Number(v); }
  function problemsOf(form) { return form.querySelector('[data-problems]'); }
  function send(form, method, path, body, done) {
    var button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    S.api(method, path, body).then(function (res) {
      if (button) button.disabled = false;
      if (!res.ok) return S.showProblems(problemsOf(form), S.problemLines(res.body));
      (done || function () { location.reload(); })(res.body);
    });
  }

  var forms = {
    'activity-create': function (form) {
      var body = { name: value(form, 'name') };
      if (value(form, 'studyId')) body.studyId = value(form, 'studyId');
      send(form, 'POST', '/api/activities', body, function (a) { location.href = '/staff/activities/' + a.id; });
    },
    'session-create': function (form) {
      var body = { heldOn: value(form, 'heldOn') };
      if (value(form, 'site')) body.site = value(form, 'site');
      if (value(form, 'theme')) body.theme = value(form, 'theme');
      if (number(form, 'headcount') !== undefined) body.headcount = number(form, 'headcount');
      if (number(form, 'new') !== undefined || number(form, 'repeat') !== undefined) {
        body.breakdown = { status: { new: number(form, 'new') || 0, repeat: number(form, 'repeat') || 0 } };
      }
      send(form, 'POST', '/api/activities/' + activityId + '/sessions', body);
    },
    'sheet-import': function (form) {
      var file = form.elements.namedItem('file').files[0];
      var post = function (text) {
        var button = form.querySelector('button[type=submit]');
        button.disabled = true;
        S.api('POST', '/api/activities/' + activityId + '/attendance', text, 'text/csv').then(function (res) {
          button.disabled = false;
          if (!res.ok) return S.showProblems(problemsOf(form), S.problemLines(res.body));
          form.querySelector('[data-status]').textContent = res.body.sessions + ' 回分を読み込み、参加 ' + res.body.attendances + ' 件を加えました。 Imported.';
          setTimeout(function () { location.reload(); }, 800);
        });
      };
      if (!file) return post(value(form, 'csv'));
      var reader = new FileReader();
      reader.onload = function () {
        var bytes = reader.result;
        var text;
        // Excel in Japan saves CSV as Shift_JIS unless told otherwise.
        try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch (e) { text = new TextDecoder('shift_jis').decode(bytes); }
        post(text.replace(/^\uFEFF/, ''));
      };
      reader.readAsArrayBuffer(file);
    },
    targets: function (form) {
      var targets = [];
      Array.prototype.forEach.call(form.querySelectorAll('[data-target-row]'), function (row) {
        var get = function (name) { return row.querySelector('[name="' + name + '"]').value.trim(); };
        if (!get('indicator') && !get('target')) return;
        targets.push({ indicator: get('indicator'), target: Number(get('target')), from: get('from'), to: get('to') });
      });
      send(form, 'PUT', '/api/activities/' + activityId + '/targets', { targets: targets });
    },
  };

  Array.prototype.forEach.call(document.querySelectorAll('form[data-form]'), function (form) {
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      forms[form.getAttribute('data-form')](form);
    });
  });

  document.addEventListener('click', function (e) {
    var button = e.target.closest && e.target.closest('[data-action]');
    if (!button) return;
    var action = button.getAttribute('data-action');
    if (action === 'add-row') {
      var body = document.querySelector('form[data-form="targets"] tbody');
      var row = body.lastElementChild.cloneNode(true);
      Array.prototype.forEach.call(row.querySelectorAll('select, input[type=number]'), function (f) { f.value = ''; });
      body.appendChild(row);
      row.querySelector('select').focus();
    } else if (action === 'remove-row') {
      var tr = button.closest('tr');
      if (tr.parentNode.children.length > 1) tr.remove();
      else Array.prototype.forEach.call(tr.querySelectorAll('select, input'), function (f) { f.value = ''; });
    } else if (action === 'delete-session') {
      if (!confirm(button.getAttribute('data-label') + ' の回と、その参加の記録を削除しますか？')) return;
      S.api('DELETE', '/api/sessions/' + button.getAttribute('data-session-id')).then(function (res) {
        if (res.ok) location.reload();
        else alert(S.problemLines(res.body).join('\n'));
      });
    }
  });
})();
