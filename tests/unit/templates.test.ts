import { mkdtempSync, mkdirSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonObject, Model, surveyLocalization, type Question } from 'survey-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_SURVEYS_DIR,
  getTemplate,
  listTemplates,
  loadTemplateLibrary,
  UnknownTemplateError,
  type Template,
} from '../../src/questionnaires/templateLibrary.js';
import { scoreInstrument, bandFor } from '../../analysis/scoreInstrument.js';
import { ScaleDefinitionSchema, type ScaleDefinition } from '../../analysis/scoringSchema.js';

const EXPECTED: Record<string, 'instrument' | 'programme' | 'block'> = {
  'loneliness-direct': 'instrument',
  'ucla3-national': 'instrument',
  'ucla3-hughes': 'instrument',
  'ucla-ls3': 'instrument',
  djg6: 'instrument',
  lsns6: 'instrument',
  'contact-isolation': 'instrument',
  'kesennuma-org-survey': 'programme',
  'kanuma-feedback': 'programme',
  'post-activity': 'programme',
  profile: 'block',
};

const library = loadTemplateLibrary();
const templates: [string, Template][] = [...library.entries()];

function model(t: Template): Model {
  return new Model(structuredClone(t.survey));
}

/** A question's choice values as survey-core sees them. */
function choiceValues(q: Question): unknown[] {
  const choices = (q as unknown as { choices?: { value: unknown }[] }).choices;
  return (choices ?? []).map((c) => c.value);
}

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;

/** Every localisable-string object ({ default, en, ... }) in a SurveyJS JSON tree. */
function localisedStrings(node: unknown, path = ''): { path: string; value: Record<string, unknown> }[] {
  if (!node || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap((n, k) => localisedStrings(n, `${path}[${k}]`));
  const o = node as Record<string, unknown>;
  if ('default' in o && typeof o.default === 'string') return [{ path, value: o }];
  return Object.entries(o).flatMap(([k, v]) => localisedStrings(v, `${path}.${k}`));
}

describe('template library', () => {
  it('ships exactly the expected templates, with the expected kinds', () => {
    expect(Object.fromEntries(templates.map(([id, t]) => [id, t.meta.kind]))).toEqual(EXPECTED);
  });

  it('listTemplates gives summaries with question counts and scale ids', () => {
    const list = listTemplates();
    expect(list.map((t) => t.id).sort()).toEqual(Object.keys(EXPECTED).sort());
    const ls3 = list.find((t) => t.id === 'ucla-ls3')!;
    expect(ls3.questionCount).toBe(20);
    expect(ls3.scales).toEqual(['ucla_ls3']);
    expect(list.find((t) => t.id === 'profile')!.scales).toEqual([]);
  });

  it('getTemplate returns copies and throws a clear error for an unknown id', () => {
    const a = getTemplate('djg6');
    (a.survey as { title?: unknown }).title = 'changed';
    expect(getTemplate('djg6').survey.title).not.toBe('changed');
    expect(() => getTemplate('no-such-template')).toThrow(UnknownTemplateError);
    expect(() => getTemplate('no-such-template')).toThrow(/Unknown template "no-such-template"/);
  });
});

describe.each(templates)('template %s', (id, t) => {
  it('loads in survey-core without JSON errors (no unknown properties or types)', () => {
    const m = model(t);
    expect(m.jsonErrors ?? []).toEqual([]);
    const jsonObj = new JsonObject();
    jsonObj.toObject(structuredClone(t.survey), new Model());
    expect(jsonObj.errors.map((e) => e.message)).toEqual([]);
    expect(m.getAllQuestions().length).toBeGreaterThan(0);
  });

  it('has unique question names that share one template prefix', () => {
    const names = model(t)
      .getAllQuestions()
      .map((q) => q.name);
    expect(new Set(names).size).toBe(names.length);
    const prefixes = new Set(names.map((n) => n.split('_')[0]));
    expect(prefixes.size).toBe(1);
    for (const n of names) expect(n).toMatch(/^[a-z0-9]+_[a-z0-9_]+$/);
  });

  it('uses numeric values for scale items and ascii codes otherwise', () => {
    for (const q of model(t).getAllQuestions()) {
      for (const v of choiceValues(q)) {
        if (typeof v === 'string') expect(v, `${q.name}`).toMatch(/^[a-z0-9_]+$/);
        else expect(typeof v, `${q.name}`).toBe('number');
      }
      const values = choiceValues(q);
      expect(new Set(values).size, `${q.name} repeats a choice value`).toBe(values.length);
    }
  });

  it('localises strings as { default, en }, default in the template language', () => {
    const strings = localisedStrings(t.survey);
    expect(strings.length).toBeGreaterThan(0);
    const japanese = t.meta.languages.includes('ja');
    for (const { path, value } of strings) {
      expect(typeof value.en, `${path} needs an English text`).toBe('string');
      if (japanese) expect(value.default as string, `${path} default should be Japanese`).toMatch(JAPANESE);
      else expect(value.default, `${path}: English-only template`).toBe(value.en);
    }
    // Every question has a localised title, and every choice a localised text.
    for (const q of model(t).getAllQuestions()) {
      const qj = q.toJSON() as { title?: unknown; choices?: { text?: unknown }[] };
      expect(typeof qj.title, `${q.name} title`).toBe('object');
      for (const c of qj.choices ?? []) expect(typeof c.text, `${q.name} choice text`).toBe('object');
    }
  });

  // Templates store Japanese under "default". survey-core resolves "default" as its default locale,
  // which is 'en' unless changed, so the app must set surveyLocalization.defaultLocale = 'ja'
  // (server and browser) for the "en" texts to be used at all. This test does the same.
  describe('with surveyLocalization.defaultLocale = "ja"', () => {
    let before: string;
    beforeAll(() => {
      before = surveyLocalization.defaultLocale;
      surveyLocalization.defaultLocale = 'ja';
    });
    afterAll(() => {
      surveyLocalization.defaultLocale = before;
    });
    it('survey-core shows Japanese and English texts when the locale changes', () => {
      const m = model(t);
      const q = m.getAllQuestions()[0]!;
      m.locale = 'en';
      const en = q.locTitle.renderedHtml;
      expect(en).not.toMatch(JAPANESE);
      if (t.meta.languages.includes('ja')) {
        m.locale = 'ja';
        expect(q.locTitle.renderedHtml).toMatch(JAPANESE);
      }
    });
  });

  it('scoring metadata names only existing questions, with values their choices allow', () => {
    const m = model(t);
    for (const scale of t.meta.scoring?.scales ?? []) {
      for (const item of scale.items) {
        const q = m.getQuestionByName(item.question);
        expect(q, `${scale.id}: ${item.question} exists`).toBeTruthy();
        expect(q.getType()).toBe('radiogroup');
        const values = choiceValues(q);
        if (item.valueMap) {
          const mapped = scale.valueMaps![item.valueMap]!.map((e) => e.value);
          expect([...values].sort()).toEqual([...mapped].sort());
        } else {
          const { min, max } = scale.answerValues!;
          const expected = Array.from({ length: max - min + 1 }, (_, k) => min + k);
          expect([...(values as number[])].sort((a, b) => a - b)).toEqual(expected);
        }
      }
      for (const sub of scale.subscales ?? []) {
        for (const q of sub.items) expect(scale.items.map((i) => i.question)).toContain(q);
      }
    }
  });

  it.each((t.meta.scoring?.scales ?? []).map((s) => [s.id, s] as const))(
    'scale %s: range matches the items, bands cover every reachable score exactly once',
    (_sid, scale) => {
      const m = model(t);
      // Per-item reachable item scores, computed by the scorer itself from the survey's choices.
      const perItem = scale.items.map((item) => {
        const q = m.getQuestionByName(item.question);
        const one: ScaleDefinition = { ...scale, items: [item], subscales: [], range: { min: -1e9, max: 1e9 } };
        return choiceValues(q).map((v) => {
          const r = scoreInstrument(one, { [item.question]: v });
          expect(r.score, `${item.question}=${String(v)} scores`).not.toBeNull();
          return r.score!;
        });
      });
      const min = perItem.reduce((a, s) => a + Math.min(...s), 0);
      const max = perItem.reduce((a, s) => a + Math.max(...s), 0);
      expect(min).toBeCloseTo(scale.range.min, 6);
      expect(max).toBeCloseTo(scale.range.max, 6);

      // Reachable totals: enumerate when small, else every integer in range (integer item scores).
      let reachable = new Set<number>([0]);
      const combos = perItem.reduce((a, s) => a * s.length, 1);
      if (combos <= 50_000) {
        for (const s of perItem) {
          const next = new Set<number>();
          for (const a of reachable) for (const b of s) next.add(Math.round((a + b) * 1e6) / 1e6);
          reachable = next;
        }
      } else {
        expect(perItem.flat().every(Number.isInteger)).toBe(true);
        reachable = new Set(Array.from({ length: max - min + 1 }, (_, k) => min + k));
      }
      if (scale.bands?.length) {
        for (const score of reachable) {
          const hits = scale.bands.filter((b) => bandFor([b], score) !== null).map((b) => b.id);
          expect(hits, `score ${score}`).toHaveLength(1);
        }
      }
      // Subscale ranges add up from their items.
      for (const sub of scale.subscales ?? []) {
        const idx = sub.items.map((q) => scale.items.findIndex((i) => i.question === q));
        expect(idx.reduce((a, k) => a + Math.min(...perItem[k]!), 0)).toBeCloseTo(sub.range.min, 6);
        expect(idx.reduce((a, k) => a + Math.max(...perItem[k]!), 0)).toBeCloseTo(sub.range.max, 6);
      }
      // Every band and dichotomy says where it comes from.
      for (const b of scale.bands ?? []) expect(b.source.text.length).toBeGreaterThan(10);
      if (scale.dichotomy) expect(scale.dichotomy.source.text.length).toBeGreaterThan(10);
      // Every scale says which end is better, in words the report can print beside the score.
      expect(scale.higherIs, `${scale.id}: higherIs`).toMatch(/^(better|worse)$/);
      expect(scale.direction?.ja).toMatch(/^点数.*高い|^点数.*多い/);
      expect(scale.direction?.ja.endsWith(scale.higherIs === 'worse' ? '（悪い）' : '（良い）')).toBe(true);
      expect(scale.direction?.en).toMatch(scale.higherIs === 'worse' ? /\(worse\)$/ : /\(better\)$/);
    },
  );
});

describe('score directions', () => {
  it('loneliness scores are worse when high; network and contact scores better', () => {
    const direction = Object.fromEntries(templates.flatMap(([, t]) => (t.meta.scoring?.scales ?? []).map((s) => [s.id, s.higherIs])));
    expect(direction).toEqual({
      contact_isolation: 'better',
      djg6: 'worse',
      direct_loneliness: 'worse',
      lsns6: 'better',
      ucla_ls3: 'worse',
      ucla3_hughes: 'worse',
      ucla3_national: 'worse',
    });
  });

  it('a direction text without higherIs is refused', () => {
    const scale = library.get('ucla3-national')!.meta.scoring!.scales[0]!;
    expect(ScaleDefinitionSchema.safeParse({ ...scale, higherIs: undefined }).success).toBe(false);
    expect(ScaleDefinitionSchema.safeParse({ ...scale, higherIs: 'lower' }).success).toBe(false);
    expect(ScaleDefinitionSchema.safeParse(scale).success).toBe(true);
  });
});

describe('template contents that the evaluations rely on', () => {
  const q = (templateId: string, name: string) => model(library.get(templateId)!).getQuestionByName(name);
  const texts = (templateId: string, name: string) =>
    ((q(templateId, name).toJSON() as { choices: { text: { default: string } }[] }).choices ?? []).map((c) => c.text.default);

  it('kesennuma: cities, 9 legal types and the 16 activity targets in printed order', () => {
    expect(texts('kesennuma-org-survey', 'kesen_city')).toEqual(['大船渡市', '陸前高田市', '気仙沼市']);
    expect(choiceValues(q('kesennuma-org-survey', 'kesen_city'))).toEqual(['ofunato', 'rikuzentakata', 'kesennuma']);
    expect(texts('kesennuma-org-survey', 'kesen_legal_type')).toEqual([
      '特定非営利活動法人', '社会福祉法人', '公益社団法人', '公益財団法人', '一般社団法人', '一般財団法人', '医療法人', '法人化していない', 'その他',
    ]);
    expect(q('kesennuma-org-survey', 'kesen_targets').getType()).toBe('checkbox');
    expect(texts('kesennuma-org-survey', 'kesen_targets')).toEqual([
      '高齢者(65歳以上)', '子ども', '女性', '男性', 'ジェンダー', 'ひとり親', '障がい者', 'ホームレス', '引きこもり', '不登校',
      'ヤングケアラー', 'ネグレクト', '貧困', '被差別', '日本以外にルーツを持つ方', 'その他',
    ]);
    expect(texts('kesennuma-org-survey', 'kesen_anti_isolation')).toEqual(['つながっている', 'つながっていない', 'わからない']);
    expect(q('kesennuma-org-survey', 'kesen_anti_isolation').title).toContain('「孤独・孤立」対策につながっている');
    expect(texts('kesennuma-org-survey', 'kesen_main_funding')).toContain('助成金・補助金');
    const problems = texts('kesennuma-org-survey', 'kesen_problems').join(' ');
    for (const w of ['ヒト', 'カネ', '組織運営']) expect(problems).toContain(w);
    expect(texts('kesennuma-org-survey', 'kesen_network_benefits').slice(0, 3)).toEqual(['情報', '人脈', '気付き']);
    // The invented Q26 options are declared as a judgement call in the metadata.
    const notes = library.get('kesennuma-org-survey')!.meta.notes!.map((n) => n.en).join(' ');
    expect(notes).toMatch(/Q26.*not printed/);
  });

  it('kanuma: four satisfaction levels and needed/not needed', () => {
    expect(texts('kanuma-feedback', 'kanuma_satisfaction')).toEqual(['とても満足', '満足', 'やや不満足', '不満足']);
    expect(texts('kanuma-feedback', 'kanuma_support_needed')).toEqual(['必要', '不要']);
    for (const n of ['kanuma_satisfaction_reason', 'kanuma_helped', 'kanuma_future_needs']) {
      expect(q('kanuma-feedback', n).getType()).toBe('comment');
    }
  });

  it('post-activity: the five statements of the case book', () => {
    const titles = model(library.get('post-activity')!)
      .getAllQuestions()
      .map((x) => x.title);
    for (const s of ['参加してよかった', '他の参加者と交流できた', '新しい友だちができた', '考え方や気分にポジティブな変化があった', 'また参加したい']) {
      expect(titles).toContain(s);
    }
  });

  it('licensed or unvalidated wording is flagged, never presented as validated', () => {
    const ls3 = library.get('ucla-ls3')!;
    expect(ls3.meta.licence).toMatch(/copyright/i);
    for (const x of model(ls3).getAllQuestions()) {
      expect((x.toJSON() as { title: { en: string } }).title.en).toMatch(/enter the licensed wording/);
    }
    for (const id of ['ucla3-hughes', 'djg6']) {
      const meta = library.get(id)!.meta;
      expect(meta.languages).toEqual(['en']);
      expect(meta.languageStatus?.ja?.status).not.toBe('validated');
    }
    expect(library.get('lsns6')!.meta.licence).toMatch(/permission/i);
  });
});

describe('loading errors name the folder', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const scratch = () => {
    const d = mkdtempSync(join(tmpdir(), 'templates-'));
    dirs.push(d);
    return d;
  };

  it('rejects an invalid template.json', () => {
    const dir = scratch();
    cpSync(join(DEFAULT_SURVEYS_DIR, 'djg6'), join(dir, 'djg6'), { recursive: true });
    writeFileSync(join(dir, 'djg6', 'template.json'), JSON.stringify({ id: 'djg6', kind: 'scale' }));
    expect(() => loadTemplateLibrary(dir)).toThrow(/Template folder ".*djg6": template\.json is invalid: kind/);
  });

  it('rejects scoring that names a question the survey does not have', () => {
    const dir = scratch();
    cpSync(join(DEFAULT_SURVEYS_DIR, 'lsns6'), join(dir, 'lsns6'), { recursive: true });
    const meta = structuredClone(library.get('lsns6')!.meta);
    meta.scoring!.scales[0]!.items[0]!.question = 'lsns6_nope';
    meta.scoring!.scales[0]!.subscales![0]!.items[0] = 'lsns6_nope';
    writeFileSync(join(dir, 'lsns6', 'template.json'), JSON.stringify(meta));
    expect(() => loadTemplateLibrary(dir)).toThrow(/lsns6.*"lsns6_nope", which is not in survey\.json/);
  });

  it('rejects a folder whose id differs and duplicate question names across templates', () => {
    const dir = scratch();
    cpSync(join(DEFAULT_SURVEYS_DIR, 'profile'), join(dir, 'profile'), { recursive: true });
    mkdirSync(join(dir, 'profile-copy'));
    cpSync(join(DEFAULT_SURVEYS_DIR, 'profile'), join(dir, 'profile-copy'), { recursive: true });
    expect(() => loadTemplateLibrary(dir)).toThrow(/profile-copy.*id "profile" but the folder is named "profile-copy"/);
    const meta = { ...library.get('profile')!.meta, id: 'profile-copy' };
    writeFileSync(join(dir, 'profile-copy', 'template.json'), JSON.stringify(meta));
    expect(() => loadTemplateLibrary(dir)).toThrow(/question name "profile_age_band" is also used by template "profile"/);
  });

  it('schema rejects a range that does not match the items', () => {
    const scale = structuredClone(library.get('ucla3-hughes')!.meta.scoring!.scales[0]!);
    expect(ScaleDefinitionSchema.safeParse(scale).success).toBe(true);
    const bad = { ...scale, range: { min: 3, max: 12 } };
    const r = ScaleDefinitionSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toMatch(/does not match the items \(3 items give 3–9\)/);
    const badBand = { ...scale, dichotomy: { ...scale.dichotomy!, yesBands: ['nope'] } };
    expect(ScaleDefinitionSchema.safeParse(badBand).success).toBe(false);
  });
});
