/**
 * Time to judge one submission with the answer check alone (no HTTP, no database), for a small, a
 * 15-question and a 600-question questionnaire: the quick plan the server uses, and a fresh
 * survey-core model (the reference, and the path of questionnaires the plan does not model).
 *
 *   npx tsx tests/bench/answerCheck.ts [--seconds 2]
 *
 * Answers come from a simulated participant (tests/helpers/questionnaireArbitraries.ts): each
 * visible question answered, conditions followed. Each figure is the median of 5 timed rounds.
 */
import { readFileSync } from 'node:fs';
import { judgeWithSurveyCore } from '../../src/questionnaires/answerCheck.js';
import { checkAnswers } from '../../src/questionnaires/answerValidator.js';
import { loadTemplateLibrary } from '../../src/questionnaires/templateLibrary.js';
import { simulatedParticipant } from '../helpers/questionnaireArbitraries.js';

const secondsAt = process.argv.indexOf('--seconds');
const seconds = secondsAt > 0 ? Number(process.argv[secondsAt + 1]) : 2;
type Json = Record<string, any>;

const municipal = JSON.parse(readFileSync(new URL('../unit/fixtures/questionnaires/municipal-needs.json', import.meta.url), 'utf8'));

/** The municipal needs survey grown to 15 questions: 6 of them shown on a condition, 2 validated. */
function fifteenQuestions(): Json {
  const extra = [
    { type: 'radiogroup', name: 'lives_alone_years', title: 'ひとり暮らしの年数', visibleIf: '{household} = 1', choices: ['1年未満', '1〜5年', '5年以上'] },
    { type: 'rating', name: 'loneliness', title: '孤独だと感じる頻度', isRequired: true, rateMin: 1, rateMax: 5 },
    { type: 'checkbox', name: 'places', title: '出かける場所', choices: ['公民館', 'サロン', '病院', 'スーパー'], showNoneItem: true },
    { type: 'text', name: 'salon_name', title: 'サロンの名前', visibleIf: "{places} contains 'サロン'", maxLength: 40 },
    { type: 'boolean', name: 'volunteer', title: 'ボランティアに関心がありますか' },
    { type: 'text', name: 'age', title: '年齢', inputType: 'number', min: 18, max: 120, validators: [{ type: 'numeric', minValue: 18, maxValue: 120 }] },
  ];
  return { ...municipal, pages: [...municipal.pages, { name: 'more', elements: extra }] };
}

/** 600 questions on 60 pages; every fifth shown only when the one before it is answered "はい". */
function sixHundredQuestions(): Json {
  const pages = Array.from({ length: 60 }, (_, p) => ({
    name: `p${p + 1}`,
    elements: Array.from({ length: 10 }, (_, i) => {
      const n = p * 10 + i + 1;
      const base = { name: `q${n}`, title: `質問 ${n}`, ...(n % 5 === 0 ? { visibleIf: `{q${n - 1}} = 'はい'` } : {}) };
      if (n % 3 === 0) return { ...base, type: 'rating', rateMin: 1, rateMax: 5, isRequired: true };
      if (n % 3 === 1) return { ...base, type: 'radiogroup', choices: ['はい', 'いいえ'] };
      return { ...base, type: 'comment', maxLength: 200 };
    }),
  }));
  return { title: '大きな調査', pages };
}

function median(values: number[]) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** Microseconds per call of `judge` over the answer sets, median of 5 rounds. */
function time(judge: (answers: Json) => unknown, answerSets: Json[]): number {
  const budget = (seconds * 1000) / 5;
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    let calls = 0;
    const start = performance.now();
    while (performance.now() - start < budget) judge(answerSets[calls++ % answerSets.length]);
    rounds.push(((performance.now() - start) * 1000) / calls);
  }
  return median(rounds);
}

const sizes: [string, Json][] = [
  ['small (UCLA 3 items)', loadTemplateLibrary().get('ucla3-national')!.survey as Json],
  ['15 questions, 6 conditions', fifteenQuestions()],
  ['600 questions, 120 conditions', sixHundredQuestions()],
];

console.log(`answer check, one submission at a time, ${seconds} s per figure (median of 5 rounds)`);
console.log('questionnaire                   | server check | fresh survey-core model | refused (survey-core, both languages)');
for (const [label, definition] of sizes) {
  const answerSets = Array.from({ length: 20 }, (_, i) => simulatedParticipant(definition, i, 0));
  const refused = answerSets.map((a) => ({ ...a, not_a_question: 1 }));
  const versionId = `bench-${label}`;
  const accepted = answerSets.filter((a) => checkAnswers(versionId, definition, a, { requireComplete: true }).answers).length;
  const server = time((a) => checkAnswers(versionId, definition, a, { requireComplete: true }), answerSets);
  const reference = time((a) => judgeWithSurveyCore(definition, a, { requireComplete: true }), answerSets);
  const refusal = time((a) => checkAnswers(versionId, definition, a, { requireComplete: true }), refused);
  const ms = (us: number) => `${(us / 1000).toFixed(3)} ms`.padStart(10);
  console.log(`${label.padEnd(31)} | ${ms(server)}   | ${ms(reference)}              | ${ms(refusal)}   (${accepted}/20 accepted)`);
}
