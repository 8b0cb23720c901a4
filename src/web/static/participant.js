// Participant page: renders the questionnaire with SurveyJS, keeps progress on the device and
// submits with an idempotency key so that a retry after a dropped connection is stored once.
(function () {
  'use strict';
  var definition = JSON.parse(document.getElementById('survey-definition').textContent);
  var config = JSON.parse(document.getElementById('survey-config').textContent);
  var storageKey = 'survey:' + config.waveId + ':' + location.pathname;
  var statusEl = document.getElementById('status');

  function randomKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  function readSaved() {
    try { return JSON.parse(localStorage.getItem(storageKey) || 'null'); } catch (e) { return null; }
  }
  function save(state) {
    try { localStorage.setItem(storageKey, JSON.stringify(state)); } catch (e) { /* private mode: keep in memory */ }
  }
  function showStatus(text) {
    statusEl.textContent = text;
    statusEl.hidden = !text;
  }

  var saved = readSaved() || {};
  var state = {
    idempotencyKey: saved.idempotencyKey || randomKey(),
    data: saved.data || {},
    pageNo: saved.pageNo || 0,
    startedAt: saved.startedAt || new Date().toISOString(),
    pending: saved.pending || null,
    done: saved.done || false,
  };
  save(state);

  if (config.askParticipantCode) {
    definition.pages = [{
      name: '__participant_code',
      elements: [{
        type: 'text', name: '__participantCode', isRequired: true, maxLength: 64,
        title: { default: '参加者コード', en: 'Participant code' },
        description: { default: 'カードに書かれたコードを入力してください。', en: 'Enter the code printed on your card.' },
      }],
    }].concat(definition.pages || []);
  }

  var survey = new Survey.Model(definition);
  survey.locale = 'ja';
  survey.showProgressBar = 'top';
  survey.data = state.data;
  if (state.pageNo) survey.currentPageNo = state.pageNo;

  function remember() {
    state.data = survey.data;
    state.pageNo = survey.currentPageNo;
    save(state);
  }
  survey.onValueChanged.add(remember);
  survey.onCurrentPageChanged.add(remember);

  function payload(data) {
    var answers = {};
    Object.keys(data).forEach(function (k) { if (k !== '__participantCode') answers[k] = data[k]; });
    var body = { idempotencyKey: state.idempotencyKey, answers: answers, status: 'complete', startedAt: state.startedAt };
    if (data.__participantCode) body.participantCode = data.__participantCode;
    return body;
  }

  var sending = false;
  function send() {
    if (!state.pending || sending) return;
    sending = true;
    showStatus('送信しています… / Sending…');
    fetch(config.submitUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(state.pending),
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) {
        sending = false;
        if (res.ok) {
          state.pending = null;
          state.done = true;
          state.data = {};
          save(state);
          showStatus('');
          document.documentElement.setAttribute('data-submitted', 'true');
          return;
        }
        if (res.status >= 500) return retryLater();
        // The server refused the answers: show why, in the participant's language.
        state.pending = null;
        save(state);
        showStatus((body.detail_ja || body.title_ja || '送信できませんでした。') + ' / ' + (body.detail || body.title || 'Could not submit.'));
      });
    }).catch(function () {
      sending = false;
      retryLater();
    });
  }
  function retryLater() {
    showStatus('通信できませんでした。回答はこの端末に保存されています。接続が戻ると自動で送信します。 / No connection. Your answers are saved on this device and will be sent when the connection returns.');
    setTimeout(send, 15000);
  }
  window.addEventListener('online', send);

  survey.onComplete.add(function (sender) {
    state.pending = payload(sender.data);
    save(state);
    send();
  });

  if (state.done && !state.pending) {
    survey.clear(true, true);
    state.done = false;
    state.idempotencyKey = randomKey();
    state.startedAt = new Date().toISOString();
    save(state);
  }
  SurveyUI.renderSurvey(survey, document.getElementById('survey'));
  if (state.pending) {
    survey.doComplete();
  }
})();
