import { and, desc, eq, isNull } from 'drizzle-orm';
import { owned } from '../auth/scope.js';
import type { Staff } from '../auth/staff.js';
import type { Database } from '../db/database.js';
import { invitations, paperKeyings, responses, staffLabel, users } from '../db/schema.js';
import { allQuestions } from '../web/surveyForm.js';
import { keyedLines } from './enteredAnswers.js';

type Json = Record<string, unknown>;

/** What one keying holds: the answers and the questions marked 判読不能. */
export type Keyed = { data: Record<string, unknown>; spoiled: readonly string[] };

/** A question the two keyings of one paper return disagree on, as each keyed it. */
export type Mismatch = { name: string; label: string; title: string; first: string; second: string };

/** One question as keyed: its value, its "other" text, whether it was marked spoiled; lists compared as sets. */
function keyedAs(keyed: Keyed, name: string): string {
  const value = keyed.data[name];
  const canonical = Array.isArray(value) ? [...value].map(String).sort() : value;
  return JSON.stringify([canonical ?? null, keyed.data[`${name}-Comment`] ?? null, keyed.spoiled.includes(name)]);
}

/** The questions, in 問 order, where the second keying differs from the first (double entry). */
export function mismatches(definition: Json, first: Keyed, second: Keyed): Mismatch[] {
  const a = keyedLines(definition, first.data, first.spoiled);
  const b = keyedLines(definition, second.data, second.spoiled);
  const seen = new Set<string>();
  return a.flatMap((line, i) => {
    if (seen.has(line.name)) return [];
    seen.add(line.name);
    if (keyedAs(first, line.name) === keyedAs(second, line.name)) return [];
    return [{ name: line.name, label: `問${line.no}`, title: line.title, first: line.answer, second: b[i].answer }];
  });
}

/**
 * The return as the editor settled it: the first keying, with the second keying's answer taken for each
 * question the editor chose it for. Names not offered by the questionnaire are ignored by the caller's check.
 */
export function settled(definition: Json, first: Keyed, second: Keyed, useSecond: ReadonlySet<string>): { answers: Record<string, unknown>; spoiled: string[] } {
  const answers = { ...first.data };
  const spoiled = new Set(first.spoiled);
  for (const { name } of allQuestions(definition)) {
    if (!useSecond.has(name)) continue;
    for (const key of [name, `${name}-Comment`]) {
      delete answers[key];
      if (second.data[key] !== undefined) answers[key] = second.data[key];
    }
    if (second.spoiled.includes(name)) spoiled.add(name);
    else spoiled.delete(name);
  }
  return { answers, spoiled: [...spoiled] };
}

/** Second keyings of a wave's returns not yet settled (they disagreed with the first), newest first. */
export async function unresolvedKeyings(database: Database, staff: Staff, waveId: string) {
  return database.db
    .select({ responseId: responses.id, unitId: invitations.unitId, keyedBy: staffLabel, keyedAt: paperKeyings.createdAt })
    .from(paperKeyings)
    .innerJoin(responses, eq(responses.id, paperKeyings.responseId))
    .leftJoin(invitations, eq(invitations.id, responses.invitationId))
    .leftJoin(users, eq(users.id, paperKeyings.enteredBy))
    .where(and(owned(responses, staff), eq(responses.waveId, waveId), isNull(paperKeyings.resolvedAt)))
    .orderBy(desc(paperKeyings.createdAt));
}
