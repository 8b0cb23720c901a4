import { describe, expect, it } from 'vitest';
import { englishWarning, questionsWithoutEnglish } from '../../src/questionnaires/englishCheck.js';

const both = (ja: string, en: string) => ({ default: ja, en });

describe('English at publish: every text a participant who chose English reads', () => {
  const definition = {
    languages: ['ja', 'en'],
    title: both('つながりの調査', 'Survey on connections'),
    description: 'はじめに',
    pages: [
      {
        title: '最近のこと',
        elements: [
          { type: 'radiogroup', name: 'whole', title: both('質問', 'Question'), choices: [{ value: 1, text: both('はい', 'Yes') }, { value: 2, text: both('いいえ', 'No') }] },
          { type: 'radiogroup', name: 'choice_ja', title: both('質問', 'Question'), choices: [{ value: 1, text: 'はい' }] },
          { type: 'matrix', name: 'row_ja', title: both('表', 'Grid'), columns: [{ value: 1, text: both('ある', 'Yes') }], rows: [{ value: 'a', text: '話し相手' }] },
          { type: 'rating', name: 'ends_ja', title: both('満足度', 'Satisfaction'), minRateDescription: '不満', maxRateDescription: both('満足', 'Satisfied') },
          { type: 'radiogroup', name: 'plain_values', title: both('数', 'Number'), choices: [1, 2, 3] },
          { type: 'panel', name: 'group', elements: [{ type: 'text', name: 'inner', title: '内側' }] },
        ],
      },
    ],
  };

  it('names each question with any Japanese-only text, and the survey title, introduction and page headings', () => {
    expect(questionsWithoutEnglish(definition)).toEqual(['はじめの説明', 'ページ1の見出し', 'choice_ja', 'row_ja', 'ends_ja', 'inner']);
    expect(englishWarning(definition)).toMatch(/^英語の文言がない箇所が 6 か所あります（はじめの説明、ページ1の見出し、choice_ja、/);
  });

  it('says nothing when English is not offered, or when every text has it', () => {
    expect(questionsWithoutEnglish({ ...definition, languages: ['ja'] })).toEqual([]);
    expect(englishWarning({ languages: ['ja', 'en'], title: both('a', 'b'), pages: [{ elements: [definition.pages[0].elements[0]] }] })).toBeUndefined();
  });
});
