import type { TestApp } from './testApp.js';
import { openWave } from './testApp.js';
import { goldens } from '../unit/fixtures.js';

// The Kesennuma organisation survey as printed (../shared/brief/mission.md), rebuilt as raw rows.
export const CITIES = [
  { code: 'ofunato', name: '大船渡市', frame: 49, responded: 15, targets: [7, 8, 5, 4, 1, 2, 5, 1, 3, 2, 1, 1, 2, 1, 2, 4] },
  { code: 'rikuzentakata', name: '陸前高田市', frame: 39, responded: 16, targets: [10, 7, 7, 6, 3, 3, 6, 0, 3, 0, 0, 0, 3, 0, 2, 4] },
  { code: 'kesennuma', name: '気仙沼市', frame: 96, responded: 37, targets: [14, 14, 18, 13, 3, 7, 11, 0, 3, 3, 2, 2, 3, 0, 0, 4] },
];
export const TARGETS = ['elderly', 'children', 'women', 'men', 'gender', 'single_parent', 'disability', 'homeless', 'hikikomori', 'school_refusal', 'young_carer', 'neglect', 'poverty', 'discrimination', 'foreign_roots', 'other'];
export const LEGAL = ['npo', 'social_welfare', 'public_interest_association', 'public_interest_foundation', 'general_association', 'general_foundation', 'medical', 'unincorporated', 'other'];
export const CONNECTED = ['connected', 'not_connected', 'dont_know'];
export const connectedByLegal = goldens.kesennumaConnected.observed as number[][];

/** Each city's activity-target ticks dealt round-robin over its respondents: every one ticks at least one. */
function targetsFor(city: (typeof CITIES)[number]): string[][] {
  const ticks: string[][] = Array.from({ length: city.responded }, () => []);
  let next = 0;
  city.targets.forEach((count, option) => {
    for (let k = 0; k < count; k++) ticks[next++ % city.responded].push(TARGETS[option]);
  });
  return ticks.map((t) => TARGETS.filter((o) => t.includes(o)));
}

function kesennumaResponses() {
  const answers: { legal: string; connected?: string }[] = [];
  connectedByLegal.forEach((row, i) => row.forEach((count, j) => { for (let k = 0; k < count; k++) answers.push({ legal: LEGAL[i], connected: CONNECTED[j] }); }));
  answers.push({ legal: 'npo' }); // the one organisation that skipped the question (n = 67 of 68)
  const cityRows = CITIES.flatMap((city) => targetsFor(city).map((targets, i) => ({ city, targets, unitId: `${city.code}-${i + 1}` })));
  return cityRows.map((row, i) => ({
    unitId: row.unitId,
    answers: {
      kesen_city: row.city.code,
      kesen_legal_type: answers[i].legal,
      kesen_targets: row.targets,
      ...(answers[i].connected ? { kesen_anti_isolation: answers[i].connected } : {}),
    },
  }));
}

async function ok(res: Response) {
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * A wave of the Kesennuma survey: a frame of 184 organisations and 68 responses entered through the API.
 * `blankLegalType`: the last 気仙沼市 return comes back with the (required) legal type left blank, as one
 * real return did, and is keyed with that status.
 */
export async function kesennumaWave(t: TestApp, { blankLegalType }: { blankLegalType?: 'complete' | 'partial' } = {}) {
  const { waveId } = await openWave(t, ['kesennuma-org-survey'], { openLink: false });
  const units = CITIES.flatMap((city) => Array.from({ length: city.frame }, (_, i) => ({ unitId: `${city.code}-${i + 1}`, attributes: { city: city.name } })));
  await ok(await t.staff('POST', `/api/waves/${waveId}/frame`, { units }));
  const returns = kesennumaResponses();
  for (const [i, r] of returns.entries()) {
    const blank = blankLegalType && i === returns.length - 1;
    const answers = blank ? Object.fromEntries(Object.entries(r.answers).filter(([name]) => name !== 'kesen_legal_type')) : r.answers;
    const status = blank ? blankLegalType : 'complete';
    await ok(await t.staff('POST', `/api/waves/${waveId}/responses`, { idempotencyKey: `kesennuma-${i}`, mode: 'mail', unitId: r.unitId, status, answers }));
  }
  return waveId;
}

