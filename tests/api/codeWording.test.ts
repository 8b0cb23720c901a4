import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditEvents } from '../../src/db/schema.js';
import { participantCode } from '../../src/invitations/codeCards.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp } from '../helpers/testApp.js';
import { bearer, login, makeOrganisation, session } from './accountsHelpers.js';

/** Issue 14 review: participant codes and access codes named apart; the flyer size; viewing links audited. */
describeEachDatabase('code cards, /c and shown links', (kind) => {
  const t = useTestApp(kind);

  /** An organisation whose admin has both an API token and a browser session, for the staff pages. */
  async function staffOf(name: string) {
    const org = await makeOrganisation(t.database, name);
    const client = bearer(t.app, org.token);
    const api = { ...t, staff: async (...args: Parameters<typeof client>) => client(...args) };
    const page = session(t.app, await login(t.app, org.email));
    return { org, api, page };
  }
  const viewed = async (waveId: string) =>
    (await t.database.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'view.invitation_links'), eq(auditEvents.target, waveId)))).map((e) => e.details as { via: string; n: number; units: string[] });

  it('/c names the access code, and a card’s participant code typed there is told, in Japanese, to be typed inside the survey', async () => {
    const { api } = await staffOf('カードの団体');
    const study = await (await api.staff('POST', '/api/studies', { name: '事前事後' })).json();
    await openWave(api, ['ucla3-national'], { studyId: study.id, askParticipantCode: true });
    const form = await (await t.request('/c')).text();
    expect(form).toContain('<h1>アクセスコードを入力</h1>');
    expect(form).toContain('カードに書かれた「参加者コード」は、ここではなく、アンケートの画面の中で入力します。');
    const typed = await t.request('/c', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ code: participantCode(t.hashKey, study.id, 1) }).toString() });
    expect(typed.status).toBe(404);
    expect(await typed.text()).toContain('カードの「参加者コード」は、ここでは使えません。');
  });

  it('a card says which survey its QR code leads to; without an open link it has no QR code and does not send people to /c', async () => {
    const { api, page } = await staffOf('カード印刷の団体');
    const study = await (await api.staff('POST', '/api/studies', { name: '事前事後' })).json();
    const pre = await openWave(api, ['ucla3-national'], { name: '体操教室 2026', phase: 'pre', studyId: study.id, askParticipantCode: true });
    const cards = await (await page('GET', `/staff/waves/${pre.waveId}/print/cards?count=2`)).text();
    expect(cards).toContain(`QR・回答先（体操教室 2026・事前）: <span class="card-address">http://localhost/s/${pre.slug}</span>`);
    expect(cards).toContain(participantCode(t.hashKey, study.id, 2));

    const invited = await openWave(api, ['ucla3-national'], { studyId: study.id, askParticipantCode: true, openLink: false });
    const closedCards = await (await page('GET', `/staff/waves/${invited.waveId}/print/cards?count=2`)).text();
    expect(closedCards).toContain('アンケートは、お手紙のQRコードかアクセスコードで開いてください。');
    expect(closedCards).not.toContain('class="card-address"');
    expect(closedCards).not.toContain('<div class="qr">');
  });

  it('prints the flyer at size=a5 as at A5', async () => {
    const { api, page } = await staffOf('チラシの団体');
    const w = await openWave(api, ['ucla3-national']);
    const res = await page('GET', `/staff/waves/${w.waveId}/print/flyer?size=a5`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('チラシ (A5)');
  });

  it('records each view of links and access codes once (list API, list page, unit page), naming the units shown', async () => {
    const { api, page } = await staffOf('一覧の団体');
    const w = await openWave(api, ['ucla3-national'], { openLink: false });
    expect((await api.staff('POST', `/api/waves/${w.waveId}/frame`, { units: [{ unitId: 'V1' }, { unitId: 'V2' }, { unitId: 'V3' }] })).status).toBe(201);
    expect((await api.staff('GET', `/api/waves/${w.waveId}/invitations?perPage=2`)).status).toBe(200);
    expect((await page('GET', `/staff/waves/${w.waveId}/invitations`)).status).toBe(200);
    expect((await page('GET', `/staff/waves/${w.waveId}/invitations/V3`)).status).toBe(200);
    expect(await viewed(w.waveId)).toEqual([
      { via: 'api', n: 2, units: ['V1', 'V2'] },
      { via: 'list', n: 3, units: ['V1', 'V2', 'V3'] },
      { via: 'unit', n: 1, units: ['V3'] },
    ]);
  });
});
