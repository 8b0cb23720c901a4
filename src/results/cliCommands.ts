import { writeFile } from 'node:fs/promises';
import type { z } from 'zod';
import type { ProblemDetail } from '../http/problem.js';
import { crosstabQuery, exportQuery, prePostQuery, ratesQuery } from './schemas.js';

/**
 * Evaluator commands of the CLI. They call the service's HTTP API with an API token (as a script
 * would), so an evaluator needs no database access and every download is audited like any other.
 */
export const RESULTS_HELP = `
Results (for evaluators; use the service's API: --url or SURVEY_URL, --token or SURVEY_TOKEN):
  rates --wave <id> [--by city[,legal_type]] [--format json|csv|xlsx|svg] [--out <file>]
  crosstab --wave <id> --row <question> [--col <question|frame.attribute>] [--include complete|all] [--missing show|exclude]
           [--letters none|bonferroni|holm] [--suppress <k>] [--format json|csv|xlsx|svg] [--out <file>]
  prepost --study <id> [--score <scale id>] [--pre <wave id>] [--post <wave id>] [--duplicates exclude|first|latest]
          [--format json|csv|xlsx|svg] [--out <file>]
  responses --wave <id> [--format csv|xlsx|json] [--out <file>]
`;

export const RESULTS_COMMANDS = ['rates', 'crosstab', 'prepost', 'responses'] as const;
type Command = (typeof RESULTS_COMMANDS)[number];

/** Each command's query is the API route's own query schema: its fields are the command's options. */
const QUERIES = { rates: ratesQuery, crosstab: crosstabQuery, prepost: prePostQuery, responses: exportQuery } satisfies Record<Command, z.ZodObject>;

const queryOptions = Object.fromEntries(
  Object.values(QUERIES).flatMap((schema) => Object.keys(schema.shape).map((name) => [name, { type: 'string' as const }])),
);
export const RESULTS_OPTIONS = { ...queryOptions, url: { type: 'string' }, wave: { type: 'string' }, study: { type: 'string' }, out: { type: 'string' } } as const;

type Values = Record<string, string | boolean | undefined>;

function need(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new Error(`--${name} is required.`);
  return value;
}

/** The API path with the query built from the route's schema (checked here too, so a typo fails before the request). */
function pathFor(command: Command, values: Values): string {
  const schema = QUERIES[command];
  const given = Object.fromEntries(Object.keys(schema.shape).flatMap((name) => (typeof values[name] === 'string' ? [[name, values[name]]] : [])));
  const checked = schema.safeParse(given);
  if (!checked.success) throw new Error(checked.error.issues.map((i) => `--${i.path.join('.') || command}: ${i.message}`).join('\n'));
  const query = new URLSearchParams(given as Record<string, string>);
  const suffix = query.size ? `?${query}` : '';
  const id = (name: string) => encodeURIComponent(need(values, name));
  return command === 'prepost' ? `/api/studies/${id('study')}/prepost${suffix}` : `/api/waves/${id('wave')}/${command}${suffix}`;
}

export async function runResultsCommand(command: Command, values: Values, env = process.env): Promise<number> {
  const base = (typeof values.url === 'string' ? values.url : env.SURVEY_URL) ?? 'http://127.0.0.1:3000';
  const token = (typeof values.token === 'string' ? values.token : undefined) ?? env.SURVEY_TOKEN;
  if (!token) throw new Error('Give an API token with --token or SURVEY_TOKEN.');
  const res = await fetch(new URL(pathFor(command, values), base), { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as Partial<ProblemDetail>;
    console.error(`${res.status} ${problem.title ?? res.statusText}: ${problem.detail ?? ''}`);
    return 1;
  }
  const body = Buffer.from(await res.arrayBuffer());
  if (typeof values.out === 'string') {
    await writeFile(values.out, body);
    console.error(`Wrote ${body.length} bytes to ${values.out}`);
  } else {
    process.stdout.write(body);
  }
  return 0;
}
