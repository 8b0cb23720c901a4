/** @jsxImportSource hono/jsx */
/** The list page's parts about printed matter: what can be printed for this wave, and the purpose they print. */
import type { waves } from '../db/schema.js';

type Wave = typeof waves.$inferSelect;

export function PrintLinks({ wave }: { wave: Wave }) {
  const base = `/staff/waves/${wave.id}/print`;
  return (
    <section id="print-links">
      <h2>
        印刷物 <small class="en">Printed matter</small>
      </h2>
      <p class="hint">
        A4 の印刷用ページが開きます。ブラウザの「印刷」から紙に印刷するか「PDFに保存」を選んでください。問い合わせ先は<a href="/staff/organisation">団体設定</a>、目的はこのページの「調査の目的」欄、回答期限は調査回の受付終了日時から印刷されます。
        <br />
        <span class="en">Opens an A4 print page: print it or save it as PDF from the browser. Contact comes from the organisation settings, purpose from this page, the deadline from the wave's closing time.</span>
      </p>
      <ul>
        <li>
          <a href={`${base}/letters`}>案内状（全員・1人1枚）</a> ・ <a href={`${base}/letters?disposition=pending`}>督促状（未回答の人だけ）</a>{' '}
          <span class="en">Letters: everyone, or reminders to pending units</span>
        </li>
        {wave.slug ? (
          <li>
            チラシ（公開リンクの QR コード）: <a href={`${base}/flyer?size=A4`}>A4</a> ・ <a href={`${base}/flyer?size=A5`}>A5</a> <span class="en">Flyer for the open link</span>
          </li>
        ) : null}
        {wave.askParticipantCode ? (
          <li>
            <a href={`${base}/cards`}>参加者コードカード（事前・事後の対応づけ用）</a> <span class="en">Participant code cards</span>
          </li>
        ) : null}
      </ul>
    </section>
  );
}

export function PurposeForm({ wave }: { wave: Wave }) {
  return (
    <section>
      <h2>
        調査の目的（案内状・チラシに印刷） <small class="en">Purpose, printed on letters and flyers</small>
      </h2>
      <form id="purpose-form" class="stack" data-wave-id={wave.id}>
        <label>
          目的 <span class="en">Purpose</span>
          <textarea id="purpose-text" name="purpose" rows={3} maxlength={1000} placeholder="例）地域の皆さまの暮らしやつながりの様子をうかがい、今後の見守りや交流の場づくりに役立てるためです。">
            {wave.purpose ?? ''}
          </textarea>
        </label>
        <div id="purpose-problems" class="problems" role="alert" hidden></div>
        <p role="status" id="purpose-status"></p>
        <div class="actions">
          <button type="submit" class="primary">保存 <span class="en">Save</span></button>
        </div>
      </form>
    </section>
  );
}
