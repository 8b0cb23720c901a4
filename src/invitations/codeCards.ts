import { createHmac } from 'node:crypto';
import { ACCESS_CODE_ALPHABET, ACCESS_CODE_LENGTH, formatAccessCode } from '../collection/invitationLinks.js';

/**
 * Participant codes for pre/post studies, printed on cut-out cards. Derived from the hashing key, the study
 * (or a lone wave) and the card's number, so a lost sheet can be printed again with the same codes and no
 * code is stored; the alphabet has no 0/O or 1/I. The participant page hashes what is typed after
 * normalising it (intake.ts normaliseCode), so ABCD-EFGH, abcdefgh and full-width forms all pair.
 */
export function participantCode(hashKey: string, scopeId: string, cardNumber: number): string {
  const bytes = createHmac('sha256', hashKey).update(`participant-card:${scopeId}:${cardNumber}`).digest();
  return formatAccessCode(Array.from(bytes.subarray(0, ACCESS_CODE_LENGTH), (b) => ACCESS_CODE_ALPHABET[b % 32]).join(''));
}

/** Ten cards (2 × 5, business-card size) fill an A4 sheet. */
export const CARDS_PER_SHEET = 10;
