import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { invitations } from '../../src/db/schema.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp } from '../helpers/testApp.js';
import { bearer, makeOrganisation } from './accountsHelpers.js';

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

  it('records one disposition for a list of units, skipping answered units and reporting ids not in the frame', async () => {
    const { waveId } = await openWave(t, ['ucla3-national'], { openLink: false });
    const units = Array.from({ length: 8 }, (_, i) => ({ unitId: `b${i + 1}` }));
    expect((await t.staff('POST', `/api/waves/${waveId}/frame`, { units })).status).toBe(201);
    const answers = { ucla3_companionship: 1, ucla3_left_out: 1, ucla3_isolated: 1 };
    expect((await t.staff('POST', `/api/waves/${waveId}/responses`, { idempotencyKey: 'bulk-paper-b1', mode: 'paper', unitId: 'b1', answers })).status).toBe(201);
    expect((await t.staff('POST', `/api/waves/${waveId}/responses`, { idempotencyKey: 'bulk-paper-b2', mode: 'paper', unitId: 'b2', answers, status: 'partial' })).status).toBe(201);
    const path = `/api/waves/${waveId}/frame/dispositions`;
    const stored = async () =>
      Object.fromEntries((await t.database.db.select().from(invitations).where(eq(invitations.waveId, waveId))).map((i) => [i.unitId, i.disposition]));

    const res = await t.staff('POST', path, { unitIds: ['b3', 'b1', 'gone-1', 'b4', 'b2', 'b3', ' b5 ', 'gone-2'], disposition: 'ineligible' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({
      updated: 3,
      answered: ['b1', 'b2'],
      unknown: ['gone-1', 'gone-2'],
      frame: { complete: 1, partial: 1, ineligible: 3, pending: 3 },
    });
    expect(await stored()).toEqual({ b1: 'complete', b2: 'partial', b3: 'ineligible', b4: 'ineligible', b5: 'ineligible', b6: 'pending', b7: 'pending', b8: 'pending' });

    // Back to pending, and other dispositions on the same units: the last recording wins.
    expect(await (await t.staff('POST', path, { unitIds: ['b5'], disposition: 'pending' })).json()).toMatchObject({ updated: 1, answered: [], unknown: [] });
    expect((await t.staff('POST', path, { unitIds: ['b6', 'b7'], disposition: 'refused' })).status).toBe(200);
    expect((await t.staff('POST', path, { unitIds: ['b8'], disposition: 'non-contact' })).status).toBe(200);
    expect((await t.staff('POST', path, { unitIds: ['b5'], disposition: 'unknown' })).status).toBe(200);
    const after = await stored();
    expect(after).toEqual({ b1: 'complete', b2: 'partial', b3: 'ineligible', b4: 'ineligible', b5: 'unknown', b6: 'refused', b7: 'refused', b8: 'non-contact' });

    // Refused: wrong input changes nothing and says why.
    const tooMany = Array.from({ length: 5001 }, (_, i) => `b${i}`);
    for (const bad of [
      { unitIds: [], disposition: 'refused' },
      { unitIds: ['b3'], disposition: 'complete' },
      { unitIds: ['b3'], disposition: 'moved away' },
      { unitIds: tooMany, disposition: 'refused' },
      { unitIds: ['b3', 'x'.repeat(201)], disposition: 'refused' },
      { unitIds: ['b3', '  '], disposition: 'refused' },
      { unitIds: 'b3', disposition: 'refused' },
      { unitIds: ['b3'], disposition: 'refused', extra: 1 },
      { unitIds: ['b3'] },
    ]) {
      const refused = await t.staff('POST', path, bad);
      expect(refused.status, JSON.stringify(bad).slice(0, 80)).toBe(400);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect((await refused.json()).errors.length).toBeGreaterThan(0);
    }
    expect(await stored()).toEqual(after);

    // Evaluators read rates but do not record; another organisation cannot tell the wave exists.
    const evaluatorToken = (await (await t.staff('POST', '/api/tokens', { label: 'evaluator', role: 'evaluator' })).json()).token;
    expect((await bearer(t.app, evaluatorToken)('POST', path, { unitIds: ['b3'], disposition: 'refused' })).status).toBe(403);
    const other = bearer(t.app, (await makeOrganisation(t.database, `Other ${kind}`)).token);
    const foreign = await other('POST', path, { unitIds: ['b3'], disposition: 'refused' });
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).not.toContain('b3');
    expect(await stored()).toEqual(after);

    // The rates see them: I = 1, P = 1, R = 2, NC = 1, U = 1, ineligible = 2; e = 5 / 7.
    const { overall, e } = await (await t.staff('GET', `/api/waves/${waveId}/rates`)).json();
    expect(overall.counts).toMatchObject({ frame: 8, complete: 1, partial: 1, refusal: 2, nonContact: 1, unknown: 1, ineligible: 2 });
    expect(e).toBeCloseTo(5 / 7, 12);
    expect(overall.rates.rr1).toBe(16.67); // 1 / (1 + 1 + 2 + 1 + 1)
    expect(overall.rates.rr5).toBe(20); // 1 / (1 + 1 + 2 + 1)
  });
});
