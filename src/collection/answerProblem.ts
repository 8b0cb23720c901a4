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
