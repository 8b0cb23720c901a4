import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runResultsCommand } from '../../src/results/cliCommands.js';
import { listen } from '../helpers/browser.js';
import { kesennumaWave } from '../helpers/kesennuma.js';
import { ADMIN_TOKEN, useTestApp } from '../helpers/testApp.js';

describe('results CLI for evaluators who script [pglite]', () => {
  const t = useTestApp('pglite');
  let server: Awaited<ReturnType<typeof listen>>;
  const out = path.join(tmpdir(), `crosstab-${process.pid}.csv`);
  beforeAll(async () => {
    server = await listen(t);
  });
  afterAll(async () => {
    await server?.close();
    await rm(out, { force: true });
  });

  it('writes a cross-tab CSV through the API with the caller\'s token', async () => {
    const wave = await kesennumaWave(t);
    const code = await runResultsCommand('crosstab', { wave, row: 'kesen_targets', col: 'kesen_city', format: 'csv', out, url: server.url }, { SURVEY_TOKEN: ADMIN_TOKEN });
    expect(code).toBe(0);
    const csv = await readFile(out, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('回答者数 (base: respondents),15,16,37,\r\n'); // the overall n would reveal suppressed cells
  });

  it('reports the service\'s problem and exits 1 for a wrong question name', async () => {
    const wave = await kesennumaWave(t);
    const code = await runResultsCommand('crosstab', { wave, row: 'no_such_question', url: server.url }, { SURVEY_TOKEN: ADMIN_TOKEN });
    expect(code).toBe(1);
  });
});
