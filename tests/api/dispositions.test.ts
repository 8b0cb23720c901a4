import { expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

describeEachDatabase('dispositions and AAPOR response rates', (kind) => {
  const t = useTestApp(kind);

  it('records refusals, non-contacts, ineligible and unknown units and reports RR1–RR6 from them', async () => {
    const { waveId } = await openWave(t, ['ucla3-national'], { openLink: false });
    const units = Array.from({ length: 10 }, (_, i) => ({ unitId: `u${i + 1}`, attributes: { city: '気仙沼市' } }));
    expect((await t.staff('POST', `/api/waves/${waveId}/frame`, { units })).status).toBe(201);
    const answers = { ucla3_companionship: 1, ucla3_left_out: 1, ucla3_isolated: 1 };
    for (const unitId of ['u1', 'u2', 'u3', 'u4']) {
      expect((await t.staff('POST', `/api/waves/${waveId}/responses`, { idempotencyKey: `paper-${unitId}`, mode: 'paper', unitId, answers })).status).toBe(201);
    }
    const set = (unitId: string, disposition: string) => t.staff('PATCH', `/api/waves/${waveId}/frame/${unitId}`, { disposition });
    for (const [unit, d] of [['u5', 'refused'], ['u6', 'refused'], ['u7', 'non-contact'], ['u8', 'ineligible'], ['u9', 'unknown'], ['u10', 'unknown']]) {
      expect((await set(unit, d)).status).toBe(200);
    }
    expect((await set('u1', 'refused')).status).toBe(409); // answered units keep the disposition of their response
    expect((await set('nobody', 'refused')).status).toBe(404);
    expect((await set('u5', 'answered')).status).toBe(400);

    const { overall, e } = await (await t.staff('GET', `/api/waves/${waveId}/rates`)).json();
    // I = 4, P = 0, R = 2, NC = 1, U = 2, ineligible = 1; e = eligible share among known = 7/8.
    expect(overall.counts).toMatchObject({ frame: 10, complete: 4, refusal: 2, nonContact: 1, unknown: 2, ineligible: 1 });
    expect(e).toBeCloseTo(7 / 8, 12);
    expect(overall.rates.simple).toBe(44.44); // 4 / (10 − 1)
    expect(overall.rates.rr1).toBe(44.44); // 4 / (4 + 3 + 2)
    expect(overall.rates.rr3).toBe(45.71); // 4 / (4 + 3 + 0.875·2)
    expect(overall.rates.rr5).toBe(57.14); // 4 / (4 + 3)
  });
});
