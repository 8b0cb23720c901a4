import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The opt-out link of an invitation: its id and a keyed MAC, so it needs no stored secret and keeps
 * working after the survey link is re-issued (an old e-mail's footer must still stop the next one).
 */
export function optOutMac(hashKey: string, invitationId: string): string {
  return createHmac('sha256', hashKey).update(`mail-opt-out:${invitationId}`).digest().subarray(0, 18).toString('base64url');
}

export const optOutPath = (hashKey: string, invitationId: string) => `/optout/${invitationId}/${optOutMac(hashKey, invitationId)}`;

export function validOptOut(hashKey: string, invitationId: string, mac: string): boolean {
  const expected = Buffer.from(optOutMac(hashKey, invitationId));
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
