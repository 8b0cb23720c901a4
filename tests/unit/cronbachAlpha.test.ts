import { describe, expect, it } from 'vitest';
import { cronbachAlpha } from '../../analysis/index.js';
import { goldens } from './fixtures.js';

describe('cronbachAlpha', () => {
  const G = goldens.cronbach;
  it('matches the R formula k/(k−1)(1 − Σvar/var(total))', () => {
    const r = cronbachAlpha(G.items);
    expect(r.alpha).toBeCloseTo(G.alpha.value, 12);
    expect(r.n).toBe(8);
    expect(r.k).toBe(4);
    expect(r.excluded).toBe(0);
  });
  it('listwise deletion: a respondent with a missing item leaves alpha unchanged and is counted', () => {
    const r = cronbachAlpha([...G.items, [4, null, 1, 1]]);
    expect(r.alpha).toBeCloseTo(G.alpha.value, 12);
    expect(r.n).toBe(8);
    expect(r.excluded).toBe(1);
    expect(r.method).toMatch(/listwise/);
    expect(r.warnings.join(' ')).toMatch(/1 respondent/);
  });
  it('undefined with fewer than 2 items or respondents', () => {
    expect(cronbachAlpha([[1], [2], [3]]).alpha).toBeNull();
    expect(cronbachAlpha([[1, 2]]).alpha).toBeNull();
  });
});
