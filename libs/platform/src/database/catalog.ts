import type { SqlExecutor } from './sql-executor';

/**
 * A plain description of the public schema (columns with types, nullability and defaults, indexes,
 * constraints, enum values) from PostgreSQL's catalog; equal descriptions mean equal schemas, so a
 * database on one server can be checked against one already verified elsewhere.
 */
export async function describeCatalog(sql: SqlExecutor): Promise<string[]> {
  const columns = await sql.query<{ t: string; c: string; ty: string; n: string; d: string | null }>(
    `SELECT table_name AS t, column_name AS c, udt_name AS ty, is_nullable AS n, column_default AS d
       FROM information_schema.columns WHERE table_schema = 'public'`,
  );
  const indexes = await sql.query<{ t: string; def: string }>(`SELECT tablename AS t, indexdef AS def FROM pg_indexes WHERE schemaname = 'public'`);
  const constraints = await sql.query<{ t: string; name: string; def: string }>(
    `SELECT conrelid::regclass::text AS t, conname AS name, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype <> 'n'`, // NOT NULL rows exist only from PostgreSQL 18; nullability is compared via columns
  );
  const enums = await sql.query<{ name: string; label: string; ord: number }>(
    `SELECT t.typname AS name, e.enumlabel AS label, e.enumsortorder AS ord
       FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public'`,
  );
  return [
    ...columns.map((r) => `column ${r.t}.${r.c} ${r.ty} nullable=${r.n} default=${r.d ?? ''}`),
    ...indexes.map((r) => `index ${r.t} ${r.def}`),
    ...constraints.map((r) => `constraint ${r.t} ${r.name} ${r.def}`),
    ...enums.map((r) => `enum ${r.name} ${r.ord} ${r.label}`),
  ].sort();
}
