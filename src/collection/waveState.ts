import { Problem } from '../http/problem.js';
import type { waves } from '../db/schema.js';

type Wave = typeof waves.$inferSelect;

/** Why a wave does not take answers now, in words a participant understands; null when it does. */
export function closedReason(wave: Wave, now = new Date()): Problem | null {
  if (wave.opensAt && now < wave.opensAt) {
    return new Problem({
      title: 'Not open yet',
      status: 409,
      detail: `This survey opens on ${wave.opensAt.toISOString().slice(0, 10)}.`,
      title_ja: 'まだ受付前です',
      detail_ja: `このアンケートの受付は ${wave.opensAt.toISOString().slice(0, 10)} からです。`,
    });
  }
  if (wave.status === 'closed' || (wave.closesAt && now >= wave.closesAt)) {
    return new Problem({
      title: 'Survey closed',
      status: 410,
      detail: 'This survey has closed and no longer accepts answers. Thank you for your interest.',
      title_ja: 'このアンケートは終了しました',
      detail_ja: 'このアンケートの受付は終了しました。ご協力ありがとうございました。',
    });
  }
  return null;
}

export const unknownLink = () =>
  new Problem({
    title: 'Survey not found',
    status: 404,
    detail: 'This survey link is not valid. Please check the address.',
    title_ja: 'アンケートが見つかりません',
    detail_ja: 'このリンクは有効ではありません。アドレスをご確認ください。',
  });

export const alreadyAnswered = () =>
  new Problem({
    title: 'Already answered',
    status: 409,
    detail: 'Answers from this link have already been received. Thank you.',
    title_ja: '回答済みです',
    detail_ja: 'このリンクからの回答はすでに受け付けました。ご協力ありがとうございました。',
  });
