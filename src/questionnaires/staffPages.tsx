/**
 * Authoring pages: template list with phone preview, compose, questionnaire (versions, publish, waves
 * via wavePanel.tsx), the form editor of a draft (editor.js) and the JSON editor; with the previews
 * (previewRoutes.ts). Mounted through staffPages() like the results, collection and accounts pages.
 */
import { desc, eq, inArray } from 'drizzle-orm';
import { Hono } from 'hono';
import { owned } from '../auth/scope.js';
import type { Database } from '../db/database.js';
import { questionnaires, questionnaireVersions, studies, waves } from '../db/schema.js';
import { dateTime } from '../web/japanTime.js';
import { staffPage } from '../web/staff/layout.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { WavePanel } from '../web/staff/wavePanel.js';
import { countQuestions, allTemplates, type ListedTemplate } from './orgTemplates.js';
import { previewRoutes } from './previewRoutes.js';

const KINDS: { key: string; ja: string; en: string }[] = [
  { key: 'instrument', ja: '尺度', en: 'Instruments' },
  { key: 'programme', ja: 'プログラム調査', en: 'Programme surveys' },
  { key: 'block', ja: 'ブロック', en: 'Blocks' },
  { key: 'organisation', ja: '団体のテンプレート', en: 'Our templates' },
];
const kindLabel = (t: ListedTemplate) => (t.source === 'organisation' ? '団体' : (KINDS.find((k) => k.key === t.kind)?.ja ?? t.kind));
const langLabel = (langs: string[]) => langs.map((l) => (l === 'en' ? 'English' : '日本語')).join(' / ');

function PhoneFrame(props: { src?: string }) {
  return (
    <aside class="phone-panel" aria-label="スマートフォンでの表示 (390×844)">
      <p class="hint">
        スマートフォンでの表示 <span class="en">Phone preview 390×844</span>
      </p>
      <div class="phone">
        <iframe name="preview" id="phone-preview" title="回答画面のプレビュー" width="390" height="844" src={props.src ?? 'about:blank'}></iframe>
      </div>
    </aside>
  );
}

export function questionnairePages(database: Database, publicUrl: (path: string) => string) {
  const { db } = database;
  const app = new Hono<StaffPageEnv>();
  app.route('/', previewRoutes(database));

  app.get('/staff', (c) => c.redirect('/staff/templates', 303));

  app.get('/staff/templates', async (c) => {
    const kind = c.req.query('kind') ?? '';
    const templates = (await allTemplates(database, c.get('staff'))).filter((t) =>
      !kind ? true : kind === 'organisation' ? t.source === 'organisation' : t.source === 'builtin' && t.kind === kind,
    );
    return staffPage(c, {
      title: 'テンプレート',
      titleEn: 'Templates',
      active: 'templates',
      page: 'templates',
      scripts: ['authoring.js'],
      wide: true,
      children: (
        <>
          <p class="lead">
            テンプレートを選んでプレビューし、そのまま、または組み合わせてアンケートを作れます。
            <span class="en">Preview a template, then build a questionnaire from one or several.</span>
          </p>
          <nav class="filters" aria-label="種類で絞り込む">
            <a href="/staff/templates" aria-current={kind === '' ? 'true' : undefined}>
              すべて <span class="en">All</span>
            </a>
            {KINDS.map((k) => (
              <a href={`/staff/templates?kind=${k.key}`} aria-current={kind === k.key ? 'true' : undefined} data-kind={k.key}>
                {k.ja} <span class="en">{k.en}</span>
              </a>
            ))}
          </nav>
          <p>
            <a class="button primary" href="/staff/compose">
              テンプレートを組み合わせて作成 <span class="en">Compose</span>
            </a>
          </p>
          <div class="split">
            <ul class="cards" id="template-list">
              {templates.length === 0 ? <li class="empty">該当するテンプレートはありません。 No templates.</li> : null}
              {templates.map((t) => (
                <li class="card" data-template-id={t.id} data-kind={t.kind} data-source={t.source}>
                  <h2>
                    {t.title.ja} <span class="badge">{kindLabel(t)}</span>
                  </h2>
                  {t.title.en !== t.title.ja ? <p class="en">{t.title.en}</p> : null}
                  {t.summary.ja ? <p>{t.summary.ja}</p> : null}
                  <p class="meta">
                    質問 {t.questionCount} 問 · {langLabel(t.languages)}
                    {t.scales.length ? ` · 採点: ${t.scales.join(', ')}` : ''}
                  </p>
                  <div class="actions">
                    <a class="button preview-link" href={`/staff/preview/templates/${encodeURIComponent(t.id)}`} target="preview">
                      プレビュー <span class="en">Preview</span>
                    </a>
                    <a class="button primary" href={`/staff/compose?templates=${encodeURIComponent(t.id)}`}>
                      これで作成 <span class="en">Use</span>
                    </a>
                    {t.source === 'organisation' ? (
                      <button type="button" class="danger" data-action="delete-template" data-template-id={t.id}>
                        削除
                      </button>
                    ) : null}
                  </div>
                </li>
              ))}
            </ul>
            <PhoneFrame />
          </div>
        </>
      ),
    });
  });

  app.get('/staff/questionnaires', async (c) => {
    const staff = c.get('staff');
    const rows = await db.select().from(questionnaires).where(owned(questionnaires, staff)).orderBy(desc(questionnaires.createdAt));
    const versions = rows.length
      ? await db.select({ questionnaireId: questionnaireVersions.questionnaireId, version: questionnaireVersions.version, status: questionnaireVersions.status }).from(questionnaireVersions).where(inArray(questionnaireVersions.questionnaireId, rows.map((r) => r.id)))
      : [];
    return staffPage(c, {
      title: 'アンケート',
      titleEn: 'Questionnaires',
      active: 'questionnaires',
      children: (
        <>
          <p>
            <a class="button primary" href="/staff/compose">
              新しいアンケートを作成 <span class="en">New questionnaire</span>
            </a>
          </p>
          {rows.length === 0 ? (
            <p class="empty">
              まだアンケートがありません。<a href="/staff/templates">テンプレート</a>から作成してください。
            </p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>タイトル</th>
                  <th>最新の版</th>
                  <th>作成日時</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((q) => {
                  const mine = versions.filter((v) => v.questionnaireId === q.id).sort((a, b) => b.version - a.version);
                  const latest = mine[0];
                  return (
                    <tr>
                      <td>
                        <a href={`/staff/questionnaires/${q.id}`}>{q.title}</a>
                      </td>
                      <td>{latest ? `第${latest.version}版（${latest.status === 'published' ? '公開済み' : '下書き'}）` : '—'}</td>
                      <td>{dateTime(q.createdAt)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </>
      ),
    });
  });

  app.get('/staff/compose', async (c) => {
    const staff = c.get('staff');
    const templates = await allTemplates(database, staff);
    const chosen = (c.req.query('templates') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((id) => templates.some((t) => t.id === id));
    const byId = new Map(templates.map((t) => [t.id, t]));
    const groups = [...KINDS.map((k) => ({ ...k, items: templates.filter((t) => (k.key === 'organisation' ? t.source === 'organisation' : t.source === 'builtin' && t.kind === k.key)) }))].filter((g) => g.items.length);
    return staffPage(c, {
      title: 'アンケートを作成',
      titleEn: 'Compose a questionnaire',
      active: 'questionnaires',
      page: 'compose',
      scripts: ['authoring.js'],
      children: (
        <form id="compose" class="stack" novalidate>
          <fieldset>
            <legend>
              1. 基本情報 <span class="en">Basics</span>
            </legend>
            <label>
              回答者に見えるタイトル（必須） <span class="en">Title shown to participants</span>
              <input name="title" id="title" required maxlength={200} placeholder="例：人々のつながりに関する調査" />
              {/* Not pre-filled from a template's staff name (「孤独感（UCLA 3項目…）」): participants read it as the headline. */}
              <span class="hint">テンプレート名（尺度の名前）ではなく、回答する人に向けた中立的なタイトルにしてください。「孤独」や尺度名は回答に影響します。</span>
            </label>
            <label>
              管理用の名前（職員だけに表示・任意） <span class="en">Internal name, staff only (optional)</span>
              <input name="name" id="name" maxlength={200} placeholder="例：2026年度 サロン参加者 事前調査（UCLA）" />
              <span class="hint">一覧や結果で職員が見分けるための名前です。回答者には表示されません。空欄ならタイトルと同じです。</span>
            </label>
            <label>
              はじめの説明（回答者に表示） <span class="en">Introduction shown to participants</span>
              <textarea name="introduction" id="introduction" rows={3} maxlength={5000}></textarea>
            </label>
            <label>
              実施団体名 <span class="en">Organisation name</span>
              <input name="organisationName" id="organisationName" maxlength={200} value={c.get('viewer').organisationName} />
            </label>
            <div class="checks" role="group" aria-label="言語">
              言語 <span class="en">Languages</span>:
              <label class="inline">
                <input type="checkbox" checked disabled /> 日本語
              </label>
              <label class="inline">
                <input type="checkbox" name="lang-en" id="lang-en" checked /> English
              </label>
            </div>
          </fieldset>

          <fieldset>
            <legend>
              2. テンプレートのブロック（順番どおりに並びます） <span class="en">Template blocks, in order</span>
            </legend>
            <ol id="chosen-blocks" class="blocks">
              {chosen.map((id) => (
                <li data-template-id={id}>
                  <span class="block-title">{byId.get(id)!.title.ja}</span>
                  <span class="block-actions">
                    <button type="button" data-move="up" aria-label="上へ">↑</button>
                    <button type="button" data-move="down" aria-label="下へ">↓</button>
                    <button type="button" data-move="remove" aria-label="外す">✕</button>
                  </span>
                </li>
              ))}
            </ol>
            <p class="empty" id="no-blocks" hidden={chosen.length > 0}>
              まだブロックがありません。下から追加してください。
            </p>
            <div class="row">
              <label class="grow">
                追加するテンプレート <span class="en">Add a template</span>
                <select id="block-picker">
                  {groups.map((g) => (
                    <optgroup label={g.ja}>
                      {g.items.map((t) => (
                        <option value={t.id}>{`${t.title.ja}（${t.questionCount}問）`}</option>
                      ))}
                    </optgroup>
                  ))}
                </select>
              </label>
              <button type="button" id="add-block">
                追加 <span class="en">Add</span>
              </button>
            </div>
          </fieldset>

          <fieldset>
            <legend>
              3. 独自の質問 <span class="en">Your own questions</span>
            </legend>
            <div id="own-questions"></div>
            <button type="button" id="add-question">
              ＋ 質問を追加 <span class="en">Add a question</span>
            </button>
          </fieldset>

          <div id="compose-errors" class="problems" role="alert" hidden></div>
          <p>
            <button type="submit" class="primary" id="create">
              下書きとして作成 <span class="en">Create draft</span>
            </button>
          </p>
          <template id="own-question-template">
            <fieldset class="own-question">
              <legend>質問</legend>
              <label>
                種類 <span class="en">Type</span>
                <select data-field="kind">
                  <option value="single">1つ選ぶ（単一選択） Single choice</option>
                  <option value="multiple">いくつでも選ぶ（複数選択） Multiple choice</option>
                  <option value="text">自由記述 Free text</option>
                  <option value="number">数値 Number</option>
                </select>
              </label>
              <label>
                質問文 <span class="en">Question</span>
                <input data-field="title" maxlength={1000} />
              </label>
              <label data-choices="">
                選択肢（1行に1つ） <span class="en">Choices, one per line</span>
                <textarea data-field="choices" rows={4}></textarea>
              </label>
              <label class="inline">
                <input type="checkbox" data-field="required" /> 必須 <span class="en">Required</span>
              </label>
              <button type="button" class="danger" data-remove-question="">
                この質問を削除
              </button>
            </fieldset>
          </template>
        </form>
      ),
    });
  });

  app.get('/staff/questionnaires/:id', async (c) => {
    const staff = c.get('staff');
    const id = c.req.param('id');
    if (!/^[0-9a-f-]{36}$/i.test(id)) return c.notFound();
    const [questionnaire] = await db.select().from(questionnaires).where(owned(questionnaires, staff, id));
    if (!questionnaire) return c.notFound();
    const versions = await db.select().from(questionnaireVersions).where(eq(questionnaireVersions.questionnaireId, id)).orderBy(desc(questionnaireVersions.version));
    const waveRows = versions.length ? await db.select().from(waves).where(inArray(waves.versionId, versions.map((v) => v.id))).orderBy(desc(waves.createdAt)) : [];
    const studyRows = await db.select().from(studies).where(owned(studies, staff)).orderBy(desc(studies.createdAt));
    const draft = versions.find((v) => v.status === 'draft');
    const published = versions.find((v) => v.status === 'published');
    const previewSrc = versions[0] ? `/staff/preview/versions/${versions[0].id}` : undefined;
    return staffPage(c, {
      title: questionnaire.title,
      titleEn: 'Questionnaire',
      active: 'questionnaires',
      page: 'questionnaire',
      scripts: ['authoring.js'],
      styles: ['editor.css'],
      wide: true,
      children: (
        <div class="split" data-questionnaire-id={questionnaire.id}>
          <div class="stack">
            <section>
              <h2>
                版 <span class="en">Versions</span>
              </h2>
              <p class="hint">公開した版は変更できません。変更するときは新しい版（下書き）を作ります。回答は、回答した版に結びつきます。</p>
              <table id="versions">
                <thead>
                  <tr>
                    <th>版</th>
                    <th>状態</th>
                    <th>質問数</th>
                    <th>採点</th>
                    <th>公開日時</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  {versions.map((v) => (
                    <tr data-version={v.version} data-status={v.status}>
                      <td>第{v.version}版</td>
                      <td>
                        <span class={`status ${v.status}`}>{v.status === 'published' ? '公開済み' : '下書き'}</span>
                      </td>
                      <td>{countQuestions(v.definition)}</td>
                      <td>{(v.scoring as { id?: string }[]).map((s) => s?.id).filter(Boolean).join(', ') || '—'}</td>
                      <td>{dateTime(v.publishedAt)}</td>
                      <td>
                        <a href={`/staff/preview/versions/${v.id}`} target="preview">
                          プレビュー
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <div class="actions">
                {draft ? (
                  <>
                    <a class="button primary" href={`/staff/questionnaires/${questionnaire.id}/edit`} id="edit-draft">
                      質問を編集する <span class="en">Edit questions</span>
                    </a>
                    <button type="button" class="primary" data-action="publish">
                      第{draft.version}版を公開する <span class="en">Publish</span>
                    </button>
                  </>
                ) : (
                  <button type="button" data-action="new-version">
                    新しい版を作って編集する <span class="en">New version</span>
                  </button>
                )}
                <a class="button" href={`/staff/questionnaires/${questionnaire.id}/editor`}>
                  JSON で編集（上級者向け） <span class="en">Advanced JSON editor</span>
                </a>
              </div>
              <div id="action-problems" class="problems" role="alert" hidden></div>
              <div id="publish-warnings" class="warnings" role="status" hidden></div>
            </section>

            <WavePanel
              publishedVersion={published?.version ?? null}
              studies={studyRows}
              waves={waveRows}
              versionNumber={(versionId) => versions.find((v) => v.id === versionId)?.version}
              publicUrl={publicUrl}
              canWrite={c.get('viewer').role !== 'evaluator'}
            />

            <section>
              <h2>
                団体のテンプレートとして保存 <span class="en">Save as organisation template</span>
              </h2>
              <form id="save-template" class="stack">
                <label>
                  テンプレート名 <span class="en">Template name</span>
                  <input name="title" required maxlength={200} value={questionnaire.title} />
                </label>
                <label>
                  説明 <span class="en">Summary</span>
                  <input name="summary" maxlength={2000} />
                </label>
                <button type="submit">保存 <span class="en">Save</span></button>
                <div id="template-result" role="status"></div>
              </form>
            </section>
          </div>
          <PhoneFrame src={previewSrc} />
        </div>
      ),
    });
  });

  /** The questionnaire (the staff's organisation's) and its latest version, for the editors. */
  async function withLatestVersion(staff: StaffPageEnv['Variables']['staff'], id: string) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const [questionnaire] = await db.select().from(questionnaires).where(owned(questionnaires, staff, id));
    if (!questionnaire) return undefined;
    const [latest] = await db.select().from(questionnaireVersions).where(eq(questionnaireVersions.questionnaireId, id)).orderBy(desc(questionnaireVersions.version)).limit(1);
    return { questionnaire, latest: latest as typeof latest | undefined };
  }

  /** The form editor of the draft (editor.js renders it, from GET /api/questionnaires/:id; saves with PUT …/draft). */
  app.get('/staff/questionnaires/:id/edit', async (c) => {
    const found = await withLatestVersion(c.get('staff'), c.req.param('id'));
    if (!found) return c.notFound();
    const { questionnaire, latest } = found;
    return staffPage(c, {
      title: `質問を編集：${questionnaire.title}`,
      titleEn: 'Edit questions',
      active: 'questionnaires',
      page: 'form-editor',
      modules: ['editor.js'],
      styles: ['editor.css'],
      wide: true,
      children: (
        <div class="split">
          <div>
            <p class="hint">
              下書きの版を編集します。右のプレビューは入力に合わせて変わります（まだ保存されていません）。「下書きを保存」で survey-core の検査を通ると保存されます。公開はアンケートのページから行います。
              <span class="en">Edit the draft; the preview follows as you type. Saving checks it with survey-core.</span>
            </p>
            <div id="editor-app" data-questionnaire-id={questionnaire.id}>
              <p>読み込んでいます… <span class="en">Loading</span></p>
            </div>
            {/* editor.js posts the unsaved draft here as you type; the phone frame shows it (nothing stored). */}
            <form id="live-preview" method="post" target="preview" action={`/staff/preview/drafts/${questionnaire.id}`} hidden>
              <input type="hidden" name="csrf" value={c.get('viewer').csrfToken} />
              <input type="hidden" name="definition" />
            </form>
          </div>
          <PhoneFrame src={latest?.status === 'draft' ? `/staff/preview/versions/${latest.id}` : undefined} />
        </div>
      ),
    });
  });

  app.get('/staff/questionnaires/:id/editor', async (c) => {
    const found = await withLatestVersion(c.get('staff'), c.req.param('id'));
    if (!found) return c.notFound();
    const { questionnaire, latest } = found;
    const isDraft = latest?.status === 'draft';
    return staffPage(c, {
      title: `JSON で編集：${questionnaire.title}`,
      titleEn: 'Advanced JSON editor',
      active: 'questionnaires',
      page: 'editor',
      scripts: ['authoring.js'],
      wide: true,
      children: (
        <form id="json-editor" class="stack" data-questionnaire-id={questionnaire.id} data-mode={isDraft ? 'draft' : 'new-version'}>
          <p class="hint">
            {isDraft
              ? `第${latest.version}版（下書き）を編集します。保存前に survey-core で検査します。`
              : `第${latest?.version ?? 1}版は公開済みのため変更できません。保存すると新しい版（下書き）になります。`}{' '}
            <span class="en">SurveyJS JSON; checked with survey-core before saving.</span>
          </p>
          <label>
            SurveyJS JSON
            <textarea id="definition" name="definition" rows={28} {...{ spellcheck: "false" as unknown as boolean }} class="code">
              {JSON.stringify(latest?.definition ?? {}, null, 2)}
            </textarea>
          </label>
          <div id="editor-problems" class="problems" role="alert" hidden></div>
          <div id="editor-status" role="status"></div>
          <div class="actions">
            <button type="button" data-action="check">
              検査する <span class="en">Check</span>
            </button>
            <button type="submit" class="primary">
              保存する <span class="en">Save</span>
            </button>
            <a class="button" href={`/staff/questionnaires/${questionnaire.id}`}>
              戻る <span class="en">Back</span>
            </a>
          </div>
        </form>
      ),
    });
  });

  return app;
}
