/** The questionnaire page's waves section: the form that opens a wave and the list of its waves. */
import { closedReason, hasEnded } from '../../collection/waveState.js';
import type { studies, waves } from '../../db/schema.js';
import { dateTime, japanLocalInput } from '../japanTime.js';
import { LinkWarning } from './linkWarning.js';

type Wave = typeof waves.$inferSelect;

const PHASES = [
  { value: '', ja: '指定なし', en: 'none' },
  { value: 'pre', ja: '事前', en: 'pre' },
  { value: 'post', ja: '事後', en: 'post' },
  { value: 'follow-up', ja: 'フォローアップ', en: 'follow-up' },
];

/** A wave's phase as evaluators read it: 事前 / 事後 / フォローアップ, or the organisation's own word. */
export function phaseLabel(phase: string | null): string | null {
  return phase ? (PHASES.find((p) => p.value === phase)?.ja ?? phase) : null;
}

function waveState(w: Wave): { key: string; label: string } {
  if (hasEnded(w)) return { key: 'ended', label: '終了' };
  if (closedReason(w)) return { key: 'before', label: `受付前（${dateTime(w.opensAt)} から）` };
  return { key: 'open', label: '受付中' };
}

export type WavePanelProps = {
  publishedVersion: number | null;
  studies: (typeof studies.$inferSelect)[];
  waves: Wave[];
  versionNumber: (versionId: string) => number | undefined;
  publicUrl: (path: string) => string;
  /** Editors and admins; evaluators read the list only, as the API lets them. */
  canWrite: boolean;
};

export function WavePanel(props: WavePanelProps) {
  return (
    <section>
      <h2>
        調査を始める（回答用リンク） <span class="en">Open a wave</span>
      </h2>
      {!props.canWrite ? (
        <p class="hint">調査回を作る・終了するには編集者か管理者の権限が必要です。 Editors and admins open and close waves.</p>
      ) : props.publishedVersion === null ? (
        <p class="hint">まず版を公開してください。 Publish a version first.</p>
      ) : (
        <OpenWaveForm publishedVersion={props.publishedVersion} studies={props.studies} />
      )}
      <LinkWarning sample={props.publicUrl('/s/')} />
      <div id="new-wave" hidden></div>
      {props.waves.length ? (
        <ul class="waves" id="wave-list">
          {props.waves.map((w) => (
            <WaveItem wave={w} version={props.versionNumber(w.versionId)} publicUrl={props.publicUrl} canWrite={props.canWrite} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function OpenWaveForm(props: { publishedVersion: number; studies: (typeof studies.$inferSelect)[] }) {
  return (
    <form id="open-wave" class="stack">
      <p class="hint">公開済みの最新版（第{props.publishedVersion}版）で回答を集めます。</p>
      <label>
        調査回の名前 <span class="en">Wave name</span>
        <input name="name" required maxlength={200} placeholder="例：2026年12月 交流会" />
      </label>
      <label>
        時期 <span class="en">Phase</span>
        <select name="phase">
          {PHASES.map((p) => (
            <option value={p.value}>{`${p.ja} (${p.en})`}</option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>
          受付期間（日本時間・任意） <span class="en">Answering period, Japan time (optional)</span>
        </legend>
        <div class="row">
          <label class="grow">
            受付開始 <span class="en">Opens</span>
            <input type="datetime-local" name="opensAt" />
          </label>
          <label class="grow">
            受付終了 <span class="en">Closes</span>
            <input type="datetime-local" name="closesAt" />
          </label>
        </div>
        <label class="check">
          <input type="checkbox" name="openLink" checked /> 誰でも回答できるリンクを作る（QRコード） <span class="en">Open link anyone can answer (QR code)</span>
        </label>
        <p class="hint">外すと招待のみの調査回になります（郵送調査など）。名簿を登録して一人ずつの招待リンクを配ります。</p>
      </fieldset>
      <fieldset>
        <legend>
          事前・事後の比較 <span class="en">Pre/post comparison</span>
        </legend>
        <p class="hint">同じ人の事前と事後の回答を対応づけるには、両方の回を同じ「調査」に入れ、参加者コードを尋ねます。</p>
        <label>
          調査（study） <span class="en">Study</span>
          <select name="studyId">
            <option value="">なし（単独の回） / none</option>
            {props.studies.map((st) => (
              <option value={st.id}>{st.name}</option>
            ))}
            <option value="__new">新しい調査を作る… / new study…</option>
          </select>
        </label>
        <label>
          新しい調査の名前 <span class="en">New study name</span>
          <input name="studyName" maxlength={200} placeholder="例：男のセカンドキャリア塾 2026" />
        </label>
        <label class="check">
          <input type="checkbox" name="askParticipantCode" /> 参加者コードを尋ねる <span class="en">Ask for a participant code</span>
        </label>
      </fieldset>
      <button type="submit" class="primary">
        調査回を作る <span class="en">Open the wave</span>
      </button>
      <div id="wave-problems" class="problems" role="alert" hidden></div>
    </form>
  );
}

function WaveItem(props: { wave: Wave; version: number | undefined; publicUrl: (path: string) => string; canWrite: boolean }) {
  const w = props.wave;
  const state = waveState(w);
  const link = w.slug ? props.publicUrl(`/s/${w.slug}`) : null;
  return (
    <li data-wave-id={w.id} data-state={state.key}>
      <strong>{w.name}</strong> {w.phase ? <span class="badge">{phaseLabel(w.phase)}</span> : null} 第{props.version}版 ·{' '}
      <span class={`wave-state ${state.key}`}>{state.label}</span>
      {w.closesAt ? <span class="meta"> · 受付終了 {dateTime(w.closesAt)}</span> : null}
      <br />
      {link ? (
        <>
          <a href={link}>{link}</a> {state.key !== 'ended' ? <>· <a href={`/s/${w.slug}/qr.svg`}>QR</a> · </> : '· '}
        </>
      ) : (
        <span class="meta">招待のみ · </span>
      )}
      <a href={`/staff/waves/${w.id}/results`}>結果</a> · <a href={`/staff/waves/${w.id}/frame`}>名簿と招待リンク</a>
      {props.canWrite ? (
        <>
          {' '}
          · <a href={`/staff/waves/${w.id}/invitations`}>招待者一覧・印刷</a> · <a href={`/staff/waves/${w.id}/mail`}>メール</a> · <a href={`/staff/waves/${w.id}/paper`}>紙の質問票</a> · <a href={`/staff/waves/${w.id}/entry`}>紙の回答を入力</a>
        </>
      ) : null}
      {w.studyId ? (
        <>
          {' '}
          · <a href={`/staff/studies/${w.studyId}/results`}>事前・事後比較</a>
        </>
      ) : null}
      {props.canWrite && state.key !== 'ended' ? (
        <div class="wave-edit">
          <form class="row wave-closes" data-wave-id={w.id}>
            <label class="grow">
              受付終了（日本時間、空欄で期限なし） <span class="en">Closes (Japan time)</span>
              <input type="datetime-local" name="closesAt" value={japanLocalInput(w.closesAt)} />
            </label>
            <button type="submit">変更 <span class="en">Change</span></button>
            <button type="button" class="danger" data-action="close-wave" data-wave-id={w.id}>
              受付を終了 <span class="en">Close now</span>
            </button>
          </form>
          <div class="problems" role="alert" hidden></div>
        </div>
      ) : null}
    </li>
  );
}
