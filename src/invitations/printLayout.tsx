/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { LinkWarning } from '../web/staff/linkWarning.js';
import { plainPage } from './plainPage.js';
import { printStyle } from './printStyle.js';

/** A print page: the sheets, and on screen only a toolbar saying how to print, with the link warning. */
export function printPage(c: Context, props: { title: string; size: 'A4' | 'A5'; sample: string; back: string; about: Child; sheets: Child }) {
  return plainPage(c, {
    title: props.title,
    head: <style>{raw(printStyle(props.size))}</style>,
    body: (
      <>
        <div class="toolbar">
          <p>
            <a href={props.back}>← 戻る Back</a> ・ <strong>{props.title}</strong> ・ ブラウザの「印刷」で {props.size} 用紙に印刷するか「PDFに保存」を選んでください（余白なし・倍率100%）。
            <span class="en"> Print on {props.size}, or save as PDF, from the browser.</span>
          </p>
          <div class="about">{props.about}</div>
          <LinkWarning sample={props.sample} />
        </div>
        {props.sheets}
      </>
    ),
  });
}
