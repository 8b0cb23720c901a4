import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeQuestionnaire } from '../../src/questionnaires/compose.js';
import { wordingWarnings } from '../../src/questionnaires/wordingCheck.js';

const templates = readdirSync('surveys').map((id) => ({
  id,
  survey: JSON.parse(readFileSync(`surveys/${id}/survey.json`, 'utf8')),
  scales: JSON.parse(readFileSync(`surveys/${id}/template.json`, 'utf8')).scoring?.scales ?? [],
}));

describe('wording participants read around a scale', () => {
  it('every shipped template passes: neutral headings, no instrument names', () => {
    for (const t of templates) expect(wordingWarnings(t.survey, t.scales), t.id).toEqual([]);
  });

  it('all templates for individuals composed together still pass; the organisation survey asking about 孤独・孤立 work is flagged beside a scale', () => {
    const individual = templates.map((t) => t.id).filter((id) => id !== 'kesennuma-org-survey');
    const together = composeQuestionnaire({ title: '人々のつながりに関する調査', templateIds: individual });
    expect(wordingWarnings(together.definition, together.scoring)).toEqual([]);
    const mixed = composeQuestionnaire({ title: '調査', templateIds: ['ucla3-national', 'kesennuma-org-survey'] });
    expect(wordingWarnings(mixed.definition, mixed.scoring).map((w) => w.where).join()).toContain('「kesen_anti_isolation」');
  });

  it('names an instrument or the word 孤独 around an indirect scale, wherever participants read it', () => {
    const { definition, scoring } = composeQuestionnaire({ title: '孤独感（UCLA 3項目・全国調査 4件法）', introduction: '孤立についての調査です', templateIds: ['ucla3-national'] });
    const found = wordingWarnings(definition, scoring);
    expect(found.map((w) => w.where)).toEqual(['アンケートのタイトル', 'アンケートの説明']);
    expect(found[0].message_ja).toContain('尺度の名前');
    expect(found[1].message_ja).toContain('孤独');
  });

  it('leaves validated item wording alone, and lets a direct question say what it asks', () => {
    const national = composeQuestionnaire({ title: 'つながりの調査', templateIds: ['ucla3-national'] }); // an item says 孤立している
    expect(wordingWarnings(national.definition, national.scoring)).toEqual([]);
    const direct = composeQuestionnaire({ title: '孤独についての調査', templateIds: ['loneliness-direct'] });
    expect(wordingWarnings(direct.definition, direct.scoring)).toEqual([]);
  });
});

describe('scale items a participant may skip', () => {
  it('are optional wherever the scale still scores with one missing, required only where a gap leaves no score', () => {
    for (const t of templates) {
      const required = new Set(
        (t.survey.pages as { elements: { name: string; isRequired?: boolean }[] }[]).flatMap((p) => p.elements.filter((e) => e.isRequired).map((e) => e.name)),
      );
      for (const scale of t.scales as { id: string; missing: { type: string; max?: number }; items: { question: string }[] }[]) {
        const canSkip = scale.missing.type === 'prorate' || (scale.missing.max ?? 0) > 0;
        if (canSkip) expect(scale.items.filter((i) => required.has(i.question)), `${t.id}/${scale.id}`).toEqual([]);
      }
    }
  });
});
