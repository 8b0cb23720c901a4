// Attendance at the door (/staff/sessions/:id/door): tap a code this device has seen before, or type a
// new one; tap a marked code to take it back. Changes are kept on the device and sent when there is a
// connection; the server counts a code once per session, so a resend after a lost answer changes nothing.
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
  var path = '/api/sessions/' + sessionId + '/attendance';

  function read(key, fallback) { try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; } }
  function write(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: this page only */ } }
  // pending: codes to send as present; removing: codes to take back; sent: present on the server; total: the server's count (all devices).
  var state = read(stateKey, {});
  state.pending = state.pending || [];
  state.removing = state.removing || [];
  state.sent = state.sent || [];
  var known = read(knownKey, []);
  var sending = false;
  var retry = null;
  // As the server reads codes (intake.ts normaliseCode): case, spaces, hyphens and full width forgiven.
  function normal(code) { return code.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase(); }
  function without(list, code) { return list.filter(function (c) { return c !== code; }); }
  function isPresent(code) { return state.pending.indexOf(code) >= 0 || (state.sent.indexOf(code) >= 0 && state.removing.indexOf(code) < 0); }

  function render() {
    list.textContent = '';
    known.slice().sort().forEach(function (code) {
      var li = document.createElement('li');
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = code;
      button.setAttribute('aria-pressed', String(isPresent(code)));
      button.addEventListener('click', function () { toggle(code); });
      li.appendChild(button);
      list.appendChild(li);
    });
    var waiting = state.pending.length + state.removing.length;
    var here = known.filter(isPresent).length;
    status.textContent = 'この端末で出席 ' + here + ' 人' +
      (typeof state.total === 'number' ? '・この回の出席（全端末） ' + state.total + ' 人' : '') +
      (waiting ? '（送信待ち ' + waiting + ' 件：接続が戻ると送ります）' : '（送信済み）');
    root.setAttribute('data-pending', String(waiting));
  }

  function mark(raw) {
    var code = normal(raw);
    if (!code) return;
    if (known.indexOf(code) < 0) { known.push(code); write(knownKey, known); }
    state.removing = without(state.removing, code);
    if (!isPresent(code)) state.pending.push(code);
    write(stateKey, state);
    render();
    flush();
  }

  function toggle(code) {
    if (!isPresent(code)) return mark(code);
    if (!confirm(code + ' の出席を取り消しますか？')) return;
    if (state.pending.indexOf(code) >= 0) state.pending = without(state.pending, code);
    else state.removing.push(code);
    write(stateKey, state);
    render();
    flush();
  }

  function settle(res, done) {
    sending = false;
    if (res.ok) {
      done();
      state.total = res.body.present;
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
  }

  function flush() {
    if (sending) return;
    if (state.removing.length) {
      sending = true;
      var gone = state.removing.slice();
      return S.api('DELETE', path, { codes: gone }).then(function (res) {
        settle(res, function () {
          state.removing = state.removing.filter(function (c) { return gone.indexOf(c) < 0; });
          state.sent = state.sent.filter(function (c) { return gone.indexOf(c) < 0; });
        });
      });
    }
    if (!state.pending.length) return;
    sending = true;
    var batch = state.pending.slice();
    S.api('POST', path, { codes: batch }).then(function (res) {
      settle(res, function () {
        state.pending = state.pending.filter(function (c) { return batch.indexOf(c) < 0; });
        state.sent = state.sent.concat(batch.filter(function (c) { return state.sent.indexOf(c) < 0; }));
      });
    });
  }

  document.getElementById('door-add').addEventListener('submit', function (e) {
    e.preventDefault();
    mark(input.value);
    input.value = '';
    input.focus();
  });
  /** The session's count from every device, while nothing of this device waits to be sent. */
  function refreshTotal() {
    if (sending || state.pending.length || state.removing.length) return;
    S.api('GET', path).then(function (res) {
      if (!res.ok || sending || state.pending.length || state.removing.length) return;
      state.total = res.body.present;
      write(stateKey, state);
      render();
    });
  }

  window.addEventListener('online', flush);
  render();
  flush();
  refreshTotal();
  setInterval(refreshTotal, 30000);
})();
