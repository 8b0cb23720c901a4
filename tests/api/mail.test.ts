import { and, eq, sql } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { bootstrapAdmin } from '../../src/auth/bootstrap.js';
import { newToken } from '../../src/auth/secrets.js';
import { invitationToken } from '../../src/collection/invitationLinks.js';
import type { Database } from '../../src/db/database.js';
import { auditEvents, invitationMessages, invitations } from '../../src/db/schema.js';
import { startMail, type MailService } from '../../src/mail/mailer.js';
import { describeEachDatabase, freshDatabase } from '../helpers/databases.js';
import { appOn, PUBLIC_URL, smtpServer, until } from '../helpers/mail.js';
import { ADMIN_TOKEN, openWave } from '../helpers/testApp.js';

const address = (unitId: string) => `${unitId}@example.jp`;
const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)!.value[0].address!;
const linkIn = (mail: ParsedMail) => /http:\/\/localhost\/t\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
const optOutIn = (mail: ParsedMail) => /http:\/\/localhost(\/optout\/[^\s]+)/.exec(mail.text ?? '')?.[1];

const template = {
  subject: '【{団体名}】{調査名}のお願い',
  body: '{調査名}にご協力ください。\n{回答リンク}\nコード: {アクセスコード}（{コード入力ページ}）\n期限: {回答期限}',
};

describeEachDatabase('e-mail invitations and reminders through a real SMTP server', (kind) => {
  let database: Database;
  let dispose: () => Promise<void>;
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  const hashKey = newToken(32);
  const services: MailService[] = [];
  const startWorker = async () => {
    const mail = await startMail({ database, hashKey, publicUrl: (path) => `${PUBLIC_URL}${path}`, smtpUrl: smtp.url, from: 'センター <survey@example.jp>', perSecond: 50, work: true, pollingSeconds: 0.5 });
    services.push(mail);
    return mail;
  };

  beforeAll(async () => {
    ({ database, dispose } = await freshDatabase(kind));
    await bootstrapAdmin(database, ADMIN_TOKEN);
    smtp = await smtpServer();
  });
  afterAll(async () => {
    for (const mail of services) await mail.stop();
    await smtp?.close();
    await dispose?.();
  });

  it('sends invitations and one reminder to the right units only, each with its own link, across a restart; opt-out works', async () => {
    let t = appOn(database, hashKey, await startWorker());
    const { waveId } = await openWave(t, ['ucla3-national'], { openLink: false });
    // u5 has no address; u3 refused and u4 is ineligible before anything is sent.
    const csv = ['unit_id,city,メールアドレス', ...['u1', 'u2', 'u3', 'u4', 'u6'].map((u) => `${u},気仙沼市,${address(u)}`), 'u5,大船渡市,'].join('\n');
    const framed = await t.app.request(`/api/waves/${waveId}/frame`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' }, body: csv });
    expect(framed.status).toBe(201);
    for (const [unitId, disposition] of [['u3', 'refused'], ['u4', 'ineligible']]) {
      expect((await t.staff('POST', `/api/waves/${waveId}/frame/dispositions`, { unitIds: [unitId], disposition })).status).toBe(200);
    }
    const ids = Object.fromEntries((await database.db.select().from(invitations).where(eq(invitations.waveId, waveId))).map((i) => [i.unitId, i]));

    // The preview is the message as u1 will get it.
    const preview = await (await t.staff('POST', `/api/waves/${waveId}/mail/preview`, { ...template, unitId: 'u1' })).json();
    const u1Token = invitationToken(hashKey, ids.u1.id, ids.u1.tokenIssue!);
    expect(preview).toMatchObject({ unitId: 'u1', to: address('u1'), wouldSend: true });
    expect(preview.text).toContain(`${PUBLIC_URL}/t/${u1Token}`);
    expect((await (await t.staff('POST', `/api/waves/${waveId}/mail/preview`, { ...template, unitId: 'u3' })).json()).reason).toBe('refused');

    const sent = await t.staff('POST', `/api/waves/${waveId}/mail/invitations`, template);
    expect(sent.status).toBe(202);
    expect((await sent.json()).recipientsNow).toBe(3);
    const invitationsArrived = await until('three invitations', () => [...smtp.received], (r) => r.length >= 3);
    expect(invitationsArrived.map(to).sort()).toEqual([address('u1'), address('u2'), address('u6')]);
    for (const mail of invitationsArrived) {
      const unitId = to(mail).split('@')[0];
      expect(linkIn(mail)).toBe(invitationToken(hashKey, ids[unitId].id, ids[unitId].tokenIssue!));
      // What arrives is what the preview showed for that unit.
      const shown = await (await t.staff('POST', `/api/waves/${waveId}/mail/preview`, { ...template, unitId })).json();
      expect(mail.subject).toBe(shown.subject);
      expect(mail.text).toBe(shown.text);
      const header = (name: string) => mail.headerLines.find((h) => h.key === name)?.line.replace(/\r\n\s+/g, ' ');
      expect(header('list-unsubscribe')).toBe(`List-Unsubscribe: <${PUBLIC_URL}${optOutIn(mail)}>`);
      expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    }
    expect(preview.subject).toBe('【Default organisation】テストのお願い');
    // Asking again sends nothing: every unit with an address has had its invitation.
    expect((await t.staff('POST', `/api/waves/${waveId}/mail/invitations`, template)).status).toBe(409);

    // A reminder in two seconds; the process stops before it is due.
    const sendAt = new Date(Date.now() + 2000).toISOString();
    const scheduled = await t.staff('POST', `/api/waves/${waveId}/mail/reminders`, { subject: '再送: {調査名}', body: 'まだの方へ {回答リンク}', sendAt });
    expect(scheduled.status).toBe(201);
    expect((await scheduled.json()).recipientsNow).toBe(3);
    await services.shift()!.stop();
    expect(await database.db.select().from(invitationMessages).where(eq(invitationMessages.kind, 'reminder'))).toEqual([]);

    // While nothing runs: u2 answers through its link, u6 opts out through the link in its e-mail.
    const u2Token = linkIn(invitationsArrived.find((m) => to(m) === address('u2'))!)!;
    const answered = await t.request(`/api/public/t/${u2Token}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idempotencyKey: 'u2-answer-0001', answers: { ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 1 } }),
    });
    expect(answered.status).toBe(201);
    const optOut = optOutIn(invitationsArrived.find((m) => to(m) === address('u6'))!)!;
    const confirm = await t.request(optOut);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('配信を停止する');
    expect((await database.db.select().from(invitations).where(eq(invitations.id, ids.u6.id)))[0].optedOutAt).toBeNull();
    const stopped = await t.request(optOut, { method: 'POST' });
    expect(stopped.status).toBe(200);
    expect(await stopped.text()).toContain('配信を停止しました');
    expect((await database.db.select().from(invitations).where(eq(invitations.id, ids.u6.id)))[0].optedOutAt).not.toBeNull();
    const optOutAudit = await database.db.select().from(auditEvents).where(eq(auditEvents.action, 'participant.mail_opted_out'));
    expect(optOutAudit).toMatchObject([{ userId: null, target: waveId, details: { unitId: 'u6' } }]);
    expect((await t.request(optOut.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).status).toBe(404);

    // A new process on the same database sends the reminder once, to u1 alone.
    t = appOn(database, hashKey, await startWorker());
    const reminderRows = () => database.db.select().from(invitationMessages).where(eq(invitationMessages.kind, 'reminder'));
    await until('the reminder round', reminderRows, (rows) => rows.length > 0 && rows.every((r) => r.status === 'sent'));
    await until('the round to finish', () => database.rows<{ n: number }>(sql`select count(*)::int as n from pgboss.job where state in ('created', 'retry', 'active')`), ([r]) => r.n === 0);
    expect(smtp.received.slice(3).map(to)).toEqual([address('u1')]);
    expect(smtp.received[3].subject).toMatch(/^再送: /);
    expect(linkIn(smtp.received[3])).toBe(u1Token);
    expect(smtp.received).toHaveLength(4);

    // Every send audited; the history per unit.
    const audited = await database.db.select().from(auditEvents).where(eq(auditEvents.action, 'mail.sent'));
    expect(audited.map((a) => a.details.unitId).sort()).toEqual(['u1', 'u1', 'u2', 'u6']);
    const history = await (await t.staff('GET', `/api/waves/${waveId}/invitations/u1/messages`)).json();
    expect(history.messages.map((m: { kind: string; status: string }) => `${m.kind}:${m.status}`)).toEqual(['reminder:sent', 'invitation:sent']);
    const u6 = await (await t.staff('GET', `/api/waves/${waveId}/invitations/u6/messages`)).json();
    expect(u6).toMatchObject({ email: address('u6'), messages: [{ kind: 'invitation', status: 'sent' }] });
    expect(u6.optedOutAt).not.toBeNull();
    expect((await t.staff('GET', `/api/waves/${waveId}/invitations/nobody/messages`)).status).toBe(404);
  });

  it('a process stopped while a round is being sent leaves the rest to the next one, which sends each message once', async () => {
    for (const running of services.splice(0)) await running.stop(); // no other worker may take the round
    // One message a second, so the stop comes while most are still queued.
    const slow = await startMail({ database, hashKey, publicUrl: (path) => `${PUBLIC_URL}${path}`, smtpUrl: smtp.url, from: 'survey@example.jp', perSecond: 1, work: true, pollingSeconds: 0.5 });
    const t = appOn(database, hashKey, slow);
    const { waveId } = await openWave(t, ['ucla3-national'], { openLink: false });
    const units = ['m1', 'm2', 'm3', 'm4'];
    const csv = ['unit_id,email', ...units.map((u) => `${u},${address(u)}`)].join('\n');
    expect((await t.app.request(`/api/waves/${waveId}/frame`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' }, body: csv })).status).toBe(201);
    const before = smtp.received.length;
    expect((await t.staff('POST', `/api/waves/${waveId}/mail/invitations`, template)).status).toBe(202);
    await until('the first message', () => smtp.received.length, (n) => n > before);
    await slow.stop();
    const rows = () => database.db.select().from(invitationMessages).where(eq(invitationMessages.waveId, waveId));
    expect((await rows()).filter((r) => r.status === 'queued').length).toBeGreaterThan(0);

    services.push(await startWorker());
    await until('every message sent', rows, (r) => r.length === 4 && r.every((m) => m.status === 'sent'));
    await until('the round to finish', () => database.rows<{ n: number }>(sql`select count(*)::int as n from pgboss.job where state in ('created', 'retry', 'active')`), ([r]) => r.n === 0);
    expect(smtp.received.slice(before).map(to).sort()).toEqual(units.map(address));
  });

  it('while the SMTP server cannot be reached nothing is lost; an address the server refuses is recorded as failed', async () => {
    for (const running of services.splice(0)) await running.stop(); // the only worker is the one that cannot reach its server
    const closed = await smtpServer();
    await closed.close(); // a port where nothing listens
    const unreachable = await startMail({ database, hashKey, publicUrl: (path) => `${PUBLIC_URL}${path}`, smtpUrl: closed.url, from: 'survey@example.jp', perSecond: 50, work: true, pollingSeconds: 0.5 });
    const t = appOn(database, hashKey, unreachable);
    const { waveId } = await openWave(t, ['ucla3-national'], { openLink: false });
    const csv = 'unit_id,email\nr1,r1@example.jp\nr2,refused-r2@example.jp';
    expect((await t.app.request(`/api/waves/${waveId}/frame`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' }, body: csv })).status).toBe(201);
    const before = smtp.received.length;
    expect((await t.staff('POST', `/api/waves/${waveId}/mail/invitations`, template)).status).toBe(202);
    const job = () => database.rows<{ state: string }>(sql`select state from pgboss.job where data->>'waveId' = ${waveId}`);
    await until('the round to fail once', job, ([j]) => j?.state === 'retry');
    await unreachable.stop();
    const rows = () => database.db.select().from(invitationMessages).where(eq(invitationMessages.waveId, waveId));
    expect((await rows()).map((r) => r.status)).toEqual(['queued', 'queued']);

    services.push(await startWorker());
    await until('both messages settled', rows, (r) => r.every((m) => m.status === 'sent' || m.status === 'failed'));
    expect(smtp.received.slice(before).map(to)).toEqual(['r1@example.jp']);
    const r2 = await (await t.staff('GET', `/api/waves/${waveId}/invitations/r2/messages`)).json();
    expect(r2.messages).toMatchObject([{ kind: 'invitation', status: 'failed', reason: expect.stringMatching(/^smtp: .*550/) }]);
    const failedAudit = await database.db.select().from(auditEvents).where(eq(auditEvents.action, 'mail.failed'));
    expect(failedAudit.map((a) => a.details.unitId)).toEqual(['r2']);
  });

  it('a waiting reminder can be cancelled; one that falls due after the wave closed sends nothing', async () => {
    const t = appOn(database, hashKey, services[0]);
    const { waveId } = await openWave(t, ['ucla3-national'], { openLink: false });
    expect((await t.app.request(`/api/waves/${waveId}/frame`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' }, body: 'unit_id,email\nc1,c1@example.jp' })).status).toBe(201);
    const later = { subject: 'x', body: '{回答リンク}', sendAt: '2099-01-05T10:00:00+09:00' };
    const { round } = await (await t.staff('POST', `/api/waves/${waveId}/mail/reminders`, later)).json();
    expect((await t.staff('POST', `/api/waves/${waveId}/mail/reminders`, later)).status).toBe(409);
    expect((await (await t.staff('GET', `/api/waves/${waveId}/mail`)).json()).pending).toMatchObject([{ id: round.id, kind: 'reminder', state: 'waiting' }]);
    expect((await t.staff('DELETE', `/api/waves/${waveId}/mail/rounds/${round.id}`)).status).toBe(204);
    expect((await (await t.staff('GET', `/api/waves/${waveId}/mail`)).json()).pending).toEqual([]);
    expect((await t.staff('DELETE', `/api/waves/${waveId}/mail/rounds/${round.id}`)).status).toBe(404);

    const before = smtp.received.length;
    const soon = await t.staff('POST', `/api/waves/${waveId}/mail/reminders`, { ...later, sendAt: new Date(Date.now() + 1500).toISOString() });
    expect(soon.status).toBe(201);
    expect((await t.staff('PATCH', `/api/waves/${waveId}`, { closesAt: new Date(Date.now() - 1000).toISOString() })).status).toBe(200);
    await until('the round to run', () => database.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'mail.round_not_sent'), eq(auditEvents.target, waveId))), (rows) => rows.length === 1);
    expect(await database.db.select().from(invitationMessages).where(eq(invitationMessages.waveId, waveId))).toEqual([]);
    expect(smtp.received.length).toBe(before);
  });

  it('refuses unknown placeholders, past times and sending without SMTP, in Japanese, and queues nothing', async () => {
    const t = appOn(database, hashKey, services[0]);
    const { waveId } = await openWave(t, ['ucla3-national'], { openLink: false });
    const framed = await t.app.request(`/api/waves/${waveId}/frame`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' }, body: 'unit_id,email\nx1,x1@example.jp' });
    expect(framed.status).toBe(201);
    const wrong = await t.staff('POST', `/api/waves/${waveId}/mail/invitations`, { subject: '案内', body: 'こちら {回答URL}' });
    expect(wrong.status).toBe(422);
    expect((await wrong.json()).detail_ja).toContain('{回答URL}');
    const past = await t.staff('POST', `/api/waves/${waveId}/mail/reminders`, { ...template, sendAt: '2020-01-01T09:00:00+09:00' });
    expect(past.status).toBe(422);
    expect((await past.json()).title_ja).toBe('送信日時が正しくありません');

    const unconfigured = appOn(database, hashKey);
    const refused = await unconfigured.staff('POST', `/api/waves/${waveId}/mail/invitations`, template);
    expect(refused.status).toBe(503);
    expect((await refused.json()).title_ja).toBe('メール送信が設定されていません');
    expect((await unconfigured.staff('GET', `/api/waves/${waveId}/mail`)).status).toBe(200);
    expect(await (await unconfigured.staff('GET', `/api/waves/${waveId}/mail`)).json()).toMatchObject({ configured: false, units: { withEmail: 1, invitable: 1 } });
    expect(await database.db.select().from(invitationMessages).where(and(eq(invitationMessages.waveId, waveId)))).toEqual([]);
  });
});

describe('e-mail configuration', () => {
  it('SMTP_URL needs MAIL_FROM; without SMTP_URL e-mail is off; sending is paced at 2 a second unless told', () => {
    expect(loadConfig({}).mail).toBeUndefined();
    expect(() => loadConfig({ SMTP_URL: 'smtp://u:p@smtp.example.jp:587' })).toThrow(/MAIL_FROM/);
    expect(() => loadConfig({ SMTP_URL: 'http://smtp.example.jp', MAIL_FROM: 'a@example.jp' })).toThrow(/SMTP_URL/);
    expect(loadConfig({ SMTP_URL: 'smtps://smtp.example.jp:465', MAIL_FROM: 'センター <a@example.jp>' }).mail).toEqual({ smtpUrl: 'smtps://smtp.example.jp:465', from: 'センター <a@example.jp>', perSecond: 2 });
    expect(loadConfig({ SMTP_URL: 'smtp://h:25', MAIL_FROM: 'a@example.jp', MAIL_PER_SECOND: '0.5' }).mail?.perSecond).toBe(0.5);
    expect(() => loadConfig({ SMTP_URL: 'smtp://h:25', MAIL_FROM: 'a@example.jp', MAIL_PER_SECOND: '0' })).toThrow(/MAIL_PER_SECOND/);
  });
});
