// Attendance at the door (/staff/sessions/:id/door): tap a code this device has seen before, or type a
// new one. Marks are kept on the device and sent in one request when there is a connection; the server
// counts a code once per session, so a resend after a lost answer adds nothing.
(function () {
  'use strict';
  var S = window.staffApi;
  var root = document.getElementById('door');
  if (!root) return;
  var sessionId = root.getAttribute('data-session-id');
  var activityId = root.getAttribute('data-activity-id');
  var stateKey = 'door:' + sessionId;
  var knownKey = 'door-known:' + activityId;
  var list = document.getElementById('door-known');
  var status = document.getElementById('door-status');
  var input = document.getElementById('door-code');

  function read(key, fallback) { try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; } }
  function write(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: this page only */ } }
  var state = read(stateKey, { pending: [], sent: [] });
  var known = read(knownKey, []);
  var sending = false;
  var retry = null;
  // As the server reads codes (intake.ts normaliseCode): case, spaces, hyphens and full width forgiven.
  function normal(code) { return code.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase(); }
  function isPresent(code) { return state.pending.indexOf(code) >= 0 || state.sent.indexOf(code) >= 0; }

  function render() {
    list.textContent = '';
    known.slice().sort().forEach(function (code) {
      var li = document.createElement('li');
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = code;
      button.setAttribute('aria-pressed', String(isPresent(code)));
      button.addEventListener('click', function () { mark(code); });
      li.appendChild(button);
      list.appendChild(li);
    });
    var present = state.sent.length + state.pending.length;
    status.textContent = '出席 ' + present + ' 人' + (state.pending.length ? '（送信待ち ' + state.pending.length + ' 人：接続が戻ると送ります）' : '（送信済み）');
    root.setAttribute('data-pending', String(state.pending.length));
  }

  function mark(raw) {
    var code = normal(raw);
    if (!code) return;
    if (known.indexOf(code) < 0) { known.push(code); write(knownKey, known); }
    if (!isPresent(code)) { state.pending.push(code); write(stateKey, state); }
    render();
    flush();
  }

  function flush() {
    if (sending || !state.pending.length) return;
    sending = true;
    var batch = state.pending.slice();
    S.api('POST', '/api/sessions/' + sessionId + '/attendance', { codes: batch }).then(function (res) {
      sending = false;
      if (res.ok) {
        state.pending = state.pending.filter(function (c) { return batch.indexOf(c) < 0; });
        state.sent = state.sent.concat(batch.filter(function (c) { return state.sent.indexOf(c) < 0; }));
        write(stateKey, state);
        render();
        return flush();
      }
      if (res.status === 0 || res.status >= 500 || res.status === 429) {
        clearTimeout(retry);
        retry = setTimeout(flush, 10000);
        return render();
      }
      status.textContent = S.problemLines(res.body).join(' ');
    });
  }

  document.getElementById('door-add').addEventListener('submit', function (e) {
    e.preventDefault();
    mark(input.value);
    input.value = '';
    input.focus();
  });
  window.addEventListener('online', flush);
  render();
  flush();
})();
