/**
 * An organisation's national table by sex × age band (the official e-Stat 統計表, saved as CSV), read
 * into strata the standardisation uses. One row per sex and age band: 性別, 年齢, n (回答者数), then one
 * column per answer category as a percentage (headed by its label, e.g. 「しばしばある・常にある」 or
 * 「10〜12点」), and optionally 無回答. Every problem is reported with its row, and nothing is stored.
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { problems, type ProblemDetail } from '../http/problem.js';
import { AgeBandSchema, NO_ANSWER, SexSchema, type NationalReference } from './reference.js';

export const ReferenceStratumSchema = z
  .object({
    sex: SexSchema,
    /** The `profile` template's age-band codes this national band covers (60代 = 60_64 and 65_69). */
    ages: z.array(AgeBandSchema).min(1),
    label: z.string(),
    n: z.number().int().positive().nullable(),
    percents: z.record(z.string(), z.number().min(0).max(100)),
  })
  .strict();
export type ReferenceStratum = z.infer<typeof ReferenceStratumSchema>;

/** The profile template's bands as age ranges; a national band must be a union of whole bands. */
const PROFILE_BANDS: [z.infer<typeof AgeBandSchema>, number, number][] = [
  ['16_19', 16, 19], ['20_29', 20, 29], ['30_39', 30, 39], ['40_49', 40, 49], ['50_59', 50, 59],
  ['60_64', 60, 64], ['65_69', 65, 69], ['70_74', 70, 74], ['75_79', 75, 79], ['80_plus', 80, Infinity],
];

/** 「20〜29歳」「20代」「80歳以上」 (any dash or tilde, full-width digits) → the profile bands it covers. */
export function ageBandsOf(label: string): z.infer<typeof AgeBandSchema>[] | null {
  const text = label.normalize('NFKC').replace(/\s/g, '').replace(/[~〜～\-−ー–]/g, '〜');
  let range: [number, number] | null = null;
  let m: RegExpMatchArray | null;
  if ((m = text.match(/^(\d+)〜(\d+)歳?$/))) range = [Number(m[1]), Number(m[2])];
  else if ((m = text.match(/^(\d+)(?:歳)?代$/))) range = [Number(m[1]), Number(m[1]) + 9];
  else if ((m = text.match(/^(\d+)歳以上$/))) range = [Number(m[1]), Infinity];
  if (!range) return null;
  const [lo, hi] = range;
  const inside = PROFILE_BANDS.filter(([, a, b]) => a >= lo && b <= hi);
  if (!inside.length || inside[0][1] !== lo || inside[inside.length - 1][2] !== hi) return null;
  return inside.map(([code]) => code);
}

const SEXES: Record<string, 'male' | 'female'> = { 男性: 'male', 男: 'male', male: 'male', 女性: 'female', 女: 'female', female: 'female' };

/** The answer categories, 無回答, and how each may be headed: key, label, or the label before 「（」. */
function headerKeys(reference: NationalReference): Map<string, string> {
  const names = new Map<string, string>();
  for (const c of reference.categories) {
    for (const name of [c.key, c.label.ja, c.label.ja.split('（')[0]]) names.set(name.normalize('NFKC'), c.key);
  }
  names.set('無回答', NO_ANSWER);
  return names;
}

type RowError = NonNullable<ProblemDetail['errors']>[number];

export function parseReferenceCsv(text: string, reference: NationalReference): ReferenceStratum[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (e) {
    throw refused(`The file is not readable CSV (${(e as Error).message}).`, 'CSV として読み取れません。カンマ区切りの CSV（UTF-8）で保存してください。');
  }
  if (records.length < 2) throw refused('The file needs a header row and at least one row.', '見出しの行と、1行以上のデータが必要です。');
  const names = headerKeys(reference);
  const header = records[0].map((h) => h.normalize('NFKC'));
  const col = (...wanted: string[]) => header.findIndex((h) => wanted.includes(h));
  const sexCol = col('性別', 'sex');
  const ageCol = col('年齢', '年齢階級', 'age');
  const nCol = col('n', 'N', '回答者数');
  const categoryCols = header.map((h, i) => [names.get(h), i] as const).filter(([key]) => key !== undefined) as [string, number][];
  const missing = reference.categories.filter((c) => !categoryCols.some(([key]) => key === c.key)).map((c) => c.label.ja);
  if (sexCol < 0 || ageCol < 0 || missing.length) {
    const need = [...(sexCol < 0 ? ['性別'] : []), ...(ageCol < 0 ? ['年齢'] : []), ...missing];
    throw refused(`Missing columns: ${need.join(', ')}.`, `次の列がありません: ${need.join('、')}。見出しは「性別」「年齢」「n」と各回答の選択肢（${reference.categories.map((c) => c.label.ja).join('・')}、無回答）です。`);
  }
  const errors: RowError[] = [];
  const strata: ReferenceStratum[] = [];
  records.slice(1).forEach((cells, i) => {
    const where = `${i + 2}行目`;
    const fail = (message: string, message_ja: string) => errors.push({ field: `row ${i + 2}`, label: where, message, message_ja });
    const sex = SEXES[(cells[sexCol] ?? '').normalize('NFKC')];
    const ages = ageBandsOf(cells[ageCol] ?? '');
    if (!sex) return fail(`sex "${cells[sexCol]}" is not 男性 or 女性`, `性別「${cells[sexCol] ?? ''}」は「男性」か「女性」で書いてください。`);
    if (!ages) return fail(`age band "${cells[ageCol]}" is not one the profile questions can match`, `年齢「${cells[ageCol] ?? ''}」は使えません（例: 16〜19歳、20〜29歳、20代、60代、80歳以上）。`);
    const nText = nCol >= 0 ? (cells[nCol] ?? '').replace(/,/g, '') : '';
    const n = nText === '' ? null : Number(nText);
    if (n !== null && !(Number.isInteger(n) && n > 0)) return fail(`n "${cells[nCol]}" is not a positive whole number`, `n「${cells[nCol]}」は正の整数で書いてください。`);
    const percents: Record<string, number> = {};
    for (const [key, c] of categoryCols) {
      const raw = (cells[c] ?? '').replace(/%$/, '');
      const value = Number(raw);
      if (raw === '' && key === NO_ANSWER) continue;
      if (raw === '' || !Number.isFinite(value) || value < 0 || value > 100) return fail(`"${records[0][c]}" is not a percentage 0–100`, `「${records[0][c]}」の値「${cells[c] ?? ''}」は 0〜100 の % で書いてください。`);
      percents[key] = value;
    }
    const sum = Object.values(percents).reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 100) > 1) return fail(`the percentages add to ${sum.toFixed(1)}, not 100`, `% の合計が ${sum.toFixed(1)} で、100 になりません（件数ではなく % で書いてください）。`);
    const overlap = strata.find((s) => s.sex === sex && s.ages.some((a) => ages.includes(a)));
    if (overlap) return fail(`overlaps the row for ${overlap.label}`, `「${overlap.label}」の行と性別・年齢が重なっています。`);
    strata.push({ sex, ages, label: `${sex === 'male' ? '男性' : '女性'} ${cells[ageCol]}`, n, percents });
  });
  if (errors.length) {
    throw problems.badRequest('The reference table has rows that cannot be used; nothing was stored.', {
      title_ja: '参照表を読み込めません',
      detail_ja: '使えない行があります。何も保存していません。',
      errors,
    });
  }
  return strata;
}

function refused(detail: string, detail_ja: string) {
  return problems.badRequest(`${detail} Nothing was stored.`, { title_ja: '参照表を読み込めません', detail_ja: `${detail_ja}何も保存していません。` });
}
