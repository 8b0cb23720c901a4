import { describe, expect, it } from 'vitest';
import { multiResponseCrosstab, suppressMultiResponse } from '../../analysis/index.js';

const table = multiResponseCrosstab({
  options: [{ code: 'a', label: 'A' }, { code: 'b', label: 'B' }],
  colCategories: [{ code: 'x', label: 'X' }, { code: 'y', label: 'Y' }],
  respondentsByCol: { x: 20, y: 12 },
  selections: [
    { option: 'a', col: 'x', count: 10 }, { option: 'a', col: 'y', count: 2 },
    { option: 'b', col: 'x', count: 7 }, { option: 'b', col: 'y', count: 9 },
  ],
});

describe('suppressMultiResponse', () => {
  it('hides counts below k and every total that would give them back', () => {
    const s = suppressMultiResponse(table, 5);
    expect(s.counts).toEqual([[10, 'x'], [7, 9]]);
    expect(s.totals).toEqual(['x', 16]);
    expect(s.answers).toEqual([17, 'x']);
    expect(s.percentOfRespondents[0]).toEqual([50, null]);
    expect(s.percentOfAnswers[1]).toEqual([table.rows[1].percentOfAnswers[0], null]);
  });

  it('k = 0 leaves the table as it is', () => {
    const s = suppressMultiResponse(table, 0);
    expect(s.counts).toEqual([[10, 2], [7, 9]]);
    expect(s.totals).toEqual([12, 16]);
  });
});

describe('suppressMultiResponse: why each entry is hidden', () => {
  it('flags small counts as primary, the totals that would give them back as secondary, and says why a % is withheld', () => {
    const s = suppressMultiResponse(table, 5);
    expect(s.flags).toEqual([[null, 'primary'], [null, null]]);
    expect(s.totalFlags).toEqual(['secondary', null]);
    expect(s.answerFlags).toEqual([null, 'secondary']);
    expect(s.percentOfRespondentsWithheld).toEqual([[null, 'count'], [null, null]]);
    expect(s.percentOfAnswersWithheld).toEqual([[null, 'count'], [null, 'base']]);
  });
});
