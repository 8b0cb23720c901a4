/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\]|0\.0\.0\.0)$/i;

/** Whether participants' phones could open a link: not when it points at this computer itself. */
export function reachable(link: string): boolean {
  try {
    return !LOOPBACK.test(new URL(link).hostname);
  } catch {
    return false;
  }
}

/**
 * Shown where participant links and QR codes are handed out while they point at this computer
 * (PUBLIC_URL unset): a printed QR code would lead nowhere.
 */
export const LinkWarning: FC<{ sample: string }> = ({ sample }) =>
  reachable(sample) ? null : (
    <p class="problems" role="alert" id="link-warning">
      参加者用のリンクと QR コードが <code>{new URL(sample, 'http://localhost').origin}</code> を指しています。これはこのパソコンの中でしか開けないため、配布・印刷しても参加者は回答できません。
      サーバーを参加者が開けるアドレスで公開し、環境変数 <code>PUBLIC_URL</code> に設定して起動し直してください（README の「Deployment」）。
      <span class="en"> Participant links point at this computer: set PUBLIC_URL to the address participants can reach before handing them out.</span>
    </p>
  );
