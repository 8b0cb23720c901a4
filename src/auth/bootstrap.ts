import type { Database } from '../db/database.js';
import { apiTokens, organisations, users } from '../db/schema.js';
import { sha256 } from './secrets.js';

/**
 * On a fresh install with BOOTSTRAP_TOKEN set, creates a default organisation and an admin
 * whose API token is that value, so scripts can use the service at once. Does nothing once a user exists.
 */
export async function bootstrapAdmin(database: Database, token: string | undefined): Promise<boolean> {
  if (!token) return false;
  return database.db.transaction(async (tx) => {
    const existing = await tx.select({ id: users.id }).from(users).limit(1);
    if (existing.length > 0) return false;
    const [org] = await tx.insert(organisations).values({ name: 'Default organisation' }).returning();
    const [admin] = await tx
      .insert(users)
      .values({ organisationId: org.id, name: 'Administrator', role: 'admin' })
      .returning();
    await tx.insert(apiTokens).values({
      userId: admin.id,
      organisationId: org.id,
      label: 'bootstrap',
      tokenHash: sha256(token),
      role: 'admin',
    });
    return true;
  });
}
