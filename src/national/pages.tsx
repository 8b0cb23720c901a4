/** @jsxImportSource hono/jsx */
/**
 * /staff/waves/<id>/national: the wave's answers beside the national survey (same figures as the
 * download); /staff/national: the organisation's national tables by sex × age band, loaded from CSV.
 */
import { Hono } from 'hono';
import { owned } from '../auth/scope.js';
import { loadOwnedWave } from '../collection/loaders.js';
import type { Database } from '../db/database.js';
import { nationalReferenceTables } from '../db/schema.js';
import { sharedK } from '../results/crosstabTable.js';
import { WaveHeader } from '../results/pageRoutes.js';
import { Downloads } from '../results/pages.js';
import { dateTime } from '../web/japanTime.js';
import { staffPage } from '../web/staff/layout.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { NATIONAL_INSTRUMENTS, nationalReference } from './reference.js';
import { InstrumentComparisonView } from './view.js';
import { waveComparison } from './waveComparison.js';

const INSTRUMENT_TITLE = { 'loneliness-direct': '孤独感（直接質問）', 'ucla3-national': '孤独感スコア（UCLA 3項目・全国調査版）' } as const;

export function nationalPages(database: Database) {
  const app = new Hono<StaffPageEnv>();

  app.get('/staff/waves/:id/national', async (c) => {
    const staff = c.get('staff');
    const loaded = await loadOwnedWave(database, staff, c.req.param('id'));
    const { wave, version } = loaded;
    const result = await waveComparison(database, staff, loaded, await sharedK(database, staff, undefined));
    return staffPage(c, {
      title: `全国調査との比較: ${wave.name}`,
      titleEn: 'Beside the national survey',
      active: 'results',
      wide: true,
      children: (
        <>
          <WaveHeader wave={wave} version={version.version} current="national" />
          {result.instruments.length === 0 ? (
            <p class="empty">
              この回の質問票には、全国調査と比べられる質問（「孤独感（直接質問・全国調査）」または「孤独感（UCLA 3項目・全国調査 4件法）」のテンプレート）がありません。
              <span class="en"> This questionnaire has neither national loneliness question.</span>
            </p>
          ) : (
            <>
              <p class="lead">
                この調査の回答者（回答完了 n = {result.n}）の分布を、内閣府「孤独・孤立の実態把握に関する全国調査」と同じ区分で並べます。全国の値は公表値で、年・出典・確かさを各行に示します。
                <span class="en"> This wave's answers beside the national survey, in its categories; national figures as published, with year, source and confidence.</span>
              </p>
              <aside class="caveat" role="note">
                <strong>比べるときの注意</strong>
                <ul>
                  <li>全国調査は住民から無作為に選ばれた16歳以上の人、事業の参加者はそうではありません。差は事業の効果を示すものではありません。</li>
                  <li>全国調査は郵送またはインターネットで回答しています。回答方法や時期が違うと答え方も変わります。</li>
                  <li>回答者が少ないと割合は大きくぶれます。表の「95%信頼区間」の幅を見てください。</li>
                </ul>
              </aside>
              {result.instruments.map((comparison) => <InstrumentComparisonView comparison={comparison} waveName={wave.name} />)}
              <h2>ダウンロード <small>Download</small></h2>
              <p class="hint">この画面と同じ表（Excel は調査票ごとにシート、注記付き）。ダウンロードは記録されます。</p>
              <Downloads base={`/api/waves/${wave.id}/national`} />
              <p>
                <a href="/staff/national">全国調査の参照表（性別 × 年齢）を読み込む</a> — 読み込むと、性・年齢構成をそろえた比較（標準化）を表示します。
              </p>
            </>
          )}
        </>
      ),
    });
  });

  app.get('/staff/national', async (c) => {
    const staff = c.get('staff');
    const tables = await database.db.select().from(nationalReferenceTables).where(owned(nationalReferenceTables, staff));
    const canEdit = c.get('viewer').role !== 'evaluator';
    return staffPage(c, {
      title: '全国調査の参照表',
      titleEn: 'National reference tables',
      active: 'results',
      page: 'national-references',
      scripts: ['national.js'],
      children: (
        <>
          <p class="lead">
            全国調査の性別 × 年齢の表（政府統計の総合窓口 e-Stat の統計表）を CSV で読み込むと、各回の「全国調査との比較」に、回答者の性・年齢構成をそろえた全国の値（直接標準化）を表示します。質問票に「回答者の属性」の性別と年齢の質問が必要です。
            <span class="en"> Load the national table by sex × age band (e-Stat) as CSV to standardise the national figures to each wave's own mix.</span>
          </p>
          <h2>CSV の形式 <small>Format</small></h2>
          <p>1行目は見出し。「性別」（男性・女性）、「年齢」（16〜19歳、20〜29歳、20代、60代、80歳以上 など）、「n」（回答者数）と、各選択肢の %（見出しは選択肢の名前）、「無回答」（任意）。% の合計は各行100です。文字コードは UTF-8 または Shift_JIS。</p>
          <pre class="example">性別,年齢,n,しばしばある・常にある,時々ある,たまにある,ほとんどない,決してない,無回答{'\n'}男性,16〜19歳,（回答者数）,（%）,（%）,（%）,（%）,（%）,（%）{'\n'}女性,80歳以上,（回答者数）,（%）,（%）,（%）,（%）,（%）,（%）</pre>
          <p class="hint">全国の値は e-Stat の表から写してください。この例の（ ）には実際の値が入ります。</p>
          {NATIONAL_INSTRUMENTS.map((instrument) => {
            const table = tables.find((t) => t.instrument === instrument);
            const reference = nationalReference(instrument);
            return (
              <section class="reference-table" id={`reference-${instrument}`}>
                <h2>{INSTRUMENT_TITLE[instrument]}</h2>
                <p class="hint">選択肢（列の見出し）: {reference.categories.map((cat) => cat.label.ja).join('・')}</p>
                {table ? (
                  <p class="loaded">
                    読み込み済み: {table.source}（{table.fileName}、{table.strata.length} 層、{dateTime(table.createdAt)}）
                    {canEdit ? <> <button type="button" data-action="remove-reference" data-instrument={instrument}>削除</button></> : null}
                  </p>
                ) : (
                  <p class="empty">読み込まれていません。性・年齢構成をそろえた比較は表示されません。</p>
                )}
                {canEdit ? (
                  <form class="stack form-column" data-form="reference" data-instrument={instrument}>
                    <label>
                      出典（調査年・表番号など） <span class="en">Source</span>
                      <input name="source" required maxlength={300} placeholder="例）e-Stat 令和5年 孤独・孤立の実態把握に関する全国調査 表2-1" />
                    </label>
                    <label>
                      CSV ファイル <span class="en">CSV file</span>
                      <input name="file" type="file" accept=".csv,text/csv" required />
                    </label>
                    <div class="problems" role="alert" hidden></div>
                    <button type="submit" class="primary">{table ? '読み込み直す' : '読み込む'}</button>
                  </form>
                ) : (
                  <p class="hint">読み込みと削除は編集者と管理者が行えます。</p>
                )}
              </section>
            );
          })}
        </>
      ),
    });
  });

  return app;
}
