import { writeFile } from 'node:fs/promises';

/**
 * Evaluator commands of the CLI. They call the service's HTTP API with an API token (as a script
 * would), so an evaluator needs no database access and every download is audited like any other.
 */
export const RESULTS_HELP = `
Results (for evaluators; use the service's API: --url or SURVEY_URL, --token or SURVEY_TOKEN):
  rates --wave <id> [--by city[,legal_type]] [--format json|csv|xlsx|svg] [--out <file>]
  crosstab --wave <id> --row <question> [--col <question|frame.attribute>] [--missing show|exclude]
           [--letters none|bonferroni|holm] [--suppress <k>] [--format json|csv|xlsx|svg] [--out <file>]
  prepost --study <id> [--score <scale id>] [--pre <wave id>] [--post <wave id>] [--format json|csv|xlsx|svg] [--out <file>]
  responses --wave <id> [--format csv|xlsx|json] [--out <file>]
`;

export const RESULTS_COMMANDS = ['rates', 'crosstab', 'prepost', 'responses'] as const;
export const RESULTS_OPTIONS = {
  url: { type: 'string' },
  wave: { type: 'string' },
  study: { type: 'string' },
  by: { type: 'string' },
  row: { type: 'string' },
  col: { type: 'string' },
  missing: { type: 'string' },
  letters: { type: 'string' },
  suppress: { type: 'string' },
  score: { type: 'string' },
  pre: { type: 'string' },
  post: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
} as const;

type Values = Record<string, string | boolean | undefined>;

function need(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new Error(`--${name} is required.`);
  return value;
}

function pathFor(command: (typeof RESULTS_COMMANDS)[number], values: Values): string {
  const query = (names: string[]) => {
    const params = new URLSearchParams();
    for (const n of names) if (typeof values[n] === 'string') params.set(n, values[n] as string);
    return params.size ? `?${params}` : '';
  };
  switch (command) {
    case 'rates':
      return `/api/waves/${encodeURIComponent(need(values, 'wave'))}/rates${query(['by', 'format'])}`;
    case 'crosstab':
      need(values, 'row');
      return `/api/waves/${encodeURIComponent(need(values, 'wave'))}/crosstab${query(['row', 'col', 'missing', 'letters', 'suppress', 'format'])}`;
    case 'prepost':
      return `/api/studies/${encodeURIComponent(need(values, 'study'))}/prepost${query(['score', 'pre', 'post', 'format'])}`;
    case 'responses':
      return `/api/waves/${encodeURIComponent(need(values, 'wave'))}/responses${query(['format'])}`;
  }
}

export async function runResultsCommand(command: (typeof RESULTS_COMMANDS)[number], values: Values, env = process.env): Promise<number> {
  const base = (typeof values.url === 'string' ? values.url : env.SURVEY_URL) ?? 'http://127.0.0.1:3000';
  const token = (typeof values.token === 'string' ? values.token : undefined) ?? env.SURVEY_TOKEN;
  if (!token) throw new Error('Give an API token with --token or SURVEY_TOKEN.');
  const res = await fetch(new URL(pathFor(command, values), base), { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as { title?: string; detail?: string };
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
