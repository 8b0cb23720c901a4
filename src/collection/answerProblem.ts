import { problems } from '../http/problem.js';
import type { AnswerError } from '../questionnaires/answerValidator.js';
import { questionLabel } from '../web/surveyForm.js';

/**
 * Refused answers as problem+json, each error naming its question by the 問 number printed on the
 * paper questionnaire and the entry page (「問2: 回答が必要です」), not by its variable name.
 */
export function answersRefused(definition: Record<string, unknown>, errors: AnswerError[]) {
  const labelled = errors.map((e) => {
    const label = e.field ? questionLabel(definition, e.field) : undefined;
    return label ? { ...e, label } : e;
  });
  const line = (e: (typeof labelled)[number], message: string, q: string) => {
    const where = 'label' in e && e.label ? e.label.replace('問', q) : e.field;
    return where ? `${where}: ${message}` : message;
  };
  return problems.unprocessable(`Some answers are not valid: ${labelled.map((e) => line(e, e.message, 'Q')).join('; ')}`, labelled, {
    title_ja: '回答内容を確認してください',
    detail_ja: labelled.map((e) => line(e, e.message_ja, '問')).join(' / '),
  });
}

/** A return keyed with a unit id the wave's frame does not hold. */
export function unitNotInFrame(unitId: string) {
  return problems.unprocessable(`Unit "${unitId}" is not in this wave's frame.`, [{ field: 'unitId', label: '', message: `Unit "${unitId}" is not in the frame`, message_ja: `対象者番号 ${unitId} は名簿にありません` }], {
    title: 'Unit not in the frame',
    title_ja: '対象者番号が名簿にありません',
    detail_ja: `対象者番号 ${unitId} はこの回の名簿にありません。番号を確かめるか、空欄にして名簿外の回答として保存してください。`,
  });
}

/** A return keyed for a unit whose answer is already in: said to staff, naming the unit (not the participant's message). */
export function unitAnswered(unitId: string) {
  return problems.conflict(`Unit "${unitId}" has already answered. Correct or delete its entered return on the entry page instead.`, {
    title: 'Already answered',
    title_ja: '回答済みの対象者です',
    detail_ja: `対象者 ${unitId} はすでに回答済みです（回答は一人一回です）。入力を直すときは、入力済みの一覧からその回答を修正または削除してください。`,
  });
}

/**
 * A paper keyed without the participant code its wave asks for is kept: it came back and counts for the
 * response rate, but cannot be paired with the same person's other wave. Staff are told so.
 */
export const missingCodeWarning = {
  warning: 'Saved without a participant code: it counts, but is not paired with the other wave of the study.',
  warning_ja: '参加者コードなしで保存しました。回答数には入りますが、事前・事後の対応づけには使われません。',
};
