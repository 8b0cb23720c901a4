import { problems } from '../http/problem.js';

/** Raw-response downloads an organisation may run at once (in this process): each reads every response of a wave. */
export const EXPORTS_AT_ONCE = 2;

const running = new Map<string, number>();

/** A slot for one download, released when it ends; null when the organisation's slots are all taken. */
export function takeExportSlot(organisationId: string): (() => void) | null {
  const now = running.get(organisationId) ?? 0;
  if (now >= EXPORTS_AT_ONCE) return null;
  running.set(organisationId, now + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (running.get(organisationId) ?? 1) - 1;
    if (left > 0) running.set(organisationId, left);
    else running.delete(organisationId);
  };
}

export function exportsBusy() {
  return problems.tooMany(
    `${EXPORTS_AT_ONCE} downloads of raw responses are already running for your organisation. Try again when one has finished.`,
    `あなたの団体の回答データのダウンロードが、すでに ${EXPORTS_AT_ONCE} 件実行中です。終わってから、もう一度お試しください。`,
  );
}
