// E-mail page: switch between the invitation and reminder drafts, preview the message as one unit gets it,
// send invitations now or schedule a reminder (Japan time), cancel a waiting round. Uses staff.js.
(function () {
  'use strict';
  if (document.body.getAttribute('data-page') !== 'mail') return;
  var S = window.staffApi;
  function byId(id) { return document.getElementById(id); }
  var form = byId('mail-form');
  var waveId = form.getAttribute('data-wave-id');
  var templates = JSON.parse(form.getAttribute('data-templates'));
  var subject = byId('mail-subject');
  var body = byId('mail-body');
  var problems = byId('mail-problems');
  var status = byId('mail-status');
  var base = '/api/waves/' + waveId + '/mail';

  function kind() { return form.querySelector('input[name="kind"]:checked').value; }
  function template() { return { subject: subject.value, body: body.value }; }
  function japanTime(local) { return local ? local.slice(0, 16) + ':00+09:00' : ''; }

  // A draft left as it was follows the kind; one the user edited is kept.
  Array.prototype.forEach.call(form.querySelectorAll('input[name="kind"]'), function (radio) {
    radio.addEventListener('change', function () {
      var other = kind() === 'invitation' ? 'reminder' : 'invitation';
      if (subject.value === templates[other].subject && body.value === templates[other].body) {
        subject.value = templates[kind()].subject;
        body.value = templates[kind()].body;
      }
      Array.prototype.forEach.call(form.querySelectorAll('[data-for]'), function (el) { el.hidden = el.getAttribute('data-for') !== kind(); });
      byId('mail-preview').hidden = true;
    });
  });

  function row(list, label, value) {
    var dt = document.createElement('dt'); dt.textContent = label;
    var dd = document.createElement('dd'); dd.textContent = value;
    list.appendChild(dt); list.appendChild(dd);
  }

  byId('mail-preview-button').addEventListener('click', function () {
    var input = template();
    var unit = byId('mail-unit').value;
    if (unit) input.unitId = unit;
    S.api('POST', base + '/preview', input).then(function (res) {
      var box = byId('mail-preview');
      if (!res.ok) { S.showProblems(problems, S.problemLines(res.body)); box.hidden = true; return; }
      S.showProblems(problems, []);
      box.textContent = '';
      var list = document.createElement('dl');
      row(list, '宛先 To', res.body.to || '（アドレスなし）');
      row(list, '件名 Subject', res.body.subject);
      box.appendChild(list);
      if (!res.body.wouldSend) {
        var note = document.createElement('p');
        note.className = 'problems';
        note.textContent = 'この人には今は送りません: ' + res.body.reasonText;
        box.appendChild(note);
      }
      var text = document.createElement('pre');
      text.textContent = res.body.text;
      box.appendChild(text);
      box.hidden = false;
    });
  });

  function done(res, message) {
    if (!res.ok) { S.showProblems(problems, S.problemLines(res.body)); return; }
    S.showProblems(problems, []);
    status.textContent = message(res.body);
    setTimeout(function () { location.reload(); }, 1500);
  }

  byId('mail-send').addEventListener('click', function () {
    var count = byId('count-invitable').textContent;
    if (!window.confirm('招待メールを ' + count + ' 件送信します。よろしいですか？ Send the invitation now?')) return;
    S.api('POST', base + '/invitations', template()).then(function (res) {
      done(res, function (b) { return '送信を始めました（' + b.recipientsNow + ' 件）。 Sending started.'; });
    });
  });

  byId('mail-schedule').addEventListener('click', function () {
    var input = template();
    input.sendAt = japanTime(byId('mail-send-at').value);
    if (!input.sendAt) { S.showProblems(problems, ['送信日時を入力してください。 Enter when to send.']); return; }
    S.api('POST', base + '/reminders', input).then(function (res) {
      done(res, function () { return 'リマインダーを予約しました。 Reminder scheduled.'; });
    });
  });

  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-cancel-round]');
    if (!button || !window.confirm('この予約を取り消しますか？ Cancel this round?')) return;
    S.api('DELETE', base + '/rounds/' + button.getAttribute('data-cancel-round')).then(function (res) {
      done(res, function () { return '取り消しました。 Cancelled.'; });
    });
  });
})();
