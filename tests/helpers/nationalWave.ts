import { expect } from 'vitest';
import { openWave, type TestApp } from './testApp.js';

/*
 * Twenty returns keyed from paper (complete, blanks allowed) and one partial, which the comparison leaves
 * out as the summary does. The direct question: 5 ×1, 4 ×2, 3 ×4, 2 ×7, 1 ×5, blank ×1. UCLA 3 items:
 * 11 ×2, 8 ×6, 5 ×8, 3 ×3, one item blank ×1 (no score). Women at even i, men at odd i, the last
 * respondent's sex not given; i < 10 in their 20s, the rest 70–74.
 */
const DIRECT = [5, 4, 4, 3, 3, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, null, 3, 2];
const UCLA = (i: number) => (i < 2 ? [4, 4, 3] : i < 8 ? [3, 2, 3] : i < 16 ? [2, 2, 1] : i < 19 ? [1, 1, 1] : [2, null, 2]);

function answersOf(i: number): Record<string, unknown> {
  const [a, b, c] = UCLA(i);
  const answers: Record<string, unknown> = {
    direct_loneliness: DIRECT[i],
    ucla3_companionship: a,
    ucla3_left_out: b,
    ucla3_isolated: c,
    profile_gender: i === 19 ? 'no_answer' : i % 2 === 0 ? 'female' : 'male',
    profile_age_band: i < 10 ? '20_29' : '70_74',
  };
  return Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== null));
}

export async function nationalWave(t: TestApp) {
  const { waveId } = await openWave(t, ['loneliness-direct', 'ucla3-national', 'profile']);
  for (let i = 0; i < 21; i++) {
    const res = await t.staff('POST', `/api/waves/${waveId}/responses`, {
      idempotencyKey: `national-${i}`,
      mode: 'paper',
      answers: i === 20 ? { direct_loneliness: 5 } : answersOf(i),
      status: i === 20 ? 'partial' : 'complete',
    });
    expect(res.status, await res.clone().text()).toBe(201);
  }
  return waveId;
}

/** A test table by sex × age band (made-up figures: the shipped data holds no such table). */
export const STRATA_CSV = [
  '性別,年齢,n,しばしばある・常にある,時々ある,たまにある,ほとんどない,決してない,無回答',
  '男性,20〜29歳,400,6.0,16.0,20.0,38.0,19.0,1.0',
  '女性,20〜29歳,450,8.0,18.0,21.0,35.0,17.0,1.0',
  '男性,70代,500,2.0,10.0,15.0,45.0,27.0,1.0',
  '女性,70代,550,1.5,11.0,16.5,44.0,26.0,1.0',
].join('\n');
