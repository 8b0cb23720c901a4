import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeWithSurveyCore } from '../../src/questionnaires/answerCheck.js';
import { checkAnswers, reviewDefinition } from '../../src/questionnaires/answerValidator.js';
import { loadTemplateLibrary } from '../../src/questionnaires/templateLibrary.js';
import { generatedDefinition, seeded, simulatedParticipant, tampered } from '../helpers/questionnaireArbitraries.js';

/**
 * The differential test of the answer check (issue 10). Every submission is judged twice: by the
 * server's check (plan, caches and all, under one version id per questionnaire) and by the
 * reference, a fresh survey-core model plus the shape rules. They must agree on every verdict and
 * every stored value, whatever order submissions arrive in.
 */
type Json = Record<string, any>;
type Case = { answers: Json; requireComplete: boolean };

const tally = { definitions: 0, answerSets: 0, judgements: 0, disagreements: 0 };
afterAll(async () => {
  // survey-core timers (scrolls, focus) would fire here if any were left: they must not throw.
  await new Promise((resolve) => setTimeout(resolve, 300));
  console.log(`answer check differential: ${tally.definitions} definitions, ${tally.answerSets} answer sets, ${tally.judgements} server judgements in two orders, ${tally.disagreements} disagreements`);
});

/** Valid answer sets from simulated participants, and the same sets tampered with. */
function casesFor(definition: Json, seed: number, count: number): Case[] {
  const rng = seeded(seed);
  const cases: Case[] = [];
  for (let i = 0; i < count; i++) {
    const answers = simulatedParticipant(definition, rng.int(0, 2 ** 31), i % 4 === 0 ? 0 : 0.15);
    const sent = i % 3 === 0 ? answers : tampered(definition, answers, rng.int(0, 2 ** 31));
    cases.push({ answers: sent, requireComplete: rng.chance(0.7) });
  }
  return cases;
}

let versions = 0;

const judge = (versionId: string, definition: Json, { answers, requireComplete }: Case) =>
  JSON.stringify(checkAnswers(versionId, definition, structuredClone(answers), { requireComplete }));

/**
 * Judges every case with the reference, then with the server check in the given order and in a
 * shuffled one: the same verdict and stored answers each time.
 */
function agreesInAnyOrder(definition: Json, cases: Case[], orderSeed: number) {
  tally.definitions++;
  const versionId = `differential-${versions++}`;
  tally.answerSets += cases.length;
  const reference = cases.map(({ answers, requireComplete }) => JSON.stringify(judgeWithSurveyCore(definition, structuredClone(answers), { requireComplete })));
  const rng = seeded(orderSeed);
  const shuffled = cases.map((_, i) => i).sort(() => rng.next() - 0.5);
  for (const order of [cases.map((_, i) => i), shuffled]) {
    for (const i of order) {
      const server = judge(versionId, definition, cases[i]);
      tally.judgements++;
      if (server !== reference[i]) tally.disagreements++;
      expect(server, JSON.stringify({ definition, ...cases[i] })).toBe(reference[i]);
    }
  }
}

const fixtures = new URL('./fixtures/questionnaires/', import.meta.url);
const handWritten = readdirSync(fixtures).map((file) => [file, JSON.parse(readFileSync(new URL(file, fixtures), 'utf8'))] as [string, Json]);
const templates = [...loadTemplateLibrary().entries()].map(([id, t]) => [id, t.survey as Json] as [string, Json]);

describe('the answer check agrees with a fresh survey-core model plus the shape rules', () => {
  for (const [name, definition] of [...templates, ...handWritten]) {
    it(`${name}: 100 answer sets, in two orders`, { timeout: 120_000 }, () => {
      expect(reviewDefinition(definition).problems).toEqual([]);
      agreesInAnyOrder(definition, casesFor(definition, name.length * 7919, 100), 1);
    });
  }

  for (const plain of [false, true]) {
    const what = plain ? 'the features the quick plan models' : 'every supported feature';
    it(`generated questionnaires using ${what}`, { timeout: 300_000 }, () => {
      fc.assert(
        fc.property(generatedDefinition(plain), fc.integer(), (definition, seed) => {
          expect(reviewDefinition(definition).problems, JSON.stringify(definition)).toEqual([]);
          agreesInAnyOrder(definition, casesFor(definition, seed, 8), seed);
        }),
        { numRuns: plain ? 250 : 120, seed: Number(process.env.DIFFERENTIAL_SEED ?? 20261130) },
      );
    });
  }

  it('one version judged between submissions to other versions keeps its verdicts', () => {
    const [first, second] = handWritten.map(([, d]) => d);
    const a = casesFor(first, 11, 30);
    const b = casesFor(second, 12, 30);
    const alone = a.map((c) => judge('interleaved-a', first, c));
    const mixed = a.map((c, i) => {
      judge('interleaved-b', second, b[i]);
      return judge('interleaved-a', first, c);
    });
    expect(mixed).toEqual(alone);
  });
});
