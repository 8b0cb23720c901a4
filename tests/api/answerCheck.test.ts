import { createServer, type Server } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { questionnaireVersions, responses } from '../../src/db/schema.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { useTestApp, type TestApp } from '../helpers/testApp.js';

/** Issue 10 over HTTP: one check on every path, nothing reaches the network, nothing stops the process. */
async function openCustomWave(t: TestApp, definition: Record<string, unknown>) {
  const created = await t.staff('POST', '/api/questionnaires', { title: 'カスタム', definition });
  if (created.status !== 201) throw new Error(`create failed: ${await created.text()}`);
  const q = await created.json();
  const published = await t.staff('POST', `/api/questionnaires/${q.id}/publish`);
  if (published.status !== 200) throw new Error(`publish failed: ${await published.text()}`);
  const wave = await (await t.staff('POST', '/api/waves', { name: 'wave', questionnaireId: q.id })).json();
  return { questionnaireId: q.id as string, waveId: wave.id as string, slug: String(wave.openLink).split('/s/')[1] };
}

const submit = (t: TestApp, slug: string, answers: Record<string, unknown>, key: string, status = 'complete') =>
  t.request(`/api/public/s/${slug}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idempotencyKey: key, status, answers }),
  });

describeEachDatabase('the answer check over HTTP', (kind) => {
  const t = useTestApp(kind);

  it('a required field in a collapsed panel gets a 422, and the server is still up afterwards', async () => {
    const { slug } = await openCustomWave(t, {
      pages: [{ elements: [{ type: 'panel', name: 'contact', state: 'collapsed', elements: [{ type: 'text', name: 'email', isRequired: true }] }, { type: 'text', name: 'q' }] }],
    });
    const res = await submit(t, slug, { q: 'hi' }, 'collapsed-0001');
    expect(res.status).toBe(422);
    expect((await res.json()).errors[0]).toMatchObject({ field: 'email', message_ja: '回答が必要です' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await t.request('/healthz')).status).toBe(200);
  });

  it('stores the cleaned answers: hidden answers dropped, computed values from survey-core', async () => {
    const { slug, waveId } = await openCustomWave(t, {
      elements: [
        { type: 'radiogroup', name: 'alone', choices: ['yes', 'no'], isRequired: true },
        { type: 'text', name: 'years', inputType: 'number', visibleIf: "{alone} = 'yes'" },
        { type: 'expression', name: 'twice', expression: '{years} * 2' },
      ],
    });
    expect((await submit(t, slug, { alone: 'no', years: 12, twice: 999 }, 'cleaned-0001')).status).toBe(201);
    expect((await submit(t, slug, { alone: 'yes', years: 12, twice: 999 }, 'cleaned-0002')).status).toBe(201);
    const rows = await t.database.db.select({ data: responses.data, key: responses.idempotencyKey }).from(responses).where(eq(responses.waveId, waveId));
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r.data]));
    // as a browser sends it: the hidden years cleared, then the expression worked out again
    expect(byKey['cleaned-0001']).toEqual({ alone: 'no', twice: 0 });
    expect(byKey['cleaned-0002']).toEqual({ alone: 'yes', years: 12, twice: 24 });
  });

  it('staff entry goes through the same check', async () => {
    const { waveId } = await openCustomWave(t, { elements: [{ type: 'radiogroup', name: 'r', choices: [1, 2, 3] }, { type: 'text', name: 'hidden', visible: false }] });
    const refused = await t.staff('POST', `/api/waves/${waveId}/responses`, { mode: 'paper', idempotencyKey: 'paper-entry-0001', answers: { r: '3' } });
    expect(refused.status).toBe(422);
    const stored = await t.staff('POST', `/api/waves/${waveId}/responses`, { mode: 'paper', idempotencyKey: 'paper-entry-0002', answers: { r: 3, hidden: 'x' } });
    expect(stored.status).toBe(201);
    const [row] = await t.database.db.select({ data: responses.data }).from(responses).where(eq(responses.waveId, waveId));
    expect(row.data).toEqual({ r: 3 });
  });

  it('sanitises html before it reaches a page, and the pages forbid posting elsewhere', async () => {
    const html = '<meta http-equiv="refresh" content="0;url=https://evil.example"><p onclick="x()">ようこそ<script>alert(1)</script></p><form action="https://evil.example"><input name="p"></form><iframe src="https://evil.example"></iframe>';
    const { slug, questionnaireId } = await openCustomWave(t, { elements: [{ type: 'html', name: 'intro', html }, { type: 'text', name: 'a', visibleIf: '{b} notempty' }, { type: 'text', name: 'b' }] });
    const version = await (await t.staff('GET', `/api/questionnaires/${questionnaireId}/versions/1`)).json();
    expect(version.definition.elements[0].html).toBe('<p>ようこそ</p>');
    const page = await t.request(`/s/${slug}`);
    const body = await page.text();
    expect(body).not.toMatch(/http-equiv|<script>alert|onclick|evil\.example/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("base-uri 'none'");
  });

  it('refuses at publish what the check cannot judge, naming the element and the supported types', async () => {
    const created = await t.staff('POST', '/api/questionnaires', { title: 'file', definition: { elements: [{ type: 'file', name: 'photo' }] } });
    expect(created.status).toBe(422);
    const body = await created.json();
    expect(body.errors[0].message).toMatch(/"photo".*Supported: panel, text/);
    expect(body.detail_ja).toMatch(/「file」には対応していません/);
  });

  describe('no outbound request, ever', () => {
    let listener: Server;
    let connections = 0;
    let url = '';
    beforeAll(async () => {
      listener = createServer((socket) => {
        connections++;
        socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n["a","b"]');
      });
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      const { port } = listener.address() as { port: number };
      url = `http://127.0.0.1:${port}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => listener.close(resolve));
    });

    it('validate, create, save a draft, publish, preview and submit make no connection', async () => {
      const fetching = { elements: [{ type: 'dropdown', name: 'city', choicesByUrl: { url: `${url}/cities?q={t}` } }, { type: 'text', name: 't' }] };
      const byId = { surveyId: 'abc', elements: [{ type: 'text', name: 't' }] };
      for (const definition of [fetching, byId]) {
        const check = await (await t.staff('POST', '/api/definitions/validate', { definition })).json();
        expect(check.valid).toBe(false);
        expect((await t.staff('POST', '/api/questionnaires', { title: 'x', definition })).status).toBe(422);
      }
      // A version stored before this rule existed: publishing refuses it, submissions are refused with a reason.
      const q = await (await t.staff('POST', '/api/questionnaires', { title: 'old', definition: { elements: [{ type: 'dropdown', name: 'city', choices: ['a'] }, { type: 'text', name: 't' }] } })).json();
      await t.database.db.update(questionnaireVersions).set({ definition: fetching }).where(eq(questionnaireVersions.questionnaireId, q.id));
      const publish = await t.staff('POST', `/api/questionnaires/${q.id}/publish`);
      expect(publish.status).toBe(422);
      expect((await publish.json()).errors[0].message).toMatch(/choicesByUrl/);
      await t.database.db.update(questionnaireVersions).set({ status: 'published', publishedAt: new Date() }).where(eq(questionnaireVersions.questionnaireId, q.id));
      const wave = await (await t.staff('POST', '/api/waves', { name: 'old wave', questionnaireId: q.id })).json();
      const slug = String(wave.openLink).split('/s/')[1];
      const res = await submit(t, slug, { city: 'a', t: 'x' }, 'outbound-0001');
      expect(res.status).toBe(422);
      expect((await res.json()).errors[0].message).toMatch(/cannot take answers.*choicesByUrl/);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(connections).toBe(0);
    });
  });
});
