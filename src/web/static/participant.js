// Participant page. The questions arrive as server-rendered HTML (answerable before this script
// runs, and submittable without it). This script adds pages, a progress indicator, saving on the
// device, and submission with an idempotency key made on the device, so that a retry after a dropped
// connection — now, when the connection returns, or on the next visit — is stored once. When the
// questionnaire needs SurveyJS (conditions, unusual question types) the bundle is fetched in the
// background and takes over with the answers already given.
(function () {
  'use strict';
  var root = document.documentElement;
  root.classList.add('js');
  function byId(id) { return document.getElementById(id); }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  var config = JSON.parse(byId('survey-config').textContent);
  var en = config.lang === 'en';
  var form = byId('survey-form');
  var statusEl = byId('status');
  var progressEl = byId('progress');
  var thanksEl = byId('thanks');
  var storageKey = 'survey:' + config.waveId + ':' + location.pathname;
  var T = {
    sending: en ? 'Sending your answers…' : '回答を送信しています…',
    offline: en
      ? 'No connection. Your answers are saved on this device and will be sent automatically when the connection returns.'
      : '通信できませんでした。回答はこの端末に保存されています。接続が戻ると自動で送信します。',
    offlineNow: en
      ? 'You are offline. You can keep answering; your answers are saved on this device.'
      : '接続が切れています。このまま回答を続けられます。回答はこの端末に保存されています。',
    required: en ? 'Please answer this question.' : 'この質問に回答してください。',
    allRows: en ? 'Please answer every row.' : 'すべての行に回答してください。',
    check: en ? 'Please check the highlighted answers.' : '印のついた質問を確認してください。',
    refused: en ? 'Could not send.' : '送信できませんでした。',
  };

  function randomKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return 'dev-' + Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  function readSaved() {
    try { return JSON.parse(localStorage.getItem(storageKey) || 'null'); } catch (e) { return null; }
  }
  function save() {
    try { localStorage.setItem(storageKey, JSON.stringify(state)); } catch (e) { /* private mode: kept in memory */ }
  }
  function showStatus(text) {
    statusEl.textContent = text || '';
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
  function fresh() {
    return { idempotencyKey: randomKey(), data: {}, pageNo: 0, startedAt: new Date().toISOString(), pending: null, done: false };
  }
  // This device's answers were received: a reload says so instead of showing a blank form. On an open
  // link (a tablet passed round at a salon) someone else may then start a new response.
  var answeredBefore = state.done && !state.pending;
  save();

  // ---- the server-rendered form ------------------------------------------------------------
  var questions = form ? form.querySelectorAll('[data-q]') : [];
  var pages = form ? form.querySelectorAll('.page') : [];
  var known = {};
  each(questions, function (q) { var n = q.getAttribute('data-q'); known[n] = true; known[n + '-Comment'] = true; });

  var valueOf = window.SurveyFormAnswers.valueOf;
  /** Answers as SurveyJS data; keys the form does not show (SurveyJS-only) are kept from the device. */
  function collect() {
    var data = {};
    Object.keys(state.data || {}).forEach(function (k) { if (!known[k]) data[k] = state.data[k]; });
    return window.SurveyFormAnswers.collect(questions, data);
  }
  function restore(data) {
    each(questions, function (q) {
      var name = q.getAttribute('data-q');
      var kind = q.getAttribute('data-kind');
      var v = data[name];
      if (kind === 'matrix') {
        each(q.querySelectorAll('.m-row'), function (row) {
          var r = v && typeof v === 'object' ? v[row.getAttribute('data-row')] : undefined;
          each(row.querySelectorAll('input'), function (i) { i.checked = r !== undefined && r !== null && String(r) === i.value; });
        });
      } else if (kind === 'multi') {
        var list = Array.isArray(v) ? v.map(String) : [];
        each(q.querySelectorAll('input[type=checkbox]'), function (i) { i.checked = list.indexOf(i.value) >= 0; });
      } else if (kind === 'single') {
        var select = q.querySelector('select');
        if (select) select.value = v === undefined || v === null ? '' : String(v);
        else each(q.querySelectorAll('input[type=radio]'), function (i) { i.checked = v !== undefined && v !== null && String(v) === i.value; });
      } else if (kind === 'text' || kind === 'number') {
        q.querySelector('input, textarea').value = v === undefined || v === null ? '' : String(v);
      }
      var other = q.querySelector('input[name$="-Comment"]');
      if (other) other.value = data[name + '-Comment'] || '';
    });
  }

  function setError(q, message) {
    var el = q.querySelector('.q-error');
    if (!message) {
      if (el) el.parentNode.removeChild(el);
      q.removeAttribute('data-invalid');
      return;
    }
    if (!el) {
      el = document.createElement('p');
      el.className = 'q-error';
      el.setAttribute('role', 'alert');
      var after = q.querySelector('.q-desc') || q.querySelector('.q-title');
      after.parentNode.insertBefore(el, after.nextSibling);
    }
    el.textContent = message;
    q.setAttribute('data-invalid', '');
  }
  function missing(q) {
    var v = valueOf(q);
    if (q.hasAttribute('data-required') && v === undefined) return T.required;
    if (q.hasAttribute('data-all-rows') && q.getAttribute('data-kind') === 'matrix') {
      var rows = q.querySelectorAll('.m-row');
      var answered = v ? Object.keys(v).length : 0;
      if ((v || q.hasAttribute('data-required')) && answered < rows.length) return T.allRows;
    }
    return null;
  }
  /** Checks required answers on one page; returns the first question with a problem. */
  function checkPage(page) {
    var first = null;
    each(page.querySelectorAll('[data-q]'), function (q) {
      var problem = missing(q);
      setError(q, problem);
      if (problem && !first) first = q;
    });
    return first;
  }
  function focusQuestion(q) {
    var target = q.querySelector('input, select, textarea') || q;
    q.scrollIntoView({ block: 'start' });
    target.focus();
  }

  var prevBtn = form && form.querySelector('.nav .prev');
  var nextBtn = form && form.querySelector('.nav .next');
  var submitBtn = form && form.querySelector('.nav .submit');

  function pageOf(q) {
    for (var i = 0; i < pages.length; i++) if (pages[i].contains(q)) return i;
    return 0;
  }
  function updateProgress() {
    if (!form || form.hidden) return;
    var count = 0, answered = 0;
    each(questions, function (q) {
      if (q.getAttribute('data-kind') === 'none') return;
      count++;
      if (valueOf(q) !== undefined) answered++;
    });
    var n = state.pageNo, total = pages.length;
    var text = en
      ? (total > 1 ? 'Page ' + (n + 1) + ' of ' + total + ' · ' : '') + answered + ' of ' + count + ' answered'
      : (total > 1 ? (n + 1) + ' / ' + total + ' ページ ・ ' : '') + count + '問中 ' + answered + '問 回答済み';
    byId('progress-text').textContent = text;
    progressEl.querySelector('.bar span').style.width = (count ? Math.round((100 * answered) / count) : 0) + '%';
    progressEl.hidden = false;
  }
  // The phone's back button goes to the previous page of the questionnaire, not away from it.
  function pushPage(n) {
    if (history.state && history.state.surveyPage === n) return;
    try { history.pushState({ surveyPage: n }, ''); } catch (e) { /* sandboxed: the buttons still work */ }
  }
  window.addEventListener('popstate', function (e) {
    if (!form || form.hidden || !e.state || typeof e.state.surveyPage !== 'number') return;
    showPage(e.state.surveyPage, true);
    save();
  });
  function showPage(n, focus) {
    n = Math.max(0, Math.min(pages.length - 1, n || 0));
    state.pageNo = n;
    each(pages, function (p, i) { p.hidden = i !== n; });
    prevBtn.classList.toggle('show', n > 0);
    nextBtn.classList.toggle('show', n < pages.length - 1);
    submitBtn.classList.toggle('hide', n < pages.length - 1);
    root.setAttribute('data-page', String(n));
    updateProgress();
    if (focus) {
      var page = pages[n];
      page.setAttribute('tabindex', '-1');
      window.scrollTo(0, 0);
      page.focus({ preventScroll: true });
    }
  }

  function remember() {
    state.data = collect();
    save();
    updateProgress();
  }

  function payload(data) {
    var answers = {};
    Object.keys(data).forEach(function (k) { if (k !== '__participantCode') answers[k] = data[k]; });
    var body = { idempotencyKey: state.idempotencyKey, answers: answers, status: 'complete', startedAt: state.startedAt };
    if (data.__participantCode) body.participantCode = String(data.__participantCode);
    return body;
  }

  if (form) {
    form.querySelector('input[name="__key"]').value = state.idempotencyKey;
    if (Object.keys(state.data).length) restore(state.data);
    if (pages.length) showPage(state.pageNo, false);
    try { history.replaceState({ surveyPage: state.pageNo }, ''); } catch (e) { /* ignore */ }
    addReadAloud();
    form.addEventListener('change', function (e) {
      var q = e.target.closest && e.target.closest('[data-q]');
      if (q && q.hasAttribute('data-invalid') && !missing(q)) setError(q, null);
      remember();
    });
    form.addEventListener('input', remember);
    prevBtn.addEventListener('click', function () {
      if (history.state && history.state.surveyPage === state.pageNo && state.pageNo > 0) return history.back();
      showPage(state.pageNo - 1, true);
      save();
    });
    nextBtn.addEventListener('click', function () {
      var bad = checkPage(pages[state.pageNo]);
      if (bad) return focusQuestion(bad);
      showPage(state.pageNo + 1, true);
      pushPage(state.pageNo);
      save();
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      for (var i = 0; i < pages.length; i++) {
        var bad = checkPage(pages[i]);
        if (bad) {
          showPage(i, false);
          return focusQuestion(bad);
        }
      }
      state.data = collect();
      state.pending = payload(state.data);
      save();
      send();
    });
  }

  // ---- submission: stored once, never lost --------------------------------------------------
  var sending = false;
  var retryDelay = 5000;
  var retryTimer = null;
  function setPending(on) {
    if (on) root.setAttribute('data-pending', 'true');
    else root.removeAttribute('data-pending');
    if (submitBtn) submitBtn.disabled = on;
  }
  function finished() {
    state.pending = null;
    state.done = true;
    state.data = {};
    save();
    setPending(false);
    showStatus('');
    if (form) form.hidden = true;
    byId('survey').hidden = true;
    progressEl.hidden = true;
    thanksEl.hidden = false;
    root.setAttribute('data-page', 'done');
    root.setAttribute('data-submitted', 'true');
    window.scrollTo(0, 0);
    thanksEl.focus();
  }
  function refused(body) {
    state.pending = null;
    save();
    setPending(false);
    var errors = body.errors || [];
    if (form && !survey) {
      form.hidden = false;
      updateProgress();
      if (config.needsSurveyJs) loadBundle(takeOver);
    }
    if (survey) {
      survey.clear(false, false);
    } else if (form && errors.length) {
      var first = null;
      errors.forEach(function (err) {
        var name = err.field === 'participantCode' ? '__participantCode' : err.field;
        each(questions, function (q) {
          if (q.getAttribute('data-q') !== name) return;
          setError(q, (en ? err.message : err.message_ja) || err.message);
          if (!first) first = q;
        });
      });
      if (first) {
        showPage(pageOf(first), false);
        showStatus(T.check);
        return focusQuestion(first);
      }
    }
    showStatus(en ? (body.detail || body.title || T.refused) : (body.detail_ja || body.title_ja || T.refused));
  }
  function send() {
    if (!state.pending || sending) return;
    sending = true;
    clearTimeout(retryTimer);
    setPending(true);
    showStatus(T.sending);
    fetch(config.submitUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(state.pending),
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) {
        sending = false;
        if (res.ok) return finished();
        if (res.status >= 500 || res.status === 408 || res.status === 429) return retryLater();
        if (res.status === 409 || res.status === 410 || res.status === 404) {
          // Already answered through this link, or the survey closed: nothing more to send.
          state.pending = null;
          state.done = true;
          save();
          setPending(false);
          if (form) form.hidden = true;
          byId('survey').hidden = true;
          progressEl.hidden = true;
          root.setAttribute('data-refused', String(res.status));
          return showStatus(en ? (body.detail || body.title) : (body.detail_ja || body.title_ja || body.detail));
        }
        refused(body);
      });
    }).catch(function () {
      sending = false;
      retryLater();
    });
  }
  function retryLater() {
    showStatus(T.offline);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(send, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 60000);
  }
  window.addEventListener('online', function () { retryDelay = 5000; send(); });
  window.addEventListener('offline', function () { if (!state.pending) showStatus(T.offlineNow); });
  window.addEventListener('online', function () { if (!state.pending && statusEl.textContent === T.offlineNow) showStatus(''); });

  // ---- SurveyJS, only when the questionnaire needs it -------------------------------------------
  var survey = null;
  function loadBundle(done) {
    if (window.Survey && window.SurveyUI) return done();
    var link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = config.bundle.css;
    document.head.appendChild(link);
    var scripts = config.bundle.js;
    scripts.forEach(function (src, i) {
      var s = document.createElement('script');
      s.src = src;
      s.async = false; // download in parallel, run in order
      if (i === scripts.length - 1) s.onload = done;
      // Failing to load (offline) leaves the plain form, which still works.
      document.head.appendChild(s);
    });
  }
  function takeOver() {
    var active = document.activeElement;
    if (form && active && form.contains(active) && (active.tagName === 'TEXTAREA' || (active.tagName === 'INPUT' && active.type === 'text'))) {
      // Do not pull the field away while someone is typing: switch when they leave it.
      active.addEventListener('blur', function () { setTimeout(takeOver, 0); }, { once: true });
      return;
    }
    var focusedQuestion = form && active && active.closest && active.closest('[data-q]');
    var data = form ? collect() : state.data;
    var definition = JSON.parse(byId('survey-definition').textContent);
    if (config.askParticipantCode) {
      definition.pages = [{
        name: '__participant_code',
        elements: [{
          type: 'text', name: '__participantCode', isRequired: true, maxLength: 64,
          title: { default: '参加者コード', en: 'Participant code' },
          description: { default: 'カードに書かれた参加者コードを入力してください（お手紙のアクセスコードとは別のものです）。', en: 'Enter the participant code printed on your card (not the access code of a letter).' },
        }],
      }].concat(definition.pages || []);
    }
    // Templates write Japanese as the "default" text; survey-core would otherwise treat "default" as English.
    Survey.surveyLocalization.defaultLocale = 'ja';
    survey = new Survey.Model(definition);
    survey.locale = config.lang;
    survey.showProgressBar = 'top';
    survey.progressBarType = 'pages';
    survey.showCompletedPage = false;
    survey.showTitle = false; // the page already says what this is
    survey.data = data;
    if (state.pageNo) survey.currentPageNo = state.pageNo;
    survey.onValueChanged.add(function () { state.data = survey.data; save(); });
    survey.onCurrentPageChanged.add(function () { state.pageNo = survey.currentPageNo; save(); });
    survey.onComplete.add(function (sender) {
      state.data = sender.data;
      state.pending = payload(sender.data);
      save();
      send();
    });
    if (form) form.hidden = true;
    progressEl.hidden = true;
    root.setAttribute('data-renderer', 'surveyjs');
    SurveyUI.renderSurvey(survey, byId('survey'));
    if (focusedQuestion) {
      var q = survey.getQuestionByValueName(focusedQuestion.getAttribute('data-q'));
      if (q) q.focus();
    }
  }

  // ---- 読み上げ: the browser's own speech synthesis, nothing sent anywhere. Off until asked for (one
  // switch at the top, remembered on the device), so nobody else tabs past an extra button per question.
  function speak(q, title) {
    var parts = [title.textContent.replace(/必須|Required/g, '')];
    var desc = q.querySelector('.q-desc');
    if (desc) parts.push(desc.textContent);
    each(q.querySelectorAll('legend, label.choice'), function (l) { if (l !== title) parts.push(l.textContent); });
    var u = new SpeechSynthesisUtterance(parts.join('。'));
    u.lang = en ? 'en-US' : 'ja-JP';
    u.rate = 0.9;
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(u);
  }
  function showReadAloud(on) {
    root.toggleAttribute('data-read-aloud', on);
    try { localStorage.setItem('survey:readAloud', on ? '1' : ''); } catch (e) { /* kept for this page */ }
    if (!on || form.querySelector('.read-aloud')) return;
    each(questions, function (q) {
      var title = q.querySelector('.q-title');
      if (!title || q.getAttribute('data-kind') === 'none') return;
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'read-aloud';
      button.textContent = en ? 'Read this question aloud' : 'この質問を読み上げる';
      button.addEventListener('click', function () { speak(q, title); });
      title.parentNode.insertBefore(button, title.nextSibling);
    });
  }
  function addReadAloud() {
    if (!('speechSynthesis' in window) || typeof SpeechSynthesisUtterance !== 'function') return;
    var nav = document.querySelector('.lang');
    var toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.id = 'read-aloud-toggle';
    toggle.className = 'read-aloud';
    var saved = false;
    try { saved = localStorage.getItem('survey:readAloud') === '1'; } catch (e) { /* ignore */ }
    toggle.setAttribute('aria-pressed', String(saved));
    toggle.textContent = en ? 'Read aloud' : '読み上げ';
    toggle.addEventListener('click', function () {
      var on = toggle.getAttribute('aria-pressed') !== 'true';
      toggle.setAttribute('aria-pressed', String(on));
      showReadAloud(on);
    });
    nav.insertBefore(toggle, nav.firstChild);
    if (saved) showReadAloud(true);
  }

  if (answeredBefore && form) {
    form.hidden = true;
    progressEl.hidden = true;
    thanksEl.hidden = false;
    var again = byId('answered-before');
    again.hidden = false;
    var againBtn = byId('answer-again');
    if (config.personal) againBtn.hidden = true;
    againBtn.addEventListener('click', function () {
      state = fresh();
      save();
      location.reload();
    });
    root.setAttribute('data-page', 'done');
    root.setAttribute('data-answered-before', 'true');
  } else if (state.pending) {
    // Answers finished earlier (perhaps offline) but not yet acknowledged: send them now.
    if (form) form.hidden = true;
    progressEl.hidden = true;
    send();
  } else if (config.needsSurveyJs) {
    loadBundle(takeOver);
  }
  root.setAttribute('data-ready', 'true');
})();
