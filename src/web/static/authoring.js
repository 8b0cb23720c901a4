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
      if (!form.elements.namedItem('title').value && chosen.children.length === 1) {
        form.elements.namedItem('title').value = option.textContent.replace(/（\d+問）$/, '');
      }
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
        if (res.ok) location.reload();
        else S.showProblems(problemsBox, S.problemLines(res.body));
      });
    });

    var waveForm = byId('open-wave');
    if (waveForm) {
      waveForm.addEventListener('submit', function (event) {
        event.preventDefault();
        var name = waveForm.elements.namedItem('name').value.trim();
        var phase = waveForm.elements.namedItem('phase').value;
        var box = byId('wave-problems');
        if (!name) return S.showProblems(box, ['調査回の名前を入力してください。 Enter a name for the wave.']);
        S.showProblems(box, []);
        var body = { name: name, questionnaireId: qid };
        if (phase) body.phase = phase;
        if (waveForm.elements.namedItem('askParticipantCode').checked) body.askParticipantCode = true;
        var studyChoice = waveForm.elements.namedItem('studyId').value;
        var studyName = waveForm.elements.namedItem('studyName').value.trim();
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
          var out = byId('new-wave');
          out.textContent = '';
          var h = document.createElement('h3');
          h.textContent = '回答用リンクができました Open link created';
          out.appendChild(h);
          var p = document.createElement('p');
          var a = document.createElement('a');
          a.href = res.body.openLink;
          a.id = 'open-link';
          a.textContent = res.body.openLink;
          p.appendChild(a);
          out.appendChild(p);
          var slug = String(res.body.openLink).split('/s/')[1];
          var img = document.createElement('img');
          img.src = '/s/' + slug + '/qr.svg';
          img.alt = 'QRコード（' + res.body.openLink + '）';
          img.width = 200;
          img.height = 200;
          img.id = 'open-qr';
          out.appendChild(img);
          var links = document.createElement('p');
          links.innerHTML = '';
          var png = document.createElement('a');
          png.href = '/s/' + slug + '/qr.png';
          png.textContent = 'QR（PNG、印刷用）を保存';
          png.setAttribute('download', 'qr-' + slug + '.png');
          links.appendChild(png);
          links.appendChild(document.createTextNode(' · '));
          var results = document.createElement('a');
          results.href = '/staff/waves/' + res.body.id + '/results';
          results.textContent = '結果 Results';
          links.appendChild(results);
          out.appendChild(links);
          out.hidden = false;
          waveForm.reset();
        });
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
        S.showProblems(box, res.body.problems);
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
