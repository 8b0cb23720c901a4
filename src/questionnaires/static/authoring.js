// Authoring pages: template previews, compose, questionnaire actions, JSON editor. Uses staff.js.
(function () {
  'use strict';
  var S = window.staffApi;
  var page = document.body.getAttribute('data-page');
  function byId(id) { return document.getElementById(id); }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  // ---- template list ---------------------------------------------------------------------------
  if (page === 'templates') {
    document.addEventListener('click', function (event) {
      var link = event.target.closest && event.target.closest('.preview-link');
      if (link) {
        each(document.querySelectorAll('.card.selected'), function (c) { c.classList.remove('selected'); });
        link.closest('.card').classList.add('selected');
        return; // target="preview" loads it into the phone frame
      }
      var del = event.target.closest && event.target.closest('[data-action="delete-template"]');
      if (del && confirm('このテンプレートを削除しますか？ Delete this template?')) {
        S.api('DELETE', '/api/templates/' + encodeURIComponent(del.getAttribute('data-template-id'))).then(function (res) {
          if (res.ok) location.reload(); else alert(S.problemLines(res.body).join('\n'));
        });
      }
    });
  }

  // ---- compose ---------------------------------------------------------------------------------
  if (page === 'compose') {
    var form = byId('compose');
    var chosen = byId('chosen-blocks');
    var picker = byId('block-picker');
    var own = byId('own-questions');
    var errors = byId('compose-errors');

    function refreshEmpty() { byId('no-blocks').hidden = chosen.children.length > 0; }
    function blockItem(id, title) {
      var li = document.createElement('li');
      li.setAttribute('data-template-id', id);
      var span = document.createElement('span');
      span.className = 'block-title';
      span.textContent = title;
      li.appendChild(span);
      var actions = document.createElement('span');
      actions.className = 'block-actions';
      [['up', '↑', '上へ'], ['down', '↓', '下へ'], ['remove', '✕', '外す']].forEach(function (a) {
        var b = document.createElement('button');
        b.type = 'button';
        b.setAttribute('data-move', a[0]);
        b.setAttribute('aria-label', a[2]);
        b.textContent = a[1];
        actions.appendChild(b);
      });
      li.appendChild(actions);
      return li;
    }
    byId('add-block').addEventListener('click', function () {
      var option = picker.options[picker.selectedIndex];
      if (!option) return;
      chosen.appendChild(blockItem(option.value, option.textContent.replace(/（\d+問）$/, '')));
      refreshEmpty();
    });
    chosen.addEventListener('click', function (event) {
      var b = event.target.closest('button[data-move]');
      if (!b) return;
      var li = b.closest('li');
      var move = b.getAttribute('data-move');
      if (move === 'up' && li.previousElementSibling) chosen.insertBefore(li, li.previousElementSibling);
      else if (move === 'down' && li.nextElementSibling) chosen.insertBefore(li.nextElementSibling, li);
      else if (move === 'remove') li.remove();
      refreshEmpty();
    });

    function syncKind(fieldset) {
      var kind = fieldset.querySelector('[data-field="kind"]').value;
      fieldset.querySelector('[data-choices]').hidden = !(kind === 'single' || kind === 'multiple');
    }
    function renumber() {
      each(own.querySelectorAll('.own-question'), function (fs, i) {
        fs.querySelector('legend').textContent = '質問 ' + (i + 1) + ' / Question ' + (i + 1);
      });
    }
    byId('add-question').addEventListener('click', function () {
      var fragment = byId('own-question-template').content.cloneNode(true);
      var fieldset = fragment.querySelector('.own-question');
      own.appendChild(fragment);
      syncKind(fieldset);
      renumber();
      fieldset.querySelector('[data-field="title"]').focus();
    });
    own.addEventListener('change', function (event) {
      if (event.target.getAttribute('data-field') === 'kind') syncKind(event.target.closest('.own-question'));
    });
    own.addEventListener('click', function (event) {
      var b = event.target.closest('[data-remove-question]');
      if (b) { b.closest('.own-question').remove(); renumber(); }
    });

    function gather() {
      var problems = [];
      var input = {
        title: form.elements.namedItem('title').value.trim(),
        name: form.elements.namedItem('name').value.trim() || undefined,
        introduction: form.elements.namedItem('introduction').value.trim() || undefined,
        organisationName: form.elements.namedItem('organisationName').value.trim() || undefined,
        languages: byId('lang-en').checked ? ['ja', 'en'] : ['ja'],
        templateIds: Array.prototype.map.call(chosen.children, function (li) { return li.getAttribute('data-template-id'); }),
        simpleQuestions: [],
      };
      if (!input.title) problems.push('タイトルを入力してください。 Enter a title.');
      each(own.querySelectorAll('.own-question'), function (fs, i) {
        var kind = fs.querySelector('[data-field="kind"]').value;
        var q = {
          kind: kind,
          title: fs.querySelector('[data-field="title"]').value.trim(),
          required: fs.querySelector('[data-field="required"]').checked,
        };
        if (!q.title) problems.push('質問 ' + (i + 1) + '：質問文を入力してください。 Question ' + (i + 1) + ': enter the question.');
        if (kind === 'single' || kind === 'multiple') {
          q.choices = fs.querySelector('[data-field="choices"]').value.split('\n').map(function (s) { return s.trim(); }).filter(Boolean);
          if (q.choices.length < 2) problems.push('質問 ' + (i + 1) + '：選択肢を2つ以上、1行に1つずつ入力してください。 Question ' + (i + 1) + ': give at least two choices.');
        }
        input.simpleQuestions.push(q);
      });
      if (!input.templateIds.length && !input.simpleQuestions.length) problems.push('テンプレートのブロックか独自の質問を1つ以上追加してください。 Add at least one block or question.');
      return { input: input, problems: problems };
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var g = gather();
      if (g.problems.length) return S.showProblems(errors, g.problems);
      S.showProblems(errors, []);
      var button = byId('create');
      button.disabled = true;
      S.api('POST', '/api/questionnaires', g.input).then(function (res) {
        button.disabled = false;
        if (res.ok) { location.href = '/staff/questionnaires/' + res.body.id; return; }
        S.showProblems(errors, S.problemLines(res.body));
        errors.focus && errors.scrollIntoView({ block: 'center' });
      });
    });
  }

  // ---- questionnaire ---------------------------------------------------------------------------
  if (page === 'questionnaire') {
    var root = document.querySelector('[data-questionnaire-id]');
    var qid = root.getAttribute('data-questionnaire-id');
    var problemsBox = byId('action-problems');
    document.addEventListener('click', function (event) {
      var b = event.target.closest && event.target.closest('[data-action="publish"], [data-action="new-version"]');
      if (!b) return;
      var action = b.getAttribute('data-action');
      if (action === 'publish' && !confirm('公開すると、この版は変更できなくなります。公開しますか？ Publish? A published version cannot be changed.')) return;
      b.disabled = true;
      var request = action === 'publish'
        ? S.api('POST', '/api/questionnaires/' + qid + '/publish')
        : S.api('POST', '/api/questionnaires/' + qid + '/versions');
      request.then(function (res) {
        b.disabled = false;
        if (!res.ok) return S.showProblems(problemsBox, S.problemLines(res.body));
        if (action === 'new-version') { location.href = '/staff/questionnaires/' + qid + '/edit'; return; }
        // Publish warnings (e.g. questions without English) are shown once the page has reloaded.
        if (res.body && res.body.warnings && res.body.warnings.length) sessionStorage.setItem('publish-warnings:' + qid, JSON.stringify(res.body.warnings));
        location.reload();
      });
    });
    var stored = sessionStorage.getItem('publish-warnings:' + qid);
    if (stored) {
      sessionStorage.removeItem('publish-warnings:' + qid);
      var warningsBox = byId('publish-warnings');
      S.showProblems(warningsBox, ['公開しました。次の点を確認してください。 Published, with warnings:'].concat(JSON.parse(stored)));
    }

    // Staff enter times as Japan time whatever the browser's zone; '' stays '' (no time set).
    function japanTime(local) { return local ? local.slice(0, 16) + ':00+09:00' : ''; }
    function link(href, text, id) {
      var a = document.createElement('a');
      a.href = href;
      a.textContent = text;
      if (id) a.id = id;
      return a;
    }
    function showNewWave(wave) {
      var out = byId('new-wave');
      out.textContent = '';
      var h = document.createElement('h3');
      var p = document.createElement('p');
      var links = document.createElement('p');
      if (wave.openLink) {
        h.textContent = '回答用リンクができました Open link created';
        p.appendChild(link(wave.openLink, wave.openLink, 'open-link'));
        var slug = String(wave.openLink).split('/s/')[1];
        var img = document.createElement('img');
        img.src = '/s/' + slug + '/qr.svg';
        img.alt = 'QRコード（' + wave.openLink + '）';
        img.width = 200;
        img.height = 200;
        img.id = 'open-qr';
        p.appendChild(document.createElement('br'));
        p.appendChild(img);
        var png = link('/s/' + slug + '/qr.png', 'QR（PNG、印刷用）を保存');
        png.setAttribute('download', 'qr-' + slug + '.png');
        links.appendChild(png);
        links.appendChild(document.createTextNode(' · '));
      } else {
        h.textContent = '招待のみの調査回ができました Invitation-only wave created';
        p.textContent = '誰でも回答できるリンクはありません。名簿を登録して、一人ずつの招待リンクを配ってください。 ';
        p.appendChild(link('/staff/waves/' + wave.id + '/frame', '名簿と招待リンクへ Frame & invitation links', 'frame-link'));
      }
      links.appendChild(link('/staff/waves/' + wave.id + '/results', '結果 Results'));
      out.appendChild(h);
      out.appendChild(p);
      out.appendChild(links);
      out.hidden = false;
    }

    var waveForm = byId('open-wave');
    if (waveForm) {
      waveForm.addEventListener('submit', function (event) {
        event.preventDefault();
        var field = function (name) { return waveForm.elements.namedItem(name); };
        var name = field('name').value.trim();
        var box = byId('wave-problems');
        if (!name) return S.showProblems(box, ['調査回の名前を入力してください。 Enter a name for the wave.']);
        S.showProblems(box, []);
        var body = { name: name, questionnaireId: qid, openLink: field('openLink').checked };
        if (field('phase').value) body.phase = field('phase').value;
        if (field('opensAt').value) body.opensAt = japanTime(field('opensAt').value);
        if (field('closesAt').value) body.closesAt = japanTime(field('closesAt').value);
        if (field('askParticipantCode').checked) body.askParticipantCode = true;
        var studyChoice = field('studyId').value;
        var studyName = field('studyName').value.trim();
        if (studyChoice === '__new' && !studyName) return S.showProblems(box, ['新しい調査の名前を入力してください。 Enter a name for the new study.']);
        // A new study is created first, so both its waves can later be paired by participant code.
        var study = studyChoice === '__new'
          ? S.api('POST', '/api/studies', { name: studyName }).then(function (res) {
              if (!res.ok) throw res;
              return res.body.id;
            })
          : Promise.resolve(studyChoice || null);
        study.then(function (studyId) {
          if (studyId) body.studyId = studyId;
          return S.api('POST', '/api/waves', body);
        }, function (res) {
          return res;
        }).then(function (res) {
          if (!res.ok) return S.showProblems(box, S.problemLines(res.body));
          showNewWave(res.body);
          waveForm.reset();
        });
      });
    }

    // Closing a wave and moving its closing time; the page reloads to show the wave's new state.
    var waveList = byId('wave-list');
    if (waveList) {
      // The item's buttons stay disabled while a change is on its way, and come back if it fails.
      var afterChange = function (item) {
        item.querySelectorAll('button').forEach(function (button) { button.disabled = true; });
        return function (res) {
          if (res.ok) return location.reload();
          item.querySelectorAll('button').forEach(function (button) { button.disabled = false; });
          S.showProblems(item.querySelector('.problems'), S.problemLines(res.body));
        };
      };
      waveList.addEventListener('click', function (event) {
        var b = event.target.closest('[data-action="close-wave"]');
        if (!b) return;
        if (!confirm('受付を終了しますか？ このリンクからは回答できなくなり、元に戻せません。\nClose this wave? The link will stop taking answers; this cannot be undone.')) return;
        var done = afterChange(b.closest('li'));
        S.api('POST', '/api/waves/' + b.getAttribute('data-wave-id') + '/close').then(done);
      });
      waveList.addEventListener('submit', function (event) {
        var form = event.target.closest('form.wave-closes');
        if (!form) return;
        event.preventDefault();
        var closesAt = japanTime(form.elements.namedItem('closesAt').value) || null;
        if (closesAt && new Date(closesAt) <= new Date() &&
            !confirm('過去の日時です。保存するとすぐに受付が終わり、元に戻せません。\nThis time has passed: the wave closes now, and this cannot be undone.')) return;
        var done = afterChange(form.closest('li'));
        S.api('PATCH', '/api/waves/' + form.getAttribute('data-wave-id'), { closesAt: closesAt }).then(done);
      });
    }

    var templateForm = byId('save-template');
    templateForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var out = byId('template-result');
      var title = templateForm.elements.namedItem('title').value.trim();
      var summary = templateForm.elements.namedItem('summary').value.trim();
      if (!title) { out.textContent = 'テンプレート名を入力してください。 Enter a name.'; return; }
      S.api('POST', '/api/templates', { questionnaireId: qid, title: title, summary: summary || undefined }).then(function (res) {
        if (!res.ok) { out.textContent = S.problemLines(res.body).join(' '); return; }
        out.textContent = '';
        out.appendChild(document.createTextNode('団体のテンプレート「' + res.body.title.ja + '」として保存しました。 '));
        var a = document.createElement('a');
        a.href = '/staff/templates?kind=organisation';
        a.textContent = 'テンプレート一覧へ';
        out.appendChild(a);
      });
    });
  }

  // ---- advanced JSON editor --------------------------------------------------------------------
  if (page === 'editor') {
    var editor = byId('json-editor');
    var eqid = editor.getAttribute('data-questionnaire-id');
    var box = byId('editor-problems');
    var status = byId('editor-status');
    function parse() {
      var text = byId('definition').value;
      try {
        return { definition: JSON.parse(text) };
      } catch (e) {
        var where = /position (\d+)/.exec(e.message);
        var line = where ? text.slice(0, Number(where[1])).split('\n').length : null;
        return { problems: ['JSON として読めません' + (line ? '（' + line + '行目付近）' : '') + '。 Not valid JSON: ' + e.message] };
      }
    }
    function check() {
      var parsed = parse();
      status.textContent = '';
      if (parsed.problems) return S.showProblems(box, parsed.problems);
      return S.api('POST', '/api/definitions/validate', { definition: parsed.definition }).then(function (res) {
        if (!res.ok) return S.showProblems(box, S.problemLines(res.body));
        S.showProblems(box, (res.body.problems_ja || res.body.problems).concat(res.body.warnings || []));
        if (res.body.valid) status.textContent = '問題は見つかりませんでした。 No problems found.';
      });
    }
    editor.querySelector('[data-action="check"]').addEventListener('click', check);
    editor.addEventListener('submit', function (event) {
      event.preventDefault();
      var parsed = parse();
      status.textContent = '';
      if (parsed.problems) return S.showProblems(box, parsed.problems);
      var draft = editor.getAttribute('data-mode') === 'draft';
      var request = draft
        ? S.api('PUT', '/api/questionnaires/' + eqid + '/draft', { definition: parsed.definition })
        : S.api('POST', '/api/questionnaires/' + eqid + '/versions', { definition: parsed.definition });
      request.then(function (res) {
        if (!res.ok) return S.showProblems(box, S.problemLines(res.body));
        S.showProblems(box, res.body.warnings || []);
        editor.setAttribute('data-mode', 'draft');
        status.textContent = '第' + res.body.version + '版（下書き）に保存しました。 Saved as draft version ' + res.body.version + '.';
      });
    });
  }
})();
