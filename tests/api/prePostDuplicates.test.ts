import { expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/databases.js';
import { openWave, useTestApp } from '../helpers/testApp.js';
import { login } from './accountsHelpers.js';

/** Issue 11, point 9: a participant code that answered a wave twice is listed, and left out of pairing unless chosen otherwise. */
describeEachDatabase('pre/post with a code answered twice', (kind) => {
  const t = useTestApp(kind);

  it('lists the duplicates, leaves them out by default, and uses the first or latest answer when asked', async () => {
    const study = await (await t.staff('POST', '/api/studies', { name: '二重回答' })).json();
    const pre = await openWave(t, ['ucla3-national'], { studyId: study.id, phase: 'pre', askParticipantCode: true });
    const post = await openWave(t, ['ucla3-national'], { studyId: study.id, phase: 'post', askParticipantCode: true });
    const all = (v: number) => ({ ucla3_companionship: v, ucla3_left_out: v, ucla3_isolated: v });
    const send = (slug: string, key: string, code: string, v: number) =>
      t.request(`/api/public/s/${slug}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idempotencyKey: key, participantCode: code, answers: all(v) }) });
    for (const [i, code] of ['A1', 'B2', 'C3'].entries()) {
      await send(pre.slug, `pre-${code}-x`, code, 1);
      await send(post.slug, `post-${code}-x`, code, 1 + (i % 2));
    }
    // someone else typed C3 after the real C3 answered: 3 → 9 if the latest wins
    await new Promise((r) => setTimeout(r, 5));
    expect((await send(post.slug, 'post-C3-y', 'C3', 3)).status).toBe(201);

    const report = async (duplicates?: string) => (await t.staff('GET', `/api/studies/${study.id}/prepost${duplicates ? `?duplicates=${duplicates}` : ''}`)).json();
    const excluded = await report();
    expect(excluded.duplicatePolicy).toBe('exclude');
    expect(excluded.paired.n).toBe(2);
    // left out of both waves, not counted as a pre-only participant
    expect(excluded.paired.preOnly).toBe(0);
    expect(excluded.post.duplicateKeys).toBe(1);
    expect(excluded.post.duplicates[0].responses.map((r: { score: number }) => r.score)).toEqual([3, 9]);
    expect(excluded.warnings.join(' ')).toMatch(/ペアの対象から除いています/);

    const latest = await report('latest');
    expect(latest.paired.n).toBe(3);
    expect(latest.pairs.map((p: { post: number }) => p.post).sort()).toEqual([3, 6, 9]);
    const first = await report('first');
    expect(first.pairs.map((p: { post: number }) => p.post).sort()).toEqual([3, 3, 6]);
    expect((await t.staff('GET', `/api/studies/${study.id}/prepost?duplicates=random`)).status).toBe(400);

    await t.staff('POST', '/api/users', { email: 'evaluator@example.jp', name: '評価者', role: 'evaluator', password: 'evaluator-password-1' });
    const { cookie } = await login(t.app, 'evaluator@example.jp', 'evaluator-password-1');
    const page = await (await t.app.request(`/staff/studies/${study.id}/results`, { headers: { cookie } })).text();
    expect(page).toContain('同じ参加者コードでの複数回答');
    expect(page).toContain(excluded.post.duplicates[0].responses[1].id);
  });
});
