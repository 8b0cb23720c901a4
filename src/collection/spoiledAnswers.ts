import { problems } from '../http/problem.js';
import { allQuestions, questionLabel } from '../web/surveyForm.js';

/**
 * What staff keyed from a paper return besides its answers: the questions marked 判読不能・無効 (two
 * options circled, unreadable). They are stored apart from the answers (responses.spoiled) so tables
 * can show them as their own missing line, never as an answer and never as 無回答.
 * Refuses a name that is not a question of the questionnaire, a question both answered and spoiled,
 * and a return with nothing keyed at all. Returns the spoiled names in questionnaire order.
 */
export function keyedReturn(definition: Record<string, unknown>, answers: Record<string, unknown>, spoiled: readonly string[]): string[] {
  const names = new Set(allQuestions(definition).map((fq) => fq.name));
  const unknown = spoiled.filter((name) => !names.has(name));
  if (unknown.length) {
    throw problems.unprocessable(
      `Marked as spoiled but not a question of this questionnaire: ${unknown.join(', ')}`,
      unknown.map((field) => ({ field, message: 'not a question of this questionnaire', message_ja: 'この質問票の質問ではありません' })),
      { title_ja: '判読不能の指定に誤りがあります', detail_ja: `「${unknown.join('」「')}」はこの質問票の質問ではありません。` },
    );
  }
  const both = spoiled.filter((name) => answers[name] !== undefined);
  if (both.length) {
    const labels = both.map((name) => questionLabel(definition, name) ?? name);
    throw problems.unprocessable(
      `Both an answer and 'spoiled' given for ${labels.join(', ').replaceAll('問', 'Q')}: keep one.`,
      both.map((field, i) => ({ field, label: labels[i], message: 'both an answer and spoiled', message_ja: '回答と「判読不能」の両方が入力されています。どちらか一方にしてください' })),
      { title_ja: '回答内容を確認してください', detail_ja: labels.map((l) => `${l}: 回答と「判読不能」の両方が入力されています。どちらか一方にしてください。`).join(' / ') },
    );
  }
  if (Object.keys(answers).length === 0 && spoiled.length === 0) {
    throw problems.unprocessable('No answers entered.', [], { title_ja: '回答が入力されていません', detail_ja: '回答が1つも入力されていません。白紙の返送は回答として保存せず、名簿の回答状況（拒否など）として記録してください。' });
  }
  const marked = new Set(spoiled);
  return [...new Set(allQuestions(definition).map((fq) => fq.name))].filter((name) => marked.has(name));
}
