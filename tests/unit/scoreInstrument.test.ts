import { describe, expect, it } from 'vitest';
import { scoreInstrument } from '../../analysis/scoreInstrument.js';
import { ScaleDefinitionSchema, type ScaleDefinition } from '../../analysis/scoringSchema.js';
import { getTemplate } from '../../src/questionnaires/templateLibrary.js';

function scale(templateId: string, scaleId?: string): ScaleDefinition {
  const scales = getTemplate(templateId).meta.scoring?.scales ?? [];
  const s = scaleId ? scales.find((x) => x.id === scaleId) : scales[0];
  if (!s) throw new Error(`no scale in ${templateId}`);
  return s;
}

/** Answers giving every item the same value. */
const all = (s: ScaleDefinition, value: unknown) => Object.fromEntries(s.items.map((i) => [i.question, value]));

describe('UCLA Loneliness Scale v3 (20 items)', () => {
  const s = scale('ucla-ls3');
  const name = (k: number) => `uclals3_${String(k).padStart(2, '0')}`;
  const REVERSED = [1, 5, 6, 9, 10, 15, 16, 19, 20];

  it('reverse-keys exactly items 1, 5, 6, 9, 10, 15, 16, 19, 20', () => {
    expect(s.items.filter((i) => i.reverse).map((i) => i.question)).toEqual(REVERSED.map(name));
    expect(s.items).toHaveLength(20);
  });

  it('all "1" answers: 11 straight items × 1 + 9 reversed × 4 = 47', () => {
    const r = scoreInstrument(s, all(s, 1));
    expect(r.score).toBe(47);
    expect(r.answeredItems).toBe(20);
    expect(r.missingItems).toEqual([]);
    expect(r.reasonMissing).toBeNull();
  });

  it('all "4" answers: 11 × 4 + 9 × 1 = 53; all "2" = 22 + 27 = 49; all "3" = 33 + 18 = 51', () => {
    expect(scoreInstrument(s, all(s, 4)).score).toBe(53);
    expect(scoreInstrument(s, all(s, 2)).score).toBe(49);
    expect(scoreInstrument(s, all(s, 3)).score).toBe(51);
  });

  it('reaches the range ends 20 and 80', () => {
    const least = Object.fromEntries(s.items.map((i) => [i.question, i.reverse ? 4 : 1]));
    const most = Object.fromEntries(s.items.map((i) => [i.question, i.reverse ? 1 : 4]));
    expect(scoreInstrument(s, least).score).toBe(20);
    expect(scoreInstrument(s, most).score).toBe(80);
  });

  it('one reversed item moves the score the other way', () => {
    const base = all(s, 2);
    expect(scoreInstrument(s, { ...base, [name(1)]: 4 }).score).toBe(49 - 2); // 5−4=1 instead of 3
    expect(scoreInstrument(s, { ...base, [name(2)]: 4 }).score).toBe(49 + 2);
  });

  it('any missing item makes the score missing (no prorating in the source)', () => {
    const a = all(s, 2);
    delete a[name(7)];
    const r = scoreInstrument(s, a);
    expect(r.score).toBeNull();
    expect(r.missingItems).toEqual([name(7)]);
    expect(r.answeredItems).toBe(19);
    expect(r.reasonMissing).toMatch(/^20 項目中 1 項目が欠損。.*。 1 of 20 items missing; .* allows no missing items\.$/);
    expect(r.band).toBeNull();
    expect(r.dichotomy).toBeNull();
  });

  it('out-of-range or non-numeric answers count as missing and are named', () => {
    const r = scoreInstrument(s, { ...all(s, 2), [name(3)]: 5, [name(4)]: 'often' });
    expect(r.score).toBeNull();
    expect(r.invalidItems).toEqual([name(3), name(4)]);
    expect(r.reasonMissing).toContain('had a value the item does not allow');
  });

  it('accepts numeric strings (paper entry, CSV import); treats "" and null as missing', () => {
    expect(scoreInstrument(s, all(s, '1')).score).toBe(47);
    expect(scoreInstrument(s, { ...all(s, 1), [name(1)]: '' }).missingItems).toEqual([name(1)]);
    expect(scoreInstrument(s, { ...all(s, 1), [name(1)]: null }).missingItems).toEqual([name(1)]);
    expect(scoreInstrument(s, { ...all(s, 1), [name(1)]: 2.5 }).invalidItems).toEqual([name(1)]);
  });

  it('has no bands or dichotomy (no validated cut-offs)', () => {
    const r = scoreInstrument(s, all(s, 1));
    expect(r.band).toBeNull();
    expect(r.dichotomy).toBeNull();
    expect(s.bands ?? []).toEqual([]);
  });
});

describe('UCLA 3-item, national 4-point variant', () => {
  const s = scale('ucla3-national');
  const q = ['ucla3_companionship', 'ucla3_left_out', 'ucla3_isolated'];
  const answers = (a: number, b: number, c: number) => ({ [q[0]!]: a, [q[1]!]: b, [q[2]!]: c });

  it('range 3–12', () => {
    expect(scoreInstrument(s, answers(1, 1, 1)).score).toBe(3);
    expect(scoreInstrument(s, answers(4, 4, 4)).score).toBe(12);
  });

  it.each([
    [answers(1, 1, 1), 3, 'score_3'],
    [answers(2, 1, 1), 4, 'score_4_6'],
    [answers(2, 2, 2), 6, 'score_4_6'],
    [answers(3, 2, 2), 7, 'score_7_9'],
    [answers(3, 3, 3), 9, 'score_7_9'],
    [answers(4, 3, 3), 10, 'score_10_12'],
    [answers(4, 4, 4), 12, 'score_10_12'],
  ])('band edge: %o → %i (%s)', (a, score, band) => {
    const r = scoreInstrument(s, a);
    expect(r.score).toBe(score);
    expect(r.band?.id).toBe(band);
  });

  it('bands are marked "reported", to be checked against the official results', () => {
    for (const b of s.bands!) {
      expect(b.source.kind).toBe('reported');
      expect(b.source.text).toMatch(/check against the official/);
    }
  });

  it('one missing item → missing', () => {
    const r = scoreInstrument(s, { [q[0]!]: 4, [q[1]!]: 4 });
    expect(r.score).toBeNull();
    expect(r.reasonMissing).toContain('1 of 3 items missing');
  });
});

describe('UCLA 3-item, Hughes 3-point', () => {
  const s = scale('ucla3-hughes');
  const q = s.items.map((i) => i.question);
  const answers = (a: number, b: number, c: number) => ({ [q[0]!]: a, [q[1]!]: b, [q[2]!]: c });

  it('range 3–9; no reverse items', () => {
    expect(scoreInstrument(s, answers(1, 1, 1)).score).toBe(3);
    expect(scoreInstrument(s, answers(3, 3, 3)).score).toBe(9);
    expect(s.items.some((i) => i.reverse)).toBe(false);
  });

  it('band edges 5 | 6 and the conventional dichotomy', () => {
    const five = scoreInstrument(s, answers(2, 2, 1));
    expect([five.score, five.band?.id, five.dichotomy]).toEqual([5, 'not_lonely', false]);
    const six = scoreInstrument(s, answers(2, 2, 2));
    expect([six.score, six.band?.id, six.dichotomy]).toEqual([6, 'lonely', true]);
    expect(scoreInstrument(s, answers(1, 1, 1)).dichotomy).toBe(false);
    expect(scoreInstrument(s, answers(3, 3, 3)).dichotomy).toBe(true);
    expect(s.dichotomy!.source.kind).toBe('convention');
  });

  it('4 is not a valid answer on the 3-point form', () => {
    const r = scoreInstrument(s, answers(4, 1, 1));
    expect(r.score).toBeNull();
    expect(r.invalidItems).toEqual([q[0]]);
  });
});

describe('national direct question', () => {
  const s = scale('loneliness-direct');
  it.each([
    [1, 'never', false],
    [2, 'hardly_ever', false],
    [3, 'occasionally', true],
    [4, 'sometimes', true],
    [5, 'often_always', true],
  ])('answer %i → band %s, lonely %s', (v, band, lonely) => {
    const r = scoreInstrument(s, { direct_loneliness: v });
    expect(r.score).toBe(v);
    expect(r.band?.id).toBe(band);
    expect(r.dichotomy).toBe(lonely);
  });
  it('no answer → missing', () => {
    expect(scoreInstrument(s, {}).reasonMissing).toContain('1 of 1 item missing');
  });
});

describe('De Jong Gierveld 6-item', () => {
  const s = scale('djg6');
  const EMO = ['djg6_emptiness', 'djg6_miss_people', 'djg6_rejected'];
  const SOC = ['djg6_rely', 'djg6_trust', 'djg6_close'];
  const answers = (emo: string[], soc: string[]) => ({
    ...Object.fromEntries(EMO.map((q, k) => [q, emo[k]])),
    ...Object.fromEntries(SOC.map((q, k) => [q, soc[k]])),
  });

  it('emotional items score "yes"/"more or less"; social items score "no"/"more or less"', () => {
    const yes = scoreInstrument(s, all(s, 'yes'));
    expect([yes.score, yes.subscores]).toEqual([3, { emotional: 3, social: 0 }]);
    const no = scoreInstrument(s, all(s, 'no'));
    expect([no.score, no.subscores]).toEqual([3, { emotional: 0, social: 3 }]);
    const mol = scoreInstrument(s, all(s, 'more_or_less'));
    expect([mol.score, mol.subscores]).toEqual([6, { emotional: 3, social: 3 }]);
  });

  it('range 0–6', () => {
    const least = scoreInstrument(s, answers(['no', 'no', 'no'], ['yes', 'yes', 'yes']));
    expect([least.score, least.band?.id, least.dichotomy]).toEqual([0, 'not_lonely', false]);
    const most = scoreInstrument(s, answers(['yes', 'yes', 'yes'], ['no', 'no', 'no']));
    expect([most.score, most.band?.id, most.dichotomy]).toEqual([6, 'severe', true]);
  });

  it.each([
    [1, 'not_lonely', false],
    [2, 'moderate', true],
    [4, 'moderate', true],
    [5, 'severe', true],
  ])('band edge at %i → %s', (score, band, lonely) => {
    // `score` emotional/social points: fill emotional first, then social.
    const emo = EMO.map((_, k) => (k < Math.min(score, 3) ? 'yes' : 'no'));
    const soc = SOC.map((_, k) => (k < score - 3 ? 'no' : 'yes'));
    const r = scoreInstrument(s, answers(emo, soc));
    expect(r.score).toBe(score);
    expect(r.band?.id).toBe(band);
    expect(r.dichotomy).toBe(lonely);
  });

  it('one missing item: total from the 5 answered items; its subscale is missing', () => {
    const a = all(s, 'more_or_less');
    delete a['djg6_trust'];
    const r = scoreInstrument(s, a);
    expect(r.score).toBe(5);
    expect(r.subscores).toEqual({ emotional: 3, social: null });
    expect(r.subscoreReasons.social).toContain('1 of 3 items missing');
    expect(r.reasonMissing).toBeNull();
    expect(r.missingItems).toEqual(['djg6_trust']);
  });

  it('two missing items: total missing, with the De Jong Gierveld rule named', () => {
    const a = all(s, 'yes');
    delete a['djg6_trust'];
    delete a['djg6_emptiness'];
    const r = scoreInstrument(s, a);
    expect(r.score).toBeNull();
    expect(r.reasonMissing).toBe('6 項目中 2 項目が欠損。採点規則で認める欠損は 1 項目までです。 2 of 6 items missing; the De Jong Gierveld rule allows at most 1.');
    expect(r.subscores).toEqual({ emotional: null, social: null });
    expect(r.band).toBeNull();
    expect(r.dichotomy).toBeNull();
    expect(r.answeredItems).toBe(4);
  });

  it('numeric codes are not accepted for yes/no items', () => {
    expect(scoreInstrument(s, all(s, 1)).invalidItems).toHaveLength(6);
  });
});

describe('LSNS-6', () => {
  const s = scale('lsns6');
  const FAM = ['lsns6_family_contact', 'lsns6_family_private', 'lsns6_family_help'];
  const FRI = ['lsns6_friends_contact', 'lsns6_friends_private', 'lsns6_friends_help'];
  const answers = (f: number[], g: number[]) => ({
    ...Object.fromEntries(FAM.map((q, k) => [q, f[k]])),
    ...Object.fromEntries(FRI.map((q, k) => [q, g[k]])),
  });

  it('range 0–30 with family and friends subscales 0–15', () => {
    const zero = scoreInstrument(s, all(s, 0));
    expect([zero.score, zero.subscores]).toEqual([0, { family: 0, friends: 0 }]);
    const top = scoreInstrument(s, all(s, 5));
    expect([top.score, top.subscores]).toEqual([30, { family: 15, friends: 15 }]);
    expect(scoreInstrument(s, answers([5, 5, 5], [0, 1, 2])).subscores).toEqual({ family: 15, friends: 3 });
  });

  it('cut-off: 11 → at risk of isolation, 12 → not', () => {
    const eleven = scoreInstrument(s, answers([2, 2, 2], [2, 2, 1]));
    expect([eleven.score, eleven.band?.id, eleven.dichotomy]).toEqual([11, 'isolation_risk', true]);
    const twelve = scoreInstrument(s, answers([2, 2, 2], [2, 2, 2]));
    expect([twelve.score, twelve.band?.id, twelve.dichotomy]).toEqual([12, 'no_isolation_risk', false]);
  });

  it('any missing item → total missing; only the affected subscale is missing', () => {
    const a = all(s, 3);
    delete a['lsns6_friends_help'];
    const r = scoreInstrument(s, a);
    expect(r.score).toBeNull();
    expect(r.subscores).toEqual({ family: 9, friends: null });
  });

  it('6 is not a valid answer', () => {
    expect(scoreInstrument(s, all(s, 6)).score).toBeNull();
  });
});

describe('contact-frequency isolation (JAGES style)', () => {
  const s = scale('contact-isolation');
  const Q = ['contact_family_meet', 'contact_family_remote', 'contact_friends_meet', 'contact_friends_remote'];
  const answers = (...v: number[]) => Object.fromEntries(Q.map((q, k) => [q, v[k]]));

  it('range 0–103.2 contacts per month', () => {
    expect(scoreInstrument(s, answers(1, 1, 1, 1)).score).toBe(0);
    expect(scoreInstrument(s, answers(6, 6, 6, 6)).score).toBe(103.2);
  });

  it('weekly threshold (default): below 4.3 contacts a month is isolated', () => {
    const none = scoreInstrument(s, answers(1, 1, 1, 1));
    expect([none.band?.id, none.dichotomy, none.dichotomyId]).toEqual(['below_monthly', true, 'isolated_weekly']);
    // Two "1–3 times a month" answers = 4 < 4.3: still isolated on the weekly rule.
    const four = scoreInstrument(s, answers(3, 3, 1, 1));
    expect([four.score, four.band?.id, four.dichotomy]).toEqual([4, 'below_weekly', true]);
    // One "about once a week" = 4.3: the edge is not isolated.
    const weekly = scoreInstrument(s, answers(1, 1, 4, 1));
    expect([weekly.score, weekly.band?.id, weekly.dichotomy]).toEqual([4.3, 'weekly_or_more', false]);
  });

  it('monthly threshold (alternative): only below 1 contact a month is isolated', () => {
    const opt = { dichotomyId: 'isolated_monthly' };
    // Four "a few times a year" = 4 × 0.25 = 1.0: the edge of "at least monthly".
    const one = scoreInstrument(s, answers(2, 2, 2, 2), opt);
    expect([one.score, one.band?.id, one.dichotomy, one.dichotomyId]).toEqual([1, 'below_weekly', false, 'isolated_monthly']);
    const below = scoreInstrument(s, answers(2, 2, 2, 1), opt);
    expect([below.score, below.band?.id, below.dichotomy]).toEqual([0.75, 'below_monthly', true]);
    expect(scoreInstrument(s, answers(3, 3, 1, 1), opt).dichotomy).toBe(false);
  });

  it('an unknown threshold id is a clear error', () => {
    expect(() => scoreInstrument(s, answers(1, 1, 1, 1), { dichotomyId: 'daily' })).toThrow(
      /no dichotomy "daily"; available: isolated_weekly, isolated_monthly/,
    );
  });

  it('family and friends subscores; a missing item makes the total missing', () => {
    expect(scoreInstrument(s, answers(4, 3, 1, 2)).subscores).toEqual({ family: 6.3, friends: 0.25 });
    const r = scoreInstrument(s, { contact_family_meet: 6 });
    expect(r.score).toBeNull();
    expect(r.reasonMissing).toContain('3 of 4 items missing');
  });
});

describe('scorer rules beyond the shipped templates', () => {
  const base = ScaleDefinitionSchema.parse({
    id: 'toy',
    label: { ja: 'テスト', en: 'Toy' },
    items: [{ question: 'a' }, { question: 'b', reverse: true }, { question: 'c' }, { question: 'd' }],
    answerValues: { min: 0, max: 3 },
    method: 'sum',
    range: { min: 0, max: 12 },
    missing: { type: 'prorate', minAnswered: 3, rounding: 'none' },
    bands: [
      { id: 'low', label: { ja: '低', en: 'low' }, min: 0, lessThan: 6, source: { kind: 'template', text: 'test band' } },
      { id: 'high', label: { ja: '高', en: 'high' }, min: 6, max: 12, source: { kind: 'template', text: 'test band' } },
    ],
    dichotomy: { id: 'hi', label: { ja: '高', en: 'high' }, yesBands: ['high'], source: { kind: 'template', text: 'test' } },
  });

  it('prorates only when the rule says so, and only above the minimum answered', () => {
    // a=1, b=3 (reversed → 0), c=2, d missing → sum 3, prorated 3 × 4/3 = 4
    expect(scoreInstrument(base, { a: 1, b: 3, c: 2 }).score).toBe(4);
    const r = scoreInstrument(base, { a: 1, b: 3 });
    expect(r.score).toBeNull();
    expect(r.reasonMissing).toContain('2 of 4 items missing; the scoring rule needs at least 3 answered items to prorate.');
    const rounded = { ...base, missing: { type: 'prorate' as const, minAnswered: 3, rounding: 'nearest' as const } };
    expect(scoreInstrument(rounded, { a: 1, b: 2, c: 1 }).score).toBe(4); // 3 × 4/3 = 4
    expect(scoreInstrument(rounded, { a: 2, b: 2, c: 1 }).score).toBe(5); // 4 × 4/3 = 5.33 → 5
    expect(scoreInstrument(base, { a: 2, b: 2, c: 1 }).score).toBe(5.333333);
  });

  it('lessThan bands exclude their upper edge', () => {
    const six = scoreInstrument(base, { a: 3, b: 0, c: 0, d: 0 }); // b reversed: 3 − 0 = 3
    expect([six.score, six.band?.id, six.dichotomy]).toEqual([6, 'high', true]);
    const fiveHalf = scoreInstrument(base, { a: 2, b: 0, c: 0 }); // 5 × 4/3 = 6.67 → high
    expect(fiveHalf.band?.id).toBe('high');
    const five = scoreInstrument(base, { a: 2, b: 0, c: 0, d: 0 });
    expect([five.score, five.band?.id, five.dichotomy]).toEqual([5, 'low', false]);
  });

  it('schema rejects undefined value maps, reverse+valueMap and bands outside the range', () => {
    const raw = {
      id: 'x',
      label: { ja: 'x', en: 'x' },
      items: [{ question: 'a', valueMap: 'nope' }],
      method: 'sum',
      range: { min: 0, max: 1 },
      missing: { type: 'maxMissing', max: 0 },
    };
    expect(ScaleDefinitionSchema.safeParse(raw).success).toBe(false);
    const both = { ...raw, valueMaps: { nope: [{ value: 'y', score: 1 }, { value: 'n', score: 0 }] }, items: [{ question: 'a', valueMap: 'nope', reverse: true }] };
    expect(ScaleDefinitionSchema.safeParse(both).success).toBe(false);
    const ok = { ...both, items: [{ question: 'a', valueMap: 'nope' }] };
    expect(ScaleDefinitionSchema.safeParse(ok).success).toBe(true);
    const badBand = { ...ok, bands: [{ id: 'b', label: { ja: 'b', en: 'b' }, min: 0, max: 2, source: { kind: 'template', text: 't' } }] };
    expect(ScaleDefinitionSchema.safeParse(badBand).success).toBe(false);
    expect(ScaleDefinitionSchema.safeParse({ ...ok, missing: { type: 'maxMissing', max: 1 } }).success).toBe(false);
  });
});
