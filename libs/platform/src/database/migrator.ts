import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlExecutor } from './sql-executor';

/** Arbitrary but fixed: every migrator of this suite serialises on the same advisory lock. */
const MIGRATION_LOCK_KEY = 72707369;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

/** Reads `prisma/migrations/<name>/migration.sql` in name order (names start with a timestamp). */
export function readMigrations(dir: string, filter?: (name: string) => boolean): Migration[] {
  if (!existsSync(dir)) throw new Error(`Migrations directory not found: ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .filter((name) => (filter ? filter(name) : true))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies pending migrations, keeping Prisma's own `_prisma_migrations` table so that
 * `prisma migrate status` (where the native engine exists) agrees with us. A changed file that was
 * already applied is refused: history is never rewritten silently.
 */
export async function applyMigrations(db: SqlExecutor, migrations: Migration[]): Promise<MigrationReport> {
  return db.withConnection(async (conn) => {
    await conn.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await conn.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id" VARCHAR(36) PRIMARY KEY NOT NULL,
        "checksum" VARCHAR(64) NOT NULL,
        "finished_at" TIMESTAMPTZ,
        "migration_name" VARCHAR(255) NOT NULL,
        "logs" TEXT,
        "rolled_back_at" TIMESTAMPTZ,
        "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count" INTEGER NOT NULL DEFAULT 0
      )`);
      const rows = await conn.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
        'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
      );
      const done = new Map(rows.map((r) => [r.migration_name, r]));
      const applied: string[] = [];
      for (const m of migrations) {
        const prior = done.get(m.name);
        if (prior?.finished_at) {
          if (prior.checksum !== m.checksum) {
            throw new Error(`Migration ${m.name} was changed after it was applied (checksum mismatch)`);
          }
          continue;
        }
        if (prior) throw new Error(`Migration ${m.name} failed earlier and needs manual resolution`);
        const id = randomUUID();
        await conn.exec('BEGIN');
        try {
          await conn.exec(m.sql);
          await conn.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
             VALUES ($1, $2, $3, now(), 1)`,
            [id, m.checksum, m.name],
          );
          await conn.exec('COMMIT');
        } catch (err) {
          await conn.exec('ROLLBACK');
          throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`);
        }
        applied.push(m.name);
      }
      return { applied, alreadyApplied: migrations.length - applied.length };
    } finally {
      await conn.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}
