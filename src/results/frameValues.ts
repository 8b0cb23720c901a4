import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';

/** The line or column of respondents who came through the open link: they have no frame attributes. */
export const OUTSIDE_FRAME = '名簿外（公開リンク等）';

/**
 * Each attribute's values in the order the frame listed them (first appearance), not in character-code
 * order: strata read as the organisation wrote them (frame.ts stamps each unit with its own time).
 */
export async function frameValues(database: Database, waveId: string, attributes: string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = Object.fromEntries(attributes.map((a) => [a, []]));
  if (attributes.length === 0) return out;
  // Each attribute read by name (->>) rather than every attribute expanded (jsonb_each_text): a frame of a
  // million lines is read once, without a row per attribute.
  const rows = await database.rows<{ key: string; value: string }>(sql`
    select a.key, i.attributes ->> a.key as value from invitations i cross join unnest(array[${sql.join(attributes.map((a) => sql`${a}::text`), sql`, `)}]) a(key)
    where i.wave_id = ${waveId} and i.attributes ? a.key
    group by 1, 2 order by 1, min(i.created_at)`);
  for (const r of rows) out[r.key]?.push(r.value);
  return out;
}
