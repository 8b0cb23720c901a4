import { createHmac } from 'node:crypto';
import { keyedHash } from '../auth/secrets.js';

/**
 * An invitation's link token and short access code are derived from the hashing key, the invitation id
 * and the link's issue number. Nothing raw is stored (only keyed hashes, as before), yet staff can show or
 * print a link again; re-issuing takes the next issue number, so the old link and code stop working.
 * Without the key, the database reveals neither.
 */

/** Letters and digits an older reader cannot confuse: no 0/O, 1/I/l (uppercase only, so no l at all). */
export const ACCESS_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const ACCESS_CODE_LENGTH = 8;

function derive(hashKey: string, purpose: string, invitationId: string, issue: number): Buffer {
  return createHmac('sha256', hashKey).update(`${purpose}:${invitationId}:${issue}`).digest();
}

/** The link token (32 URL-safe characters, 192 bits) of an invitation's given issue. */
export function invitationToken(hashKey: string, invitationId: string, issue: number): string {
  return derive(hashKey, 'invitation-token', invitationId, issue).subarray(0, 24).toString('base64url');
}

/**
 * The 8-character access code of an invitation's issue (32^8 ≈ 1.1e12 codes). Codes are unique across the
 * instance (a unique index on the hash); on the rare collision the caller takes the next issue number.
 */
export function accessCode(hashKey: string, invitationId: string, issue: number): string {
  const bytes = derive(hashKey, 'access-code', invitationId, issue);
  // 32 symbols = 5 bits each; one byte per symbol keeps it simple and unbiased (256 is a multiple of 32).
  return Array.from(bytes.subarray(0, ACCESS_CODE_LENGTH), (b) => ACCESS_CODE_ALPHABET[b % 32]).join('');
}

/** A typed code as it is hashed: full-width forms, lower case, spaces and hyphens forgiven; null if it cannot be one. */
export function normaliseAccessCode(typed: string): string | null {
  const code = typed.normalize('NFKC').toUpperCase().replace(/[\s\-‐ー−]/g, '');
  return code.length === ACCESS_CODE_LENGTH && [...code].every((ch) => ACCESS_CODE_ALPHABET.includes(ch)) ? code : null;
}

/** Keyed hashes as stored in invitations.token_hash and invitations.access_code_hash. */
export const tokenHash = (hashKey: string, token: string) => keyedHash(hashKey, token);
export const accessCodeHash = (hashKey: string, code: string) => keyedHash(hashKey, `access-code:${code}`);

/** "ABCD-EFGH": how a code is printed, in two halves an older reader can copy. */
export function formatAccessCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
