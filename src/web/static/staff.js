// Staff pages: a tiny JSON API helper (session cookie + X-CSRF-Token), login and logout.
// Page scripts (authoring.js, …) use window.staffApi. No inline scripts: CSP is script-src 'self'.
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrfToken = meta ? meta.getAttribute('content') : '';

  /**
   * api(method, path, body, contentType) → Promise<{ ok, status, body }>; body is parsed JSON (or null).
   * The request body is sent as JSON, unless contentType is given: then body (a string) is sent as is.
   */
  function api(method, path, body, contentType) {
    var headers = { accept: 'application/json' };
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
    if (body !== undefined) headers['content-type'] = contentType || 'application/json';
    return fetch(path, {
      method: method,
      headers: headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : contentType ? body : JSON.stringify(body),
    }).then(function (res) {
      return res.text().then(function (text) {
        var parsed = null;
        try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = { detail: text }; }
        if (res.status === 401 && document.body.getAttribute('data-page') !== 'login') {
          location.href = '/staff/login?next=' + encodeURIComponent(location.pathname + location.search);
        }
        return { ok: res.ok, status: res.status, body: parsed };
      });
    }, function () {
      return { ok: false, status: 0, body: { title: '通信できませんでした', detail: 'Network error: check the connection and try again.' } };
    });
  }

  /** Readable lines from an RFC 9457 problem: title, detail and each field error. */
  function problemLines(body) {
    if (!body) return ['エラーが発生しました。 Something went wrong.'];
    var lines = [];
    var title = body.title_ja || body.title;
    if (title) lines.push(title);
    if (body.errors && body.errors.length) {
      body.errors.forEach(function (e) {
        // label: the question as staff know it (問2); an empty label means the message names it already.
        var where = e.label !== undefined ? e.label : e.field && e.field !== 'definition' ? e.field : '';
        lines.push((where ? where + ': ' : '') + (e.message_ja || e.message));
      });
    } else if (body.detail_ja || body.detail) {
      lines.push(body.detail_ja || body.detail);
    }
    return lines;
  }

  /** Shows problems (list of strings) in a container; hides it when there are none. */
  function showProblems(container, lines) {
    if (!container) return;
    container.textContent = '';
    if (!lines || !lines.length) { container.hidden = true; return; }
    var list = document.createElement('ul');
    lines.forEach(function (line) {
      var li = document.createElement('li');
      li.textContent = line;
      list.appendChild(li);
    });
    container.appendChild(list);
    container.hidden = false;
  }

  window.staffApi = { api: api, problemLines: problemLines, showProblems: showProblems, csrfToken: csrfToken };

  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-action="logout"]');
    if (!button) return;
    api('POST', '/api/auth/logout').then(function () { location.href = '/staff/login'; });
  });

  // Printable reports: 「印刷・PDF保存」 opens the browser's print dialog (CSP allows no inline handler).
  document.addEventListener('click', function (event) {
    if (event.target.closest && event.target.closest('[data-action="print"]')) window.print();
  });

  var login = document.getElementById('login');
  if (login) {
    login.addEventListener('submit', function (event) {
      event.preventDefault();
      var problem = document.getElementById('login-problem');
      var email = login.elements.namedItem('email').value.trim();
      var password = login.elements.namedItem('password').value;
      if (!email || !password) return showProblems(problem, ['メールアドレスとパスワードを入力してください。 Enter your email and password.']);
      var button = login.querySelector('button[type="submit"]');
      var choice = document.getElementById('organisation-choice');
      var organisation = login.elements.namedItem('organisationId');
      var body = { email: email, password: password };
      if (!choice.hidden && organisation.value) body.organisationId = organisation.value;
      button.disabled = true;
      api('POST', '/api/auth/login', body).then(function (res) {
        button.disabled = false;
        if (res.ok) { location.href = login.getAttribute('data-next') || '/staff/templates'; return; }
        // One email and password in several organisations: the person picks one and logs in again.
        if (res.status === 409 && res.body && res.body.organisations) {
          organisation.textContent = '';
          res.body.organisations.forEach(function (o) {
            var option = document.createElement('option');
            option.value = o.id;
            option.textContent = o.name;
            organisation.appendChild(option);
          });
          choice.hidden = false;
        }
        showProblems(problem, res.status === 401
          ? ['メールアドレスまたはパスワードが違います。 The email or password is not correct.']
          : problemLines(res.body));
      });
    });
  }
})();
