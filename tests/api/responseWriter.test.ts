import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { submitResponse } from '../../src/collection/intake.js';
import { ResponseWriter, type ResponseRow } from '../../src/collection/responseWriter.js';
import type { Database } from '../../src/db/database.js';
import { questionnaireVersions, responses, waves } from '../../src/db/schema.js';
import { Problem } from '../../src/http/problem.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp } from '../helpers/testApp.js';

const answers = { ucla3_companionship: 2, ucla3_left_out: 3, ucla3_isolated: 1 };

describeEachDatabase('response writer', (kind) => {
  const t = useTestApp(kind);

  async function ucla3Wave() {
    const { waveId, slug } = await openWave(t, ['ucla3-national']);
    const [wave] = await t.database.db.select().from(waves).where(eq(waves.id, waveId));
    const [version] = await t.database.db.select().from(questionnaireVersions).where(eq(questionnaireVersions.id, wave.versionId));
    const row = (key: string, data: Record<string, unknown> = answers): ResponseRow => ({
      waveId,
      versionId: wave.versionId,
      data,
      status: 'complete',
      mode: 'web',
      idempotencyKey: key,
      participantKeyHash: null,
      lastPage: null,
      startedAt: null,
      enteredBy: null,
    });
    const stored = async () => t.database.db.select().from(responses).where(eq(responses.waveId, waveId));
    return { wave, version, slug, row, stored };
  }

  /** The same database, counting the statements the writer sends and the most in flight at once. */
  function counting(database: Database) {
    const counted = { ...database, statements: 0, inFlight: 0, mostInFlight: 0 };
    counted.rows = async (query) => {
      counted.statements++;
      counted.mostInFlight = Math.max(counted.mostInFlight, ++counted.inFlight);
      try {
        return await database.rows(query);
      } finally {
        counted.inFlight--;
      }
    };
    return counted;
  }

  it('writes submissions that arrive together in a few statements, each with its own receipt', async () => {
    const { row, stored } = await ucla3Wave();
    const database = counting(t.database);
    const writer = new ResponseWriter(database);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => writer.write(row(`together-${i}`))));
    expect(new Set(results.map((r) => r?.id)).size).toBe(40);
    expect(database.statements).toBeLessThan(10);
    const rows = await stored();
    expect(rows).toHaveLength(40);
    expect(new Map(rows.map((r) => [r.idempotencyKey, r.id]))).toEqual(new Map(results.map((r, i) => [`together-${i}`, r!.id])));
  });

  it('writes one row for attempts with the same key sent together, and tells the others nothing new was written', async () => {
    const { row, stored } = await ucla3Wave();
    const writer = new ResponseWriter(t.database);
    const attempts = await Promise.all(Array.from({ length: 6 }, () => writer.write(row('same-key'))));
    const written = attempts.filter((a) => a !== undefined);
    expect(written).toHaveLength(1);
    expect((await stored()).map((r) => r.id)).toEqual([written[0]!.id]);
  });

  it('keeps the rows beside one that PostgreSQL refuses, writing them again one by one within its limit', async () => {
    const { row, stored } = await ucla3Wave();
    const database = counting(t.database);
    const writer = new ResponseWriter(database);
    const keys = Array.from({ length: 30 }, (_, i) => `beside-${i}`);
    const results = await Promise.allSettled(keys.map((key, i) => writer.write(i % 10 === 3 ? row(key, { ucla3_companionship: 'NUL \u0000 here' }) : row(key))));
    expect(results.map((r) => r.status)).toEqual(keys.map((_, i) => (i % 10 === 3 ? 'rejected' : 'fulfilled')));
    expect((await stored()).map((r) => r.idempotencyKey).sort()).toEqual(keys.filter((_, i) => i % 10 !== 3).sort());
    expect(database.mostInFlight).toBeLessThanOrEqual(2);
  });

  it('refuses a participant once the wave closed, even one who saw it open; staff may still enter a late paper return', async () => {
    const { wave, version, stored } = await ucla3Wave();
    await t.database.db.update(waves).set({ status: 'closed' }).where(eq(waves.id, wave.id));
    const hashKey = t.hashKey;
    const late = submitResponse(t.database, hashKey, { wave, version }, { answers, status: 'complete', mode: 'web', idempotencyKey: 'after-close' });
    await expect(late).rejects.toBeInstanceOf(Problem);
    await expect(late).rejects.toMatchObject({ body: { status: 404, title: "Survey not available" } });
    expect(await stored()).toHaveLength(0);

    const paper = await t.staff('POST', `/api/waves/${wave.id}/responses`, { idempotencyKey: 'paper-after-close', mode: 'paper', answers });
    expect(paper.status).toBe(201);
    expect((await stored()).map((r) => r.mode)).toEqual(['paper']);
  });

  it('answers characters PostgreSQL cannot store (NUL, half a surrogate pair) with 400, storing nothing', async () => {
    const { slug } = await openWave(t, ['kanuma-feedback']);
    const bodies = [
      { idempotencyKey: 'nul-in-text', status: 'partial', answers: { kanuma_satisfaction_reason: 'a\u0000b' } },
      { idempotencyKey: 'half-pair-in-text', status: 'partial', answers: { kanuma_satisfaction_reason: 'a\ud800b' } },
      { idempotencyKey: 'half-pair-in-page', status: 'partial', answers: {}, lastPage: 'p\udc00' },
    ];
    for (const body of bodies) {
      const res = await t.request(`/api/public/s/${slug}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status, body.idempotencyKey).toBe(400);
      expect((await res.json()).detail_ja).toContain('保存できない文字');
    }
    const emoji = await t.request(`/api/public/s/${slug}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idempotencyKey: 'whole-pair', status: 'partial', answers: { kanuma_satisfaction_reason: '楽しかった😀' } }),
    });
    expect(emoji.status).toBe(201);
    const keys = (await t.database.db.select().from(responses)).map((r) => r.idempotencyKey);
    expect(keys).toContain('whole-pair');
    for (const body of bodies) expect(keys).not.toContain(body.idempotencyKey);
  });
});
