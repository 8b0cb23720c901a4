// Account pages (organisation, account, users, tokens, data rights): each <form data-form="…"> and
// each [data-action] button is one API call through staff.js, so the API's checks apply unchanged.
// Secrets shown once (a new token, a temporary password) are never kept.
(function () {
  'use strict';
  var S = window.staffApi;
  function byId(id) { return document.getElementById(id); }
  function field(form, name) { return form.elements.namedItem(name); }
  function text(form, name) { return field(form, name).value.trim(); }
  function ticked(form, name) {
    return Array.prototype.map.call(form.querySelectorAll('input[name="' + name + '"]:checked'), function (i) { return i.value; });
  }
  /** The problems box of a form: inside it, or beside it (a form inside a table cell). */
  function problemsOf(form) { return form.querySelector('[data-problems]') || form.parentNode.querySelector('[data-problems]'); }

  /** One API call for a form: buttons disabled meanwhile, the API's problems shown by the form, else done(body). */
  function send(form, method, path, body, done) {
    var buttons = form.querySelectorAll('button');
    var setDisabled = function (value) { Array.prototype.forEach.call(buttons, function (b) { b.disabled = value; }); };
    S.showProblems(problemsOf(form), []);
    setDisabled(true);
    S.api(method, path, body).then(function (res) {
      setDisabled(false);
      if (!res.ok) return S.showProblems(problemsOf(form), S.problemLines(res.body));
      done(res.body);
    });
  }

  /** Evaluators only: the API refuses study limits for other roles. */
  function evaluatorStudies(form, role) { return role === 'evaluator' ? ticked(form, 'studyIds') : []; }

  /** 16 characters of 64 (96 bits) for a colleague's password reset; the API keeps only its hash. */
  function temporaryPassword() {
    var alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    return Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(16)), function (b) { return alphabet[b & 63]; }).join('');
  }

  /** A pasted invitation link works as well as the bare token. */
  function invitationToken(value) { return value.replace(/^.*\/t\//, '').replace(/[?#].*$/, ''); }

  function subject(form) {
    if (form.querySelector('input[name="by"]:checked').value === 'invitation') return { invitationToken: invitationToken(text(form, 'invitationToken')) };
    var scope = text(form, 'scope').split(':');
    var body = { participantCode: text(form, 'participantCode') };
    body[scope[0]] = scope[1];
    return body;
  }

  function showSubjectResult(message, answers) {
    var download = byId('subject-download');
    if (download.href.indexOf('blob:') === 0) URL.revokeObjectURL(download.href);
    download.hidden = !answers;
    if (answers) download.href = URL.createObjectURL(new Blob([JSON.stringify(answers, null, 2)], { type: 'application/json' }));
    byId('subject-status').textContent = message;
    byId('subject-result').hidden = false;
  }

  function tokenRow(token, roleText) {
    var row = document.createElement('tr');
    row.setAttribute('data-token-id', token.id);
    [token.label, roleText, 'たった今 just now', '有効 active'].forEach(function (value) {
      var cell = document.createElement('td');
      cell.textContent = value;
      row.appendChild(cell);
    });
    row.cells[3].setAttribute('data-state', '');
    var cell = document.createElement('td');
    var revoke = document.createElement('button');
    revoke.type = 'button';
    revoke.className = 'danger';
    revoke.setAttribute('data-action', 'revoke-token');
    revoke.setAttribute('data-token-id', token.id);
    revoke.setAttribute('data-label', token.label);
    revoke.textContent = '失効させる Revoke';
    cell.appendChild(revoke);
    row.appendChild(cell);
    return row;
  }

  var forms = {
    organisation: function (form) {
      var supportContacts = field(form, 'supportContacts').value.split('\n').map(function (line) {
        var parts = line.split('|').map(function (p) { return p.trim(); });
        var contact = { name: parts[0] };
        if (parts[1]) contact.detail = parts[1];
        if (parts[2]) contact.url = parts[2];
        return contact;
      }).filter(function (c) { return c.name; });
      var body = { name: text(form, 'name'), suppressionK: Number(text(form, 'suppressionK')), contact: field(form, 'contact').value.trim() || null, supportContacts: supportContacts };
      send(form, 'PATCH', '/api/organisation', body, function (org) {
        form.querySelector('[data-status]').textContent = '保存しました（k = ' + org.suppressionK + '）。 Saved.';
      });
    },
    password: function (form) {
      if (field(form, 'newPassword').value !== field(form, 'newPasswordAgain').value) {
        return S.showProblems(problemsOf(form), ['新しいパスワードが一致しません。 The two new passwords differ.']);
      }
      send(form, 'POST', '/api/auth/password', { currentPassword: field(form, 'currentPassword').value, newPassword: field(form, 'newPassword').value }, function () {
        location.href = '/staff/login';
      });
    },
    'logout-everywhere': function (form) {
      send(form, 'POST', '/api/auth/logout-everywhere', { revokeTokens: field(form, 'revokeTokens').checked }, function () {
        location.href = '/staff/login';
      });
    },
    'user-create': function (form) {
      var role = text(form, 'role');
      var body = { name: text(form, 'name'), email: text(form, 'email'), role: role };
      var studyIds = evaluatorStudies(form, role);
      if (studyIds.length) body.studyIds = studyIds;
      if (field(form, 'password').value) body.password = field(form, 'password').value;
      send(form, 'POST', '/api/users', body, function (user) {
        if (!user.temporaryPassword) return location.reload();
        form.hidden = true;
        byId('user-temporary-password').value = user.temporaryPassword;
        byId('user-created').hidden = false;
      });
    },
    'user-update': function (form) {
      var role = text(form, 'role');
      var body = { role: role };
      if (role === 'evaluator') {
        var studyIds = evaluatorStudies(form, role);
        body.studyIds = studyIds.length ? studyIds : null;
      }
      // The API ends the sessions of a user whose role drops, so demoting yourself logs you out.
      var demotingSelf = form.hasAttribute('data-self') && role !== 'admin';
      if (demotingSelf && !confirm('あなた自身を管理者でなくします。保存するとログアウトし、もう一度ログインしても管理者用のページ（ユーザー・操作記録・データの開示・削除）は使えません。\nYou are removing your own admin role: you will be logged out and lose the admin pages.')) return;
      send(form, 'PATCH', '/api/users/' + encodeURIComponent(form.getAttribute('data-user-id')), body, function () {
        if (demotingSelf) location.href = '/staff/login';
        else location.reload();
      });
    },
    'token-create': function (form) {
      var select = field(form, 'role');
      var roleText = select.options[select.selectedIndex].textContent;
      send(form, 'POST', '/api/tokens', { label: text(form, 'label'), role: select.value }, function (token) {
        byId('token-secret').value = token.token;
        byId('token-copy-status').textContent = '';
        byId('token-created').hidden = false;
        byId('tokens').querySelector('tbody').prepend(tokenRow(token, roleText));
        byId('tokens-empty').hidden = true;
        form.reset();
      });
    },
    subject: function (form) {
      send(form, 'POST', '/api/data-rights/export', subject(form), function (found) {
        showSubjectResult(found.n + ' 件の回答が見つかりました。 ' + found.n + ' responses found.', found.n > 0 ? found : null);
      });
    },
    retention: function (form) {
      var days = text(form, 'retentionDays');
      var status = form.parentNode.querySelector('[role="status"]');
      status.textContent = '';
      send(form, 'PUT', '/api/waves/' + encodeURIComponent(form.getAttribute('data-wave-id')) + '/retention', { retentionDays: days === '' ? null : Number(days) }, function () {
        status.textContent = '保存しました。 Saved.';
      });
    },
  };

  var actions = {
    'delete-user': function (button) {
      var form = button.form;
      if (!confirm(form.getAttribute('data-user-label') + ' を削除します。元に戻せません。\nDelete this user? This cannot be undone.')) return;
      send(form, 'DELETE', '/api/users/' + encodeURIComponent(form.getAttribute('data-user-id')), undefined, function () { location.reload(); });
    },
    'reset-password': function (button) {
      var form = button.form;
      if (!confirm(form.getAttribute('data-user-label') + ' のパスワードを仮パスワードに変えます。その人はログアウトされ、今のパスワードは使えなくなります。\nReset this user\'s password? They will be logged out.')) return;
      // A stolen password may have made API tokens: revoking them is offered, and OK (the default) revokes.
      var revokeTokens = confirm('その人の API トークンもすべて失効させますか？（おすすめ：OK）\nAlso revoke all of their API tokens? (recommended: OK)');
      var password = temporaryPassword();
      send(form, 'PATCH', '/api/users/' + encodeURIComponent(form.getAttribute('data-user-id')), { password: password, revokeTokens: revokeTokens }, function () {
        form.closest('details').open = false;
        byId('user-password-reset-who').textContent = form.getAttribute('data-user-label');
        byId('user-reset-password').value = password;
        byId('user-password-reset').hidden = false;
        byId('user-password-reset').scrollIntoView();
      });
    },
    'revoke-token': function (button) {
      var id = button.getAttribute('data-token-id');
      if (!confirm('「' + button.getAttribute('data-label') + '」を失効させます。このトークンを使うスクリプトは動かなくなります。\nRevoke this token?')) return;
      button.disabled = true;
      S.api('DELETE', '/api/tokens/' + encodeURIComponent(id)).then(function (res) {
        if (!res.ok) { button.disabled = false; return alert(S.problemLines(res.body).join('\n')); }
        // The token may be listed twice for an admin: among their own and the organisation's.
        Array.prototype.forEach.call(document.querySelectorAll('tr[data-token-id="' + id + '"]'), function (row) {
          row.className = 'revoked';
          row.querySelector('[data-state]').textContent = '失効 revoked';
          row.querySelector('[data-action="revoke-token"]').remove();
        });
      });
    },
    'copy-token': function () {
      var secret = byId('token-secret');
      var copied = function () { byId('token-copy-status').textContent = 'コピーしました。 Copied.'; };
      if (navigator.clipboard) return navigator.clipboard.writeText(secret.value).then(copied, function () { secret.select(); });
      secret.select();
    },
    reload: function () { location.reload(); },
    'delete-subject': function (button) {
      var form = button.form;
      if (!confirm('この参加者の回答をすべて削除します。元に戻せません。\nDelete all of this participant\'s answers? This cannot be undone.')) return;
      send(form, 'POST', '/api/data-rights/delete', subject(form), function (result) {
        showSubjectResult(result.deleted + ' 件の回答を削除しました。 ' + result.deleted + ' responses deleted.', null);
      });
    },
  };

  document.addEventListener('submit', function (event) {
    var handler = forms[event.target.getAttribute('data-form')];
    if (!handler) return;
    event.preventDefault();
    handler(event.target);
  });

  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-action]');
    var handler = button && actions[button.getAttribute('data-action')];
    if (handler) handler(button);
  });

  document.addEventListener('change', function (event) {
    var input = event.target;
    var form = input.form;
    if (!form) return;
    if (input.name === 'role') {
      var studies = form.querySelector('[data-study-choice]');
      if (studies) studies.disabled = input.value !== 'evaluator';
    }
    if (input.name === 'by') {
      Array.prototype.forEach.call(form.querySelectorAll('[data-by]'), function (part) { part.hidden = part.getAttribute('data-by') !== input.value; });
    }
  });
})();
