import QRCode from 'qrcode';
import { audit, type AuditActor } from '../accounts/audit.js';
import { accessCode, formatAccessCode, invitationToken } from '../collection/invitationLinks.js';
import type { Database } from '../db/database.js';

/** An invitation's link and access code as staff see and print them; derived again, never stored. */
export type ShownLink = { url: string; accessCode: string };

/** Links made before derivation (no issue number) cannot be shown again, only re-issued: null. */
export function shownLink(hashKey: string, publicUrl: (path: string) => string, invitation: { id: string; tokenIssue: number | null }): ShownLink | null {
  if (invitation.tokenIssue === null) return null;
  return {
    url: publicUrl(`/t/${invitationToken(hashKey, invitation.id, invitation.tokenIssue)}`),
    accessCode: formatAccessCode(accessCode(hashKey, invitation.id, invitation.tokenIssue)),
  };
}

/** The short address printed beside each code: typed by hand, so as short as the service allows. */
export const shortAddress = (publicUrl: (path: string) => string) => publicUrl('/c');

/** A QR code as inline SVG for pages and print; level M survives a smudged or folded letter. */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/**
 * Records that staff viewed links and access codes (the list API, the list page, a unit's page): whoever
 * holds a link can answer as its unit. One event per view, naming the units shown, not one per unit.
 */
export function auditLinksShown(database: Database, staff: AuditActor, waveId: string, details: { via: 'api' | 'list' | 'unit'; units: string[] }) {
  return audit(database.db, staff, 'view.invitation_links', waveId, { via: details.via, n: details.units.length, units: details.units.slice(0, 100) });
}
