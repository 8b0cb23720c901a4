import { withoutNetwork } from './definitionSupport.js';
import { freshModel, type Question } from './surveyCore.js';
import { VersionCache } from './versionCache.js';

export type Category = { code: string; label: string };

export type CodebookEntry = {
  name: string;
  title: string;
  type: string;
  /** single: one code; multiple: a list of codes; text: free text; matrix: one code per row. */
  shape: 'single' | 'multiple' | 'text' | 'number' | 'matrix' | 'other';
  categories: Category[];
  rows: Category[];
};

const cache = new VersionCache<CodebookEntry[]>(200);

/**
 * Every question of a questionnaire version with its codes and Japanese labels, in order.
 * Published versions never change, so their codebook is kept by version id (building one costs ~100 ms).
 */
export function codebook(version: { id: string; status: string; definition: Record<string, unknown> }): CodebookEntry[] {
  const hit = cache.get(version.id);
  if (hit) return hit;
  const model = freshModel(withoutNetwork(version.definition));
  const entries = model.getAllQuestions(false).map((q: Question) => describe(q));
  if (version.status === 'published') cache.set(version.id, entries);
  return entries;
}

function describe(q: Question): CodebookEntry {
  const type = q.getType();
  const choices: Category[] = (q.choices ?? []).map((c: { value: unknown; text: string }) => ({ code: String(c.value), label: c.text }));
  if (q.hasOther) choices.push({ code: 'other', label: q.otherText });
  if (q.hasNone) choices.push({ code: 'none', label: q.noneText });
  const base = { name: q.getValueName(), title: q.title, type, categories: choices, rows: [] as Category[] };
  switch (type) {
    case 'radiogroup':
    case 'dropdown':
    case 'imagepicker':
      return { ...base, shape: 'single' };
    case 'checkbox':
    case 'tagbox':
      return { ...base, shape: 'multiple' };
    case 'rating': {
      const values: Category[] = q.visibleRateValues.map((v: { value: unknown; text: string }) => ({ code: String(v.value), label: v.text }));
      return { ...base, shape: 'single', categories: values };
    }
    case 'boolean':
      return { ...base, shape: 'single', categories: [{ code: 'true', label: q.locLabelTrue.renderedHtml }, { code: 'false', label: q.locLabelFalse.renderedHtml }] };
    case 'matrix':
      return {
        ...base,
        shape: 'matrix',
        categories: q.columns.map((c: { value: unknown; text: string }) => ({ code: String(c.value), label: c.text })),
        rows: q.rows.map((r: { value: unknown; text: string }) => ({ code: String(r.value), label: r.text })),
      };
    case 'text':
      return { ...base, shape: q.inputType === 'number' ? 'number' : 'text' };
    case 'comment':
      return { ...base, shape: 'text' };
    default:
      return { ...base, shape: 'other' };
  }
}
