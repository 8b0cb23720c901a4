import QRCode from 'qrcode';
import { accessCode, formatAccessCode, invitationToken } from '../collection/invitationLinks.js';

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
