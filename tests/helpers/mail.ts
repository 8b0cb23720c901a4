import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createApp } from '../../src/app.js';
import type { Database } from '../../src/db/database.js';
import type { MailService } from '../../src/mail/mailer.js';
import { ADMIN_TOKEN, type TestApp } from './testApp.js';

export const PUBLIC_URL = 'http://localhost';

/** A real SMTP server on loopback; every message that arrives is parsed and kept. */
export async function smtpServer() {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // An address starting with "refused" is refused, as a server refuses an unknown mailbox.
    onRcptTo(address, _session, callback) {
      callback(address.address.startsWith('refused') ? Object.assign(new Error('550 No such mailbox'), { responseCode: 550 }) : undefined);
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        received.push(mail);
        callback();
      }, callback);
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return { received, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The app as main.ts builds it, on a given database, with or without the e-mail worker. */
export function appOn(database: Database, hashKey: string, mail?: MailService): TestApp {
  const app = createApp({ database, config: { maxBodyBytes: 256 * 1024, publicUrl: PUBLIC_URL }, hashKey, mail });
  return {
    database,
    app,
    hashKey,
    request: async (path, init) => app.request(path, init),
    staff: async (method, path, body) =>
      app.request(path, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
  };
}

/** Waits for something the worker does in its own time; the assertions are on what happened, not when. */
export async function until<T>(what: string, probe: () => Promise<T> | T, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

