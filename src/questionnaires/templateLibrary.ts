/**
 * The template library: every folder `surveys/<id>/` with `survey.json` (SurveyJS JSON) and
 * `template.json` (metadata + scoring, validated with TemplateMetaSchema). Loaded once, on first use.
 * A folder that is invalid makes loading throw an error naming the folder and the problem.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  TemplateMetaSchema,
  checkMetaAgainstSurvey,
  collectSurveyQuestions,
  type LocalisedText,
  type TemplateMeta,
} from '../../analysis/scoringSchema.js';

/** Project root: this file lives in src/questionnaires/. */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_SURVEYS_DIR = join(PROJECT_ROOT, 'surveys');

export type SurveyJson = Record<string, unknown>;

export interface Template {
  meta: TemplateMeta;
  survey: SurveyJson;
}

export interface TemplateSummary {
  id: string;
  kind: TemplateMeta['kind'];
  title: LocalisedText;
  summary: LocalisedText;
  languages: TemplateMeta['languages'];
  variant: string;
  questionCount: number;
  /** Ids of the scales the template can score (empty for programme questionnaires and blocks). */
  scales: string[];
}

export class TemplateLibraryError extends Error {
  constructor(
    readonly folder: string,
    message: string,
  ) {
    super(`Template folder "${folder}": ${message}`);
    this.name = 'TemplateLibraryError';
  }
}

function readJson(folder: string, file: string): unknown {
  const path = join(folder, file);
  if (!existsSync(path)) throw new TemplateLibraryError(folder, `${file} is missing.`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new TemplateLibraryError(folder, `${file} is not valid JSON (${(e as Error).message}).`);
  }
}

/** Loads and validates one template folder. Throws TemplateLibraryError on any problem. */
export function loadTemplateFolder(folder: string): Template {
  const id = folder.split(/[\\/]/).filter(Boolean).pop() ?? folder;
  const rawMeta = readJson(folder, 'template.json');
  const parsed = TemplateMetaSchema.safeParse(rawMeta);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
      .join('; ');
    throw new TemplateLibraryError(folder, `template.json is invalid: ${issues}`);
  }
  const meta = parsed.data;
  if (meta.id !== id) {
    throw new TemplateLibraryError(folder, `template.json has id "${meta.id}" but the folder is named "${id}".`);
  }
  const survey = readJson(folder, 'survey.json');
  if (!survey || typeof survey !== 'object' || Array.isArray(survey)) {
    throw new TemplateLibraryError(folder, 'survey.json must be a JSON object (SurveyJS survey).');
  }
  const questions = collectSurveyQuestions(survey);
  if (questions.length === 0) throw new TemplateLibraryError(folder, 'survey.json has no questions.');
  const names = questions.map((q) => q.name);
  const dup = names.find((n, k) => names.indexOf(n) !== k);
  if (dup) throw new TemplateLibraryError(folder, `question name "${dup}" is used twice in survey.json.`);
  const problems = checkMetaAgainstSurvey(meta, questions);
  if (problems.length) {
    throw new TemplateLibraryError(folder, `scoring metadata does not match survey.json: ${problems.join('; ')}`);
  }
  return { meta, survey: survey as SurveyJson };
}

/** Loads every `<dir>/*` folder (sorted by id); question names must be unique across templates. */
export function loadTemplateLibrary(dir: string = DEFAULT_SURVEYS_DIR): Map<string, Template> {
  if (!existsSync(dir)) throw new Error(`Template library folder not found: ${dir}`);
  const folders = readdirSync(dir)
    .filter((name) => !name.startsWith('.') && statSync(join(dir, name)).isDirectory())
    .sort();
  const templates = new Map<string, Template>();
  const owner = new Map<string, string>();
  for (const name of folders) {
    const folder = join(dir, name);
    const t = loadTemplateFolder(folder);
    for (const q of collectSurveyQuestions(t.survey)) {
      const other = owner.get(q.name);
      if (other) {
        throw new TemplateLibraryError(
          folder,
          `question name "${q.name}" is also used by template "${other}"; names must be unique across templates so they can be combined.`,
        );
      }
      owner.set(q.name, t.meta.id);
    }
    templates.set(t.meta.id, t);
  }
  return templates;
}

let cache: Map<string, Template> | null = null;

function library(): Map<string, Template> {
  cache ??= loadTemplateLibrary();
  return cache;
}

export function listTemplates(): TemplateSummary[] {
  return [...library().values()].map(({ meta, survey }) => ({
    id: meta.id,
    kind: meta.kind,
    title: meta.title,
    summary: meta.summary,
    languages: meta.languages,
    variant: meta.variant,
    questionCount: collectSurveyQuestions(survey).length,
    scales: (meta.scoring?.scales ?? []).map((s) => s.id),
  }));
}

export class UnknownTemplateError extends Error {
  constructor(readonly templateId: string, available: string[]) {
    super(`Unknown template "${templateId}". Available templates: ${available.join(', ')}.`);
    this.name = 'UnknownTemplateError';
  }
}

/** The template with this id, or undefined. Returns fresh copies the caller may change. */
export function findTemplate(id: string): Template | undefined {
  const t = library().get(id);
  if (!t) return undefined;
  return { meta: structuredClone(t.meta), survey: structuredClone(t.survey) };
}

/** The template with this id; throws UnknownTemplateError if there is none. Returns fresh copies. */
export function getTemplate(id: string): Template {
  const t = findTemplate(id);
  if (!t) throw new UnknownTemplateError(id, [...library().keys()]);
  return t;
}
