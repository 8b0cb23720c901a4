import { asc, eq, sql } from 'drizzle-orm';
import { prePostReport, type DuplicatePolicy } from '../../analysis/index.js';
import { linkedScores } from '../../analysis/prePostReport.js';
import { ScaleDefinitionSchema, type ScaleDefinition } from '../../analysis/scoringSchema.js';
import type { Staff } from '../auth/staff.js';
import { owned } from '../auth/scope.js';
import type { Database } from '../db/database.js';
import { questionnaireVersions, studies, waves } from '../db/schema.js';
import { uuidParam } from '../http/params.js';
import { problems } from '../http/problem.js';
import { analyticRows } from './analyticQuery.js';

type Choice = { score?: string; pre?: string; post?: string; duplicates?: DuplicatePolicy };

/** The study's pre and post waves: named explicitly, or the waves whose phase is "pre" and "post". */
async function chooseWaves(database: Database, staff: Staff, studyId: string, choice: Choice) {
  const [study] = await database.db.select().from(studies).where(owned(studies, staff, uuidParam(studyId, 'Study')));
  if (!study) throw problems.notFound('Study');
  const studyWaves = await database.db
    .select({ wave: waves, version: questionnaireVersions })
    .from(waves)
    .innerJoin(questionnaireVersions, eq(questionnaireVersions.id, waves.versionId))
    .where(eq(waves.studyId, study.id))
    .orderBy(asc(waves.createdAt));
  const pick = (id: string | undefined, phase: string) => {
    const found = id ? studyWaves.find((w) => w.wave.id === id) : studyWaves.find((w) => w.wave.phase === phase);
    if (!found) {
      const ja = phase === 'pre' ? '事前' : '事後';
      throw problems.unprocessable(
        id ? `Wave ${id} is not part of this study.` : `The study has no wave with phase "${phase}"; name one with ?${phase}=<waveId>.`,
        [{ field: phase, message: 'no such wave in the study', message_ja: `この調査に${ja}の回がありません` }],
        {
          title_ja: `${ja}の回が見つかりません`,
          detail_ja: id
            ? `指定した回はこの調査に含まれていません。`
            : `この調査には、段階が「${phase}」（${ja}）の回がありません。回を開くときに段階（phase）を「${phase}」にするか、回を指定してください。`,
        },
      );
    }
    return found;
  };
  return { study, pre: pick(choice.pre, 'pre'), post: pick(choice.post, 'post') };
}

function scaleOf(version: typeof questionnaireVersions.$inferSelect, scaleId: string | undefined): ScaleDefinition {
  const scales = version.scoring.map((s) => ScaleDefinitionSchema.parse(s));
  if (scales.length === 0) throw problems.unprocessable('The questionnaire has no scored instrument.', [{ field: 'score', message: 'nothing to score' }]);
  const scale = scaleId ? scales.find((s) => s.id === scaleId) : scales[0];
  if (!scale) {
    throw problems.unprocessable(`Unknown score "${scaleId}". This questionnaire scores: ${scales.map((s) => s.id).join(', ')}.`, [
      { field: 'score', message: 'unknown scale' },
    ]);
  }
  return scale;
}

/** Only the scale's item answers leave the database, not whole responses. */
async function itemAnswers(database: Database, waveId: string, scale: ScaleDefinition) {
  const fields = scale.items.map((item) => sql`${item.question}::text, r.data->${item.question}`);
  // Oldest first, so that a key that answered twice has its first and latest answer in order; the sort of a
  // 100,000-response wave fits in 64MB of memory instead of spilling to disk.
  const rows = await analyticRows<{ id: string; submittedAt: string | Date; key: string | null; answers: Record<string, unknown> }>(
    database,
    sql`select r.id, r.submitted_at as "submittedAt", r.participant_key_hash as key, jsonb_build_object(${sql.join(fields, sql`, `)}) as answers
    from responses r where r.wave_id = ${waveId} and r.status = 'complete' order by r.submitted_at, r.id`,
    { workMem: '64MB' },
  );
  return rows.map((r) => ({
    id: r.id,
    submittedAt: new Date(r.submittedAt).toISOString(),
    key: r.key,
    answers: typeof r.answers === 'string' ? JSON.parse(r.answers) : r.answers,
  }));
}

/** The study's pre and post waves with the scale's item answers of each (one scale, scored alike in both). */
async function studyAnswers(database: Database, staff: Staff, studyId: string, choice: Choice) {
  const { study, pre, post } = await chooseWaves(database, staff, studyId, choice);
  const preScale = scaleOf(pre.version, choice.score);
  const postScale = scaleOf(post.version, preScale.id);
  if (JSON.stringify(preScale) !== JSON.stringify(postScale)) {
    throw problems.unprocessable(`The pre and post questionnaires score "${preScale.id}" differently; scores of different variants are never pooled.`, [
      { field: 'score', message: 'different scoring in pre and post' },
    ]);
  }
  const [preAnswers, postAnswers] = await Promise.all([itemAnswers(database, pre.wave.id, preScale), itemAnswers(database, post.wave.id, preScale)]);
  return {
    header: {
      study: { id: study.id, name: study.name },
      preWave: { id: pre.wave.id, name: pre.wave.name },
      postWave: { id: post.wave.id, name: post.wave.name },
      scaleLabel: preScale.label,
      /** Which end of the score is better, and the scale's words for it. */
      scaleDirection: { higherIs: preScale.higherIs ?? null, text: preScale.direction ?? null },
    },
    preScale,
    preAnswers,
    postAnswers,
  };
}

/** The study's linked pre/post scores with their participant keys, for joining attendance by key. */
export async function studyLinkedScores(database: Database, staff: Staff, studyId: string, choice: Choice) {
  const { header, preScale, preAnswers, postAnswers } = await studyAnswers(database, staff, studyId, choice);
  return { ...header, pairs: linkedScores(preScale, preAnswers, postAnswers, choice.duplicates ?? 'exclude') };
}

export async function studyPrePost(database: Database, staff: Staff, studyId: string, choice: Choice) {
  const { header, preScale, preAnswers, postAnswers } = await studyAnswers(database, staff, studyId, choice);
  return {
    ...header,
    ...prePostReport(preScale, preAnswers, postAnswers, choice.duplicates ?? 'exclude'),
  };
}

