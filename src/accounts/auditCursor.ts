/**
 * Where a page of the audit log starts. PostgreSQL keeps microseconds and several events can share a
 * millisecond, so a JS Date as the boundary would skip some: the cursor carries the time as PostgreSQL
 * formats it (UTC, microseconds, independent of the session's DateStyle and TimeZone) and the event id,
 * for paging on (at, id). `before` still takes a plain time too, as the API did first: events strictly
 * before it.
 */
import { z } from 'zod';

export type AuditPosition = { at: string; id?: string };

/** `to_char(at at time zone 'UTC', …)` of the page's last event, or a JS Date's ISO string. */
const AT = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,6}Z$/;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const AT_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"';

export function auditCursor(at: string, id: string): string {
  return Buffer.from(`${at} ${id}`).toString('base64url');
}

function fromCursor(value: string): AuditPosition | undefined {
  const [at, id, ...rest] = Buffer.from(value, 'base64url').toString().split(' ');
  return rest.length === 0 && isTime(at) && ID.test(id ?? '') ? { at, id } : undefined;
}

/** The right shape and a real instant: month 13 or hour 99 would reach PostgreSQL as an error. */
function isTime(at: string): boolean {
  if (!AT.test(at)) return false;
  const time = new Date(at);
  return !Number.isNaN(time.getTime()) && time.toISOString().slice(0, 19) === at.slice(0, 19);
}

function fromTime(value: string): AuditPosition | undefined {
  const time = new Date(value);
  const at = Number.isNaN(time.getTime()) ? '' : time.toISOString();
  return AT.test(at) ? { at } : undefined;
}

/** The `before` query parameter: the `next` of the previous page, or a time. */
export const auditBefore = z
  .string()
  .max(200)
  .transform((value, ctx) => {
    const position = fromCursor(value) ?? fromTime(value);
    if (!position) ctx.addIssue({ code: 'custom', message: 'expected the `next` of a previous page or a time' });
    return position ?? z.NEVER;
  });
