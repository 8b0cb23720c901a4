import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import type { StaffEnv } from '../auth/staff.js';
import type { Database } from '../db/database.js';
import { auditEvents } from '../db/schema.js';
import { validate } from '../http/json.js';
import { loadOwnedWave } from '../collection/loaders.js';
import { codebook } from '../questionnaires/codebook.js';
import { BOM, csvLine } from './csv.js';
import { responseBatches } from './responseBatches.js';
import { responseColumns } from './responseTable.js';

const exportQuery = z.object({ format: z.enum(['csv', 'json']).default('json') });

export function resultRoutes(database: Database) {
  const app = new Hono<StaffEnv>();

  /** Raw responses, one row per response, codes and labels; every download is audited. */
  app.get('/waves/:id/responses', async (c) => {
    const staff = c.get('staff');
    const { wave, version } = await loadOwnedWave(database, staff, c.req.param('id'));
    const { format } = validate(exportQuery, c.req.query());
    await database.db.insert(auditEvents).values({
      organisationId: staff.organisationId,
      userId: staff.userId,
      action: 'export.responses',
      target: wave.id,
      details: { format },
    });
    const columns = responseColumns(codebook(version.definition));
    if (format === 'json') {
      const rows = [];
      for await (const batch of responseBatches(database, wave.id)) rows.push(...batch);
      return c.json({ waveId: wave.id, n: rows.length, responses: rows });
    }
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="responses-${wave.id}.csv"`);
    return stream(c, async (out) => {
      await out.write(BOM + csvLine(columns.map((col) => col.header)));
      for await (const batch of responseBatches(database, wave.id)) {
        await out.write(batch.map((row) => csvLine(columns.map((col) => col.value(row)))).join(''));
      }
    });
  });

  return app;
}
