import { describe, expect, it } from 'vitest';
import { paperCopy } from '../../src/collection/paperQuestionnaire.js';
import { skipNotes } from '../../src/collection/paperSkips.js';
import { renderPages } from '../../src/web/surveyForm.js';

const definition = {
  title: '暮らしのアンケート',
  showQuestionNumbers: 'off',
  pages: [
    {
      name: 'p1',
      elements: [
        { type: 'html', name: 'intro', html: '<p>ご協力ください。</p><script>alert(1)</script>' },
        { type: 'boolean', name: 'goes_out', title: '週に1回以上外出しますか。' },
        { type: 'checkbox', name: 'where', title: 'どこへ出かけますか。', visibleIf: '{goes_out} = true', choices: [{ value: 'shop', text: '買い物' }, { value: 'salon', text: 'サロン' }], showOtherItem: true },
        { type: 'rating', name: 'health', title: '健康状態', rateCount: 5, minRateDescription: 'よい', maxRateDescription: 'よくない' },
        { type: 'matrix', name: 'talk', title: '話す頻度', columns: [{ value: 1, text: 'よく' }, { value: 2, text: '時々' }, { value: 3, text: 'ない' }], rows: [{ value: 'family', text: '家族' }, { value: 'friends', text: '友人' }] },
        { type: 'text', inputType: 'number', name: 'age', title: '年齢', min: 0, max: 120 },
        { type: 'comment', name: 'care', title: '介護で困っていること', visibleIf: '{age} >= 65' },
      ],
    },
  ],
};

describe('paper questionnaire', () => {
  const html = paperCopy(definition, { organisation: '気仙沼まちづくり支援センター', deadline: '2026年12月25日（金）', contact: '0226-00-0000' }, 'A-001');
  const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

  it('numbers the questions as the entry page does, even where the phone shows no numbers', () => {
    const entry = renderPages(definition, { lang: 'ja', numbered: true }).html;
    const numbersIn = (s: string, cls: string) => [...s.matchAll(new RegExp(`class="${cls}">(?:問|Q)(\\d+)<`, 'g'))].map((m) => Number(m[1]));
    expect(numbersIn(html, 'pq-no')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(numbersIn(entry, 'q-no')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(renderPages(definition, { lang: 'ja' }).html).not.toContain('q-no');
  });

  it('writes the skips out in Japanese from visibleIf: who answers, and where the others go', () => {
    expect(text).toContain('問1で「はい」と答えた方のみお答えください。');
    expect(text).toContain('「いいえ」と答えた方は → 問3へ進んでください。');
    expect(text).toContain('次の条件にあてはまる方のみお答えください（問5 ≧ 65）。');
    const notes = skipNotes(definition);
    expect(notes.onlyIf.size).toBe(2);
  });

  it('gives boxes per choice, a table of boxes for ratings and grids, a box with the range for numbers, lines for text', () => {
    expect(text).toContain('（いくつでも）');
    expect(text).toContain('（1つだけ）');
    expect(text).toContain('（それぞれ1つだけ）');
    expect(text).toContain('（具体的に：');
    const table = (cls: string) => html.split(`<table class="${cls}">`)[1].split('</table>')[0];
    expect(table('rating').match(/□/g)).toHaveLength(5);
    expect(table('grid').match(/□/g)).toHaveLength(6);
    expect(text).toContain('（0〜120の数字で記入）');
    expect(html).toContain('class="number-box"');
    expect(html.split('class="line"').length - 1).toBeGreaterThanOrEqual(3);
  });

  it('prints the unit id, the introduction, and the explanations without their scripts', () => {
    expect(html).toContain('<strong class="unit-id">A-001</strong>');
    expect(paperCopy(definition, { organisation: 'x' }, null)).toContain('class="unit-blank"');
    expect(html).not.toContain('参加者コード');
    expect(paperCopy(definition, { organisation: 'x', askParticipantCode: true }, 'A-001')).toMatch(/class="unit-box code-box"><span class="unit-label">参加者コード/);
    expect(text).toContain('2026年12月25日（金）まで');
    expect(text).toContain('0226-00-0000');
    expect(text).toContain('ご協力ください。');
    expect(html).not.toContain('<script');
  });
});
