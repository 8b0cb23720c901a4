import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNationalReference, nationalReference, NationalReferenceError } from '../../src/national/reference.js';
import { ageBandsOf } from '../../src/national/referenceCsv.js';

/** A copy of a shipped template folder whose national.json is changed by `edit`. */
function brokenCopy(template: string, edit: (json: Record<string, any>) => void): string {
  const folder = join(mkdtempSync(join(tmpdir(), 'national-')), template);
  cpSync(join('surveys', template), folder, { recursive: true });
  const json = JSON.parse(readFileSync(join(folder, 'national.json'), 'utf8'));
  edit(json);
  writeFileSync(join(folder, 'national.json'), JSON.stringify(json));
  return folder;
}

describe('national reference files', () => {
  it('direct question: R3–R5 full rows (✓), R6 partial (◐), as published', () => {
    const ref = nationalReference('loneliness-direct');
    const overall = ref.rows.filter((r) => !r.group);
    expect(overall.map((r) => [r.wave, r.confidence])).toEqual([['R3', 'confirmed'], ['R4', 'confirmed'], ['R5', 'confirmed'], ['R6', 'single']]);
    const r5 = overall[2];
    expect(r5.n).toBe(11141);
    expect(r5.percents).toEqual({ 5: 4.8, 4: 14.8, 3: 19.7, 2: 41.4, 1: 17.9, noAnswer: 1.5, any: 39.3 });
    // R6: only what was reported; the rest stays missing.
    expect(Object.keys(overall[3].percents).sort()).toEqual(['3', '4', '5', 'any']);
    for (const r of overall.slice(0, 3)) {
      const sum = ref.categories.reduce((a, c) => a + r.percents[c.key], 0) + r.percents.noAnswer;
      expect(Math.abs(sum - 100)).toBeLessThanOrEqual(0.2);
    }
  });

  it('UCLA 3 items: only the rebuilt R4 rows, every one marked reconstructed', () => {
    const ref = nationalReference('ucla3-national');
    expect(ref.rows).toHaveLength(3);
    for (const r of ref.rows) expect(r.confidence).toBe('reconstructed');
    // The female and male rows weighted by n reproduce the overall row, as the reference says.
    const [all, female, male] = ref.rows;
    for (const c of ref.categories) {
      const weighted = (female.percents[c.key] * female.n! + male.percents[c.key] * male.n!) / (female.n! + male.n!);
      expect(Math.abs(weighted - all.percents[c.key])).toBeLessThan(0.1);
    }
  });

  it('refuses a malformed file, naming the file and the field', () => {
    const folder = brokenCopy('loneliness-direct', (j) => (j.rows[0].confidence = 'sure'));
    expect(() => loadNationalReference(folder)).toThrow(NationalReferenceError);
    expect(() => loadNationalReference(folder)).toThrow(/national\.json: rows\.0\.confidence/);
  });

  it('refuses a figure for a category the question does not have', () => {
    const folder = brokenCopy('loneliness-direct', (j) => (j.rows[1].percents['6'] = 2.0));
    expect(() => loadNationalReference(folder)).toThrow(/rows\.1\.percents has "6"/);
  });

  it('refuses categories that are not the scale’s bands', () => {
    const folder = brokenCopy('ucla3-national', (j) => (j.categories[0].key = 'score_10_11'));
    expect(() => loadNationalReference(folder)).toThrow(/categories .* must be exactly the measure's/);
  });

  it('refuses a row of a wave it does not describe', () => {
    const folder = brokenCopy('ucla3-national', (j) => (j.rows[0].wave = 'R9'));
    expect(() => loadNationalReference(folder)).toThrow(/rows\.0\.wave "R9" is not listed in waves/);
  });
});

describe('age bands of an e-Stat table', () => {
  it('reads the usual labels as the profile question’s bands, however the dash is typed', () => {
    expect(ageBandsOf('16〜19歳')).toEqual(['16_19']);
    expect(ageBandsOf('２０～２９歳')).toEqual(['20_29']);
    expect(ageBandsOf('60代')).toEqual(['60_64', '65_69']);
    expect(ageBandsOf('70歳代')).toEqual(['70_74', '75_79']);
    expect(ageBandsOf('70歳以上')).toEqual(['70_74', '75_79', '80_plus']);
  });

  it('refuses a band the profile question cannot match exactly', () => {
    expect(ageBandsOf('25〜34歳')).toBeNull();
    expect(ageBandsOf('15〜19歳')).toBeNull();
    expect(ageBandsOf('高齢者')).toBeNull();
  });
});
