import { afterAll, beforeAll, expect, it } from 'vitest';
import { listen } from '../helpers/browser.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

const answers = { ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 1 };

/** Over real HTTP, since the limit reads the Content-Length header Node's parser enforces. */
describeEachDatabase('body size limit over HTTP', (kind) => {
  const t = useTestApp(kind, { maxBodyBytes: 8 * 1024 });
  let server: Awaited<ReturnType<typeof listen>>;
  let endpoint: string;
  beforeAll(async () => {
    server = await listen(t);
    endpoint = `${server.url}/api/public/s/${(await openWave(t, ['ucla3-national'])).slug}/responses`;
  });
  afterAll(() => server?.close());

  const body = (padding: number) => JSON.stringify({ idempotencyKey: `size-${padding}`, answers, lastPage: 'x'.repeat(padding) });
  const chunked = (text: string) =>
    new ReadableStream({
      start(controller) {
        const bytes = new TextEncoder().encode(text);
        for (let i = 0; i < bytes.length; i += 1000) controller.enqueue(bytes.slice(i, i + 1000));
        controller.close();
      },
    });
  const post = (payload: string | ReadableStream) =>
    fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload, duplex: 'half' } as RequestInit);

  it('takes a body under the limit, with a Content-Length or chunked', async () => {
    expect((await post(body(100))).status).toBe(201);
    expect((await post(chunked(body(200)))).status).toBe(201);
  });

  it('refuses a body over the limit with 413, with a Content-Length or chunked', async () => {
    for (const res of [await post(body(9000)), await post(chunked(body(9001)))]) {
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect((await res.json()).detail_ja).toContain('バイトまで');
    }
  });
});
