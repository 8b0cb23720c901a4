/**
 * What an e-mail says: the staff member's subject and body with placeholders filled for one unit, and a
 * footer they cannot remove (who sends it and how to stop further e-mail). Pure, so the preview is
 * exactly what the worker sends.
 */

export const PLACEHOLDERS = [
  { key: '団体名', en: 'organisation' },
  { key: '調査名', en: 'survey title' },
  { key: '回答リンク', en: 'personal link' },
  { key: 'アクセスコード', en: 'access code' },
  { key: 'コード入力ページ', en: 'page for the code' },
  { key: '回答期限', en: 'deadline' },
] as const;

export type Placeholder = (typeof PLACEHOLDERS)[number]['key'];
export type MessageValues = Record<Placeholder, string> & { optOutUrl: string };
export type Template = { subject: string; body: string };
export type Message = { subject: string; text: string };

const PATTERN = /[{｛]([^{}｛｝\n]{1,20})[}｝]/g;

/** Placeholders written in a template that do not exist (e.g. a typo such as {回答URL}). */
export function unknownPlaceholders(template: Template): string[] {
  const known = new Set<string>(PLACEHOLDERS.map((p) => p.key));
  const found = [...`${template.subject}\n${template.body}`.matchAll(PATTERN)].map((m) => m[1].trim());
  return [...new Set(found.filter((name) => !known.has(name)))];
}

const fill = (text: string, values: MessageValues) =>
  text.replace(PATTERN, (all, name: string) => (name.trim() in values ? values[name.trim() as Placeholder] : all));

export function renderMessage(template: Template, values: MessageValues): Message {
  // A subject is one line: a pasted line break would end the header.
  const subject = fill(template.subject, values).replace(/\s*[\r\n]+\s*/g, ' ').trim();
  const footer = [
    '',
    '――',
    `送信者: ${values.団体名}`,
    'このメールは名簿に登録されたアドレスにお送りしています。今後このアンケートのご案内が不要な方は、次のページで配信を停止できます。',
    values.optOutUrl,
  ].join('\n');
  return { subject, text: `${fill(template.body, values).trimEnd()}\n${footer}\n` };
}

/** A first draft for each kind of round, in the words an intermediary would use. */
export const DEFAULT_TEMPLATES: Record<'invitation' | 'reminder', Template> = {
  invitation: {
    subject: '【{団体名}】「{調査名}」ご協力のお願い',
    body: [
      'いつもお世話になっております。{団体名}です。',
      '',
      '「{調査名}」へのご協力をお願いいたします。次のリンクから回答できます（あなた専用のリンクです。ほかの方には転送しないでください）。',
      '{回答リンク}',
      '',
      'リンクが開けないときは、{コード入力ページ} でアクセスコード {アクセスコード} を入力してください。',
      '回答期限: {回答期限}',
      '',
      '回答は任意です。回答しなくても不利益はありません。',
    ].join('\n'),
  },
  reminder: {
    subject: '【{団体名}】「{調査名}」回答のお願い（再送）',
    body: [
      '{団体名}です。先日ご案内した「{調査名}」について、まだ回答が届いていない方にお送りしています。行き違いでご回答済みの場合はご容赦ください。',
      '',
      '回答はこちらから: {回答リンク}',
      'アクセスコード: {アクセスコード}（{コード入力ページ} で入力）',
      '回答期限: {回答期限}',
    ].join('\n'),
  },
};
