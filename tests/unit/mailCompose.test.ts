import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES, renderMessage, unknownPlaceholders, type MessageValues } from '../../src/mail/compose.js';

const values: MessageValues = {
  団体名: '気仙沼まちづくり支援センター',
  調査名: '暮らしとつながりのアンケート',
  回答リンク: 'https://survey.example.jp/t/abc',
  アクセスコード: 'ABCD-EFGH',
  コード入力ページ: 'https://survey.example.jp/c',
  回答期限: '2026/12/20 17:00',
  optOutUrl: 'https://survey.example.jp/optout/x/y',
};

describe('e-mail composition', () => {
  it('fills every placeholder of the default drafts and always ends with the sender and the opt-out link', () => {
    for (const template of Object.values(DEFAULT_TEMPLATES)) {
      expect(unknownPlaceholders(template)).toEqual([]);
      const { subject, text } = renderMessage(template, values);
      expect(`${subject}\n${text}`).not.toMatch(/[{｛][^}｝]*[}｝]/);
      expect(text).toContain('https://survey.example.jp/t/abc');
      expect(text.trimEnd().endsWith('https://survey.example.jp/optout/x/y')).toBe(true);
      expect(text).toContain('送信者: 気仙沼まちづくり支援センター');
    }
  });

  it('names placeholders that do not exist, full-width braces included, and keeps a subject on one line', () => {
    expect(unknownPlaceholders({ subject: '{調査名}', body: '{回答URL} と ｛団体｝ と {回答リンク}' })).toEqual(['回答URL', '団体']);
    expect(renderMessage({ subject: '｛調査名｝\nのお願い', body: 'x' }, values).subject).toBe('暮らしとつながりのアンケート のお願い');
  });
});
