/** @jsxImportSource hono/jsx */
/** One printed sheet each: an invitation letter, a flyer, a participant code card (styles in printStyle.ts). */
import type { Child } from 'hono/jsx';
import type { ShownLink } from './shownLinks.js';

/** What every printed piece of a wave says about the survey. */
export type Printed = { title: string; organisation: string; purpose: string | null; deadline: string | null; contact: string | null; shortAddress: string };

const Voluntary = () => (
  <p class="voluntary">
    ご回答は任意です。回答しなくても不利益はありません。回答内容は統計的にまとめ、個人が特定される形で公表することはありません。
  </p>
);

/** The end of a letter or flyer: by when, that answering is voluntary, and whom to ask. */
const Closing = ({ info }: { info: Printed }) => (
  <>
    {info.deadline ? (
      <p class="deadline">
        回答期限: <strong>{info.deadline}</strong>
      </p>
    ) : null}
    <Voluntary />
    <div class="contact">
      <h2>問い合わせ先</h2>
      <p>{info.contact ?? info.organisation}</p>
    </div>
  </>
);

export function Letter(props: { info: Printed; unitId: string; link: ShownLink; qr: Child }) {
  const { info } = props;
  return (
    <section class="sheet letter" data-unit-id={props.unitId}>
      <p class="from">{info.organisation}</p>
      <h1>「{info.title}」ご協力のお願い</h1>
      <p>
        日ごろより大変お世話になっております。{info.organisation}では、アンケートを行っています。お忙しいところ恐れ入りますが、ご協力をお願いいたします。
      </p>
      {info.purpose ? (
        <div class="purpose">
          <h2>アンケートの目的</h2>
          <p>{info.purpose}</p>
        </div>
      ) : null}
      <div class="how">
        <h2>回答のしかた（スマートフォン・パソコン）</h2>
        <div class="ways">
          <div class="way-qr">
            <div class="qr">{props.qr}</div>
            <p>スマートフォンのカメラで読み取ってください</p>
          </div>
          <div class="way-code">
            <p>または、次のアドレスを開いて</p>
            <p class="address">{info.shortAddress}</p>
            <p>アクセスコードを入力してください</p>
            <p class="code big-code">{props.link.accessCode}</p>
          </div>
        </div>
      </div>
      <Closing info={info} />
      <p class="unit-id">整理番号 {props.unitId}</p>
    </section>
  );
}

export function Flyer(props: { info: Printed; size: 'A4' | 'A5'; url: string; qr: Child }) {
  const { info } = props;
  return (
    <section class={`sheet flyer flyer-${props.size}`}>
      <p class="from">{info.organisation}</p>
      <h1>{info.title}</h1>
      <p class="ask">アンケートにご協力ください</p>
      {info.purpose ? <p class="purpose">{info.purpose}</p> : null}
      <div class="qr">{props.qr}</div>
      <p>スマートフォンのカメラで読み取るか、次のアドレスを入力してください</p>
      <p class="address">{props.url}</p>
      <Closing info={info} />
    </section>
  );
}

/**
 * A participant code card. Its QR code and 回答先 lead to the wave it was printed from (named on the card),
 * while the code itself is the same in every wave of the study; without an open link there is no QR code:
 * participants open the survey from their letter and type the card's code inside it.
 */
export function CodeCard(props: { info: Printed; number: number; code: string; survey: string; answerAt: string | null; qr: Child | null }) {
  return (
    <div class="card">
      <p class="card-head">
        参加者コード <span class="card-no">No.{props.number}</span>
      </p>
      <p class="code card-code">{props.code}</p>
      <div class="card-body">
        {props.qr ? <div class="qr">{props.qr}</div> : null}
        <p>
          アンケートで「参加者コード」をたずねられたら、このコードを書いてください。事前・事後とも同じです。<strong>大切に保管してください。</strong>
          <br />
          {props.answerAt ? (
            <>
              QR・回答先（{props.survey}）: <span class="card-address">{props.answerAt}</span>
            </>
          ) : (
            'アンケートは、お手紙のQRコードかアクセスコードで開いてください。'
          )}
        </p>
      </div>
      <p class="card-from">{props.info.organisation}</p>
    </div>
  );
}
