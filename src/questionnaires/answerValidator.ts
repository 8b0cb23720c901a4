import { compileAnswerPlan, type AnswerPlan } from './answerPlan.js';
import { judgeWithSurveyCore, type AnswerError, type Verdict } from './answerCheck.js';
import { elementProblems, networkParts, unsafePatterns, unsupportedParts, type Finding } from './definitionSupport.js';
import { freshModel } from './surveyCore.js';
import { VersionCache } from './versionCache.js';

export type { AnswerError, Verdict };

/**
 * What is built once per questionnaire version: whether the check can judge it at all, and the
 * quick plan for simple questionnaires. Both are immutable; nothing of a submission is kept.
 */
type Compiled = { unsupported: Finding[]; plan: AnswerPlan | null };

const cache = new VersionCache<Compiled>(500);

/**
 * The one answer check of every path (see answerCheck.ts for its contract). Questionnaires the
 * plan models are judged by it in about a microsecond; everything else, and everything the plan
 * is unsure of, by a fresh survey-core model.
 */
export function checkAnswers(
  versionId: string,
  definition: Record<string, unknown>,
  answers: Record<string, unknown>,
  { requireComplete }: { requireComplete: boolean },
): Verdict {
  const compiled = compile(versionId, definition);
  if (compiled.unsupported.length > 0) {
    return {
      errors: compiled.unsupported.map((f) => ({
        field: '',
        message: `This questionnaire cannot take answers: ${f.where.en}: ${f.message}`,
        message_ja: `このアンケートは回答を受け付けられません（${f.where.ja}: ${f.message_ja}）。`,
      })),
    };
  }
  const planned = compiled.plan?.accepts(answers, requireComplete);
  if (planned) return { answers: planned, errors: [] };
  return judgeWithSurveyCore(definition, answers, { requireComplete });
}

function compile(versionId: string, definition: Record<string, unknown>): Compiled {
  const hit = cache.get(versionId);
  if (hit) return hit;
  const unsupported = [...unsupportedParts(definition), ...unsafePatterns(definition)];
  try {
    const plan = unsupported.length ? null : compileAnswerPlan(definition, freshModel(definition));
    return cache.set(versionId, { unsupported, plan });
  } catch (error) {
    // A version stored before the review existed may not even load (a question named "__proto__").
    const reason = (error as Error).message;
    const where = { en: 'Survey', ja: 'アンケート全体' };
    return cache.set(versionId, { unsupported: [{ where, message: `survey-core could not load it: ${reason}`, message_ja: `survey-core で読み込めません: ${reason}` }], plan: null });
  }
}

export type DefinitionReview = {
  /** What stops the questionnaire from being saved or published. */
  problems: { message: string; message_ja: string }[];
  /** What survey-core noticed but can live with (unknown properties, nameless html elements). */
  warnings: string[];
};

/** Checks a questionnaire definition: survey-core loads it and the answer check can judge every part. */
export function reviewDefinition(definition: unknown): DefinitionReview {
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    return { problems: [{ message: 'The questionnaire must be a SurveyJS JSON object.', message_ja: 'アンケートは SurveyJS の JSON オブジェクトで指定してください。' }], warnings: [] };
  }
  const json = definition as Record<string, unknown>;
  const problems = [...elementProblems(json), ...unsupportedParts(json), ...unsafePatterns(json)].map(located);
  // survey-core fetches some definitions as it loads them: never load those.
  if (networkParts(json).length) return { problems, warnings: [] };
  let model;
  try {
    model = freshModel(json);
  } catch (error) {
    const reason = (error as Error).message;
    return { problems: [...problems, { message: `survey-core could not read the questionnaire: ${reason}`, message_ja: `survey-core がアンケートを読み込めませんでした: ${reason}` }], warnings: [] };
  }
  const warnings = (model.jsonErrors ?? []).map((e) => `注意（保存・公開はできます） Warning: ${String((e as { message?: string }).message ?? e)}`);
  const names = new Map<string, number>();
  for (const q of model.getAllQuestions(false)) names.set(q.name, (names.get(q.name) ?? 0) + 1);
  for (const [name, count] of names) {
    if (count > 1) problems.push({ message: `Question name "${name}" is used ${count} times.`, message_ja: `質問名「${name}」が ${count} 回使われています。` });
  }
  if (names.size === 0) problems.push({ message: 'The questionnaire has no questions.', message_ja: 'アンケートに質問がありません。' });
  return { problems, warnings };
}

const located = (f: Finding) => ({
  message: `${f.where.en}: ${f.message}`,
  message_ja: `${f.where.ja}: ${f.message_ja}`,
});
