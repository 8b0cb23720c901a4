import type { waves } from '../db/schema.js';
import { Problem } from '../http/problem.js';
import { japanDate } from '../web/japanTime.js';

type Wave = typeof waves.$inferSelect;

/**
 * Why a wave does not take answers now, in words a participant understands; null when it does.
 * responseWriter.ts checks the same in SQL as it inserts: change them together.
 */
export function closedReason(wave: Wave, now = new Date()): Problem | null {
  // Ended first: a wave closed before its opening day will never open, whatever the date says.
  if (hasEnded(wave, now)) return unavailableLink();
  if (wave.opensAt && now < wave.opensAt) {
    const day = japanDate(wave.opensAt);
    return new Problem({
      title: 'Not open yet',
      status: 409,
      detail: `This survey opens on ${day}.`,
      title_ja: 'まだ受付前です',
      detail_ja: `このアンケートの受付は ${day} からです。`,
    });
  }
  return null;
}

/** Whether the wave will never take answers again: closed by staff, or past its closing time. */
export function hasEnded(wave: Wave, now = new Date()): boolean {
  return wave.status === 'closed' || (wave.closesAt !== null && now >= wave.closesAt);
}

/**
 * One answer for a closed wave and for a link that leads nowhere, so nobody can tell from outside
 * which links exist: it says both things a participant may need to hear.
 */
export const unavailableLink = () =>
  new Problem({
    title: 'Survey not available',
    status: 404,
    detail: 'This survey is not taking answers: it has closed, or the link is not complete. Please check the address you were given. Thank you for your interest.',
    title_ja: 'このアンケートには回答できません',
    detail_ja: 'このアンケートの受付は終了したか、リンクが正しくありません。お手元の案内のアドレスをご確認ください。ご協力ありがとうございました。',
  });

export const alreadyAnswered = () =>
  new Problem({
    title: 'Already answered',
    status: 409,
    detail: 'Answers from this link have already been received. Thank you.',
    title_ja: '回答済みです',
    detail_ja: 'このリンクからの回答はすでに受け付けました。ご協力ありがとうございました。',
  });
