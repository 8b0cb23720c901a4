import { and, eq, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Staff } from './staff.js';

type Owned = { id: PgColumn; organisationId: PgColumn };

/**
 * The one place staff queries are limited to the caller's organisation:
 * every lookup of an owned row by id goes through here, so another organisation's ids answer 404.
 */
export function owned(table: Owned, staff: Staff, id?: string): SQL {
  const inOrganisation = eq(table.organisationId, staff.organisationId);
  return id === undefined ? inOrganisation : and(inOrganisation, eq(table.id, id))!;
}
