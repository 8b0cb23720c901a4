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
  const rows = await database.rows<{ key: string; value: string }>(sql`
    select a.key, a.value from invitations, jsonb_each_text(attributes) a(key, value)
    where wave_id = ${waveId} and a.key in (${sql.join(attributes.map((a) => sql`${a}`), sql`, `)})
    group by 1, 2 order by 1, min(created_at)`);
  for (const r of rows) out[r.key]?.push(r.value);
  return out;
}
