import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { invitations } from '../../src/db/schema.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

/** Issue 11, point 1: staff entries are accountable, and every change by staff is in the audit log. */
describeEachDatabase('staff entries and the audit log', (kind) => {
  const t = useTestApp(kind);
  const answers = { ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 1 };
  const events = async () => (await (await t.staff('GET', '/api/audit')).json()).events as { action: string; target: string; details: Record<string, any> }[];

  it('staff cannot enter a web answer; what they enter records who, shows in the export, and can be corrected and deleted with before/after audited', async () => {
    const w = await openWave(t, ['ucla3-national']);
    await t.staff('POST', `/api/waves/${w.waveId}/frame`, { units: [{ unitId: 'P-1' }] });
    const web = await t.staff('POST', `/api/waves/${w.waveId}/responses`, { idempotencyKey: 'staff-web-01', mode: 'web', answers });
    expect(web.status).toBe(400);

    const entered = await (await t.staff('POST', `/api/waves/${w.waveId}/responses`, { idempotencyKey: 'staff-paper-01', mode: 'paper', unitId: 'P-1', answers })).json();
    await t.request(`/api/public/s/${w.slug}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idempotencyKey: 'phone-00001', answers }) });

    const list = (await (await t.staff('GET', `/api/waves/${w.waveId}/entries`)).json()).entries;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: entered.id, mode: 'paper', unitId: 'P-1', enteredBy: 'Administrator' });

    const csv = await (await t.staff('GET', `/api/waves/${w.waveId}/responses?format=csv`)).text();
    const [, header, ...rows] = csv.replace(/^\uFEFF/, '').trim().split(/\r\n/); // question text, then variable names
    const at = header.split(',').indexOf('entered_by');
    expect(at).toBeGreaterThan(0);
    expect(rows.map((r) => r.split(',')[at]).sort()).toEqual(['', list[0].enteredBy].sort());

    const phone = (await (await t.staff('GET', `/api/waves/${w.waveId}/responses?format=json`)).json()).responses.find((r: { id: string }) => r.id !== entered.id);
    expect((await t.staff('PATCH', `/api/responses/${phone.id}`, { answers })).status).toBe(404);
    expect((await t.staff('PATCH', `/api/responses/${entered.id}`, { answers: { ...answers, ucla3_isolated: 9 } })).status).toBe(422);
    const corrected = await t.staff('PATCH', `/api/responses/${entered.id}`, { answers: { ...answers, ucla3_isolated: 3 }, mode: 'mail' });
    expect(corrected.status).toBe(200);
    expect(await corrected.json()).toMatchObject({ mode: 'mail', data: { ucla3_isolated: 3 } });
    expect((await t.staff('DELETE', `/api/responses/${entered.id}`)).status).toBe(204);
    const [unit] = await t.database.db.select().from(invitations).where(eq(invitations.waveId, w.waveId));
    expect(unit.disposition).toBe('pending');

    const log = await events();
    const correction = log.find((e) => e.action === 'response.corrected')!;
    expect(correction.details.before.data.ucla3_isolated).toBe(1);
    expect(correction.details.after.data.ucla3_isolated).toBe(3);
    expect(log.find((e) => e.action === 'response.deleted')!.details.before.mode).toBe('mail');
    expect(log.some((e) => e.action === 'response.entered' && e.target === entered.id)).toBe(true);
  });

  it('questionnaires, templates, waves, frames and dispositions leave audit events', async () => {
    const w = await openWave(t, ['ucla3-national']);
    await t.staff('POST', `/api/waves/${w.waveId}/frame`, { units: [{ unitId: 'D-1' }, { unitId: 'D-2' }] });
    await t.staff('POST', `/api/waves/${w.waveId}/frame/dispositions`, { unitIds: ['D-1'], disposition: 'refused' });
    const saved = await (await t.staff('POST', '/api/templates', { questionnaireId: w.questionnaireId, title: '定番' })).json();
    await t.staff('DELETE', `/api/templates/${saved.id}`);
    const actions = new Set((await events()).map((e) => e.action));
    for (const action of ['questionnaire.created', 'questionnaire.published', 'wave.opened', 'frame.imported', 'dispositions.recorded', 'template.saved', 'template.deleted']) {
      expect(actions, action).toContain(action);
    }
  });
});
