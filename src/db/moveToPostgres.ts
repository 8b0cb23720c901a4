import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from './database.js';

/** Rows sent in one statement: large enough to be quick, small enough to keep memory flat on a big table. */
const BATCH = 2000;

export class TargetNotEmpty extends Error {}

export type TableCount = { table: string; source: number; target: number };

/** Tables of the application's schema, parents before children so every foreign key finds its row. */
async function tablesInDependencyOrder(database: Database): Promise<string[]> {
  const tables = (await database.rows<{ name: string }>(sql`select tablename as name from pg_tables where schemaname = 'public' order by tablename`)).map((t) => t.name);
  const edges = await database.rows<{ child: string; parent: string }>(sql`
    select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace
    where c.contype = 'f' and n.nspname = 'public' and c.conrelid <> c.confrelid`);
  const ordered: string[] = [];
  const left = new Set(tables);
  while (left.size > 0) {
    const ready = [...left].filter((t) => !edges.some((e) => e.child === t && left.has(e.parent)));
    if (ready.length === 0) throw new Error(`Foreign keys form a cycle among: ${[...left].join(', ')}`);
    for (const t of ready) {
      ordered.push(t);
      left.delete(t);
    }
  }
  return ordered;
}

/** Why the target cannot take the move, or null: no table in the schemas the application and its migrations use. */
async function whyNotEmpty(target: Database): Promise<string | null> {
  const [found] = await target.rows<{ n: number }>(sql`
    select count(*)::int as n from pg_tables where schemaname in ('public', 'drizzle')`);
  return found.n > 0 ? `${found.n} table(s)` : null;
}

/** Columns written on insert: generated columns are computed by the target itself. */
async function writableColumns(database: Database, table: string): Promise<string[]> {
  const rows = await database.rows<{ name: string }>(sql`
    select attname as name from pg_attribute
    where attrelid = ${table}::regclass and attnum > 0 and not attisdropped and attgenerated = ''
    order by attnum`);
  return rows.map((r) => r.name);
}

async function count(database: Database, table: string): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)}`);
  return Number(row.n);
}

/**
 * Copies every row of the embedded database into an empty PostgreSQL database: the target is
 * migrated to the same schema first, then each table is copied in foreign-key order, in batches
 * read by physical position (ctid) and written as JSON records, so every type arrives as it was.
 * All rows go in one transaction: a failed move leaves the target with the schema and no data.
 * Returns both row counts of every table.
 */
export async function moveToPostgres(source: Database, targetUrl: string): Promise<TableCount[]> {
  const target = await openDatabase({ databaseUrl: targetUrl, poolSize: 2 });
  try {
    const full = await whyNotEmpty(target);
    if (full) {
      throw new TargetNotEmpty(
        `移行先のデータベースは空ではありません（${full}）。空のデータベースを指定してください。何も変更していません。\n` +
          `The target database is not empty (${full}). Give an empty database; nothing was changed.`,
      );
    }
    await source.migrate();
    await target.migrate();
    const tables = await tablesInDependencyOrder(source);
    await target.db.transaction(async (tx) => {
      for (const table of tables) {
        const columns = await writableColumns(source, table);
        const list = sql.join(columns.map((c) => sql.identifier(c)), sql`, `);
        let after = '(0,0)';
        for (;;) {
          const batch = await source.rows<{ at: string; row: unknown }>(sql`
            select ctid::text as at, to_jsonb(t) as row from ${sql.identifier(table)} t
            where ctid > ${after}::tid order by ctid limit ${BATCH}`);
          if (batch.length === 0) break;
          await tx.execute(sql`
            insert into ${sql.identifier(table)} (${list}) overriding system value
            select ${list} from jsonb_populate_recordset(null::${sql.identifier(table)}, ${JSON.stringify(batch.map((b) => b.row))}::jsonb)`);
          after = batch[batch.length - 1].at;
        }
      }
      // Sequences (none today) continue after the highest value copied.
      const owned = await tx.execute(sql`
        select s.relname as seq, t.relname as tbl, a.attname as col
        from pg_depend d join pg_class s on s.oid = d.objid and s.relkind = 'S'
        join pg_class t on t.oid = d.refobjid join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
        join pg_namespace n on n.oid = t.relnamespace where n.nspname = 'public'`);
      for (const s of owned as unknown as { seq: string; tbl: string; col: string }[]) {
        await tx.execute(sql`select setval(${s.seq}::regclass, coalesce((select max(${sql.identifier(s.col)}) from ${sql.identifier(s.tbl)}), 1))`);
      }
    });
    const counts: TableCount[] = [];
    for (const table of tables) counts.push({ table, source: await count(source, table), target: await count(target, table) });
    return counts;
  } finally {
    await target.close();
  }
}
