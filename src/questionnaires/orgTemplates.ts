import { desc } from 'drizzle-orm';
import { owned } from '../auth/scope.js';
import type { Staff } from '../auth/staff.js';
import type { Database } from '../db/database.js';
import { organisationTemplates } from '../db/schema.js';
import type { ComposeBlock } from './compose.js';
import { findTemplate, listTemplates, type TemplateSummary } from './templateLibrary.js';

export type OrganisationTemplate = typeof organisationTemplates.$inferSelect;

/** A template summary as GET /api/templates lists it, with where it comes from. */
export type ListedTemplate = TemplateSummary & { source: 'builtin' | 'organisation'; createdAt?: Date };

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function countQuestions(definition: Record<string, unknown>): number {
  let n = 0;
  const walk = (elements: unknown) => {
    for (const e of (Array.isArray(elements) ? elements : []) as Record<string, unknown>[]) {
      if (!e || typeof e !== 'object') continue;
      if (e.type === 'panel') walk(e.elements);
      else if (e.type !== 'html' && e.type !== 'image') n++;
    }
  };
  for (const page of (Array.isArray(definition.pages) ? definition.pages : []) as Record<string, unknown>[]) walk(page?.elements);
  walk(definition.elements);
  return n;
}

function languagesOf(definition: Record<string, unknown>): ('ja' | 'en')[] {
  const given = Array.isArray(definition.languages) ? definition.languages.filter((l) => l === 'ja' || l === 'en') : [];
  return given.length ? (given as ('ja' | 'en')[]) : ['ja'];
}

export function describeOrganisationTemplate(row: OrganisationTemplate): ListedTemplate {
  return {
    id: row.id,
    kind: row.kind,
    title: { ja: row.title, en: row.title },
    summary: { ja: row.summary, en: row.summary },
    languages: languagesOf(row.definition),
    variant: `organisation:${row.id}`,
    questionCount: countQuestions(row.definition),
    scales: (row.scoring as { id?: string }[]).map((s) => String(s?.id ?? '')).filter(Boolean),
    source: 'organisation',
    createdAt: row.createdAt,
  };
}

export async function organisationTemplatesOf(database: Database, staff: Staff): Promise<OrganisationTemplate[]> {
  return database.db.select().from(organisationTemplates).where(owned(organisationTemplates, staff)).orderBy(desc(organisationTemplates.createdAt));
}

/** Built-in templates first (library order), then the organisation's own, newest first. */
export async function allTemplates(database: Database, staff: Staff): Promise<ListedTemplate[]> {
  const builtin: ListedTemplate[] = listTemplates().map((t) => ({ ...t, source: 'builtin' }));
  const own = (await organisationTemplatesOf(database, staff)).map(describeOrganisationTemplate);
  return [...builtin, ...own];
}

export async function findOrganisationTemplate(database: Database, staff: Staff, id: string): Promise<OrganisationTemplate | undefined> {
  if (!uuidShape.test(id)) return undefined;
  const [row] = await database.db.select().from(organisationTemplates).where(owned(organisationTemplates, staff, id));
  return row;
}

/** The SurveyJS JSON of any template the caller may use (built-in or their organisation's), or undefined. */
export async function templateDefinition(database: Database, staff: Staff, id: string): Promise<Record<string, unknown> | undefined> {
  const builtin = findTemplate(id);
  if (builtin) return builtin.survey;
  return (await findOrganisationTemplate(database, staff, id))?.definition;
}

/**
 * Resolves template ids for compose: built-in ids are left to compose; organisation template ids
 * are loaded as blocks. Returns the ids nobody knows.
 */
export async function resolveBlocks(database: Database, staff: Staff, ids: string[]): Promise<{ blocks: ComposeBlock[]; unknown: string[] }> {
  const blocks: ComposeBlock[] = [];
  const unknown: string[] = [];
  for (const id of ids) {
    if (findTemplate(id)) continue;
    const row = await findOrganisationTemplate(database, staff, id);
    if (row) blocks.push({ id, survey: row.definition, scales: row.scoring });
    else unknown.push(id);
  }
  return { blocks, unknown };
}
