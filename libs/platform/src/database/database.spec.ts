import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { createTestDatabase } from '../testing/test-database';
import { describeCatalog } from './catalog';
import { applyMigrations, readMigrations } from './migrator';
import { openDatabase } from './open-database';
import { migrationsDir, schemaDir } from './paths';
import { diffDatabaseToSchema, readSchemaFiles } from './schema-engine';
import { pgliteExecutor } from './sql-executor';

const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;

describe('migrations', () => {
  it('build an embedded PGlite database that matches the Prisma schema exactly', async () => {
    const db = await openDatabase({ dataDir: 'memory://' });
    try {
      expect(db.migrations.applied.length).toBe(readMigrations(migrationsDir()).length);
      expect(await diffDatabaseToSchema(db.adapterFactory, readSchemaFiles(schemaDir()))).toBe('');
    } finally {
      await db.close();
    }
  }, 120_000);

  it('are detected as out of step when the schema gains a column', async () => {
    const db = await openDatabase({ dataDir: 'memory://' });
    try {
      const files = readSchemaFiles(schemaDir());
      const platform = files.find((f) => f.path.endsWith('platform.prisma'))!;
      platform.content = platform.content.replace('displayName  String?', 'displayName  String?\n  nickname String?');
      expect(await diffDatabaseToSchema(db.adapterFactory, files)).toMatch(/ADD COLUMN\s+"nickname"/);
    } finally {
      await db.close();
    }
  }, 120_000);

  it('are applied once, and refuse a changed migration file', async () => {
    const pg = new PGlite();
    const sql = pgliteExecutor(pg);
    const migrations = readMigrations(migrationsDir());
    expect((await applyMigrations(sql, migrations)).applied).toHaveLength(migrations.length);
    expect((await applyMigrations(sql, migrations)).applied).toHaveLength(0);
    const tampered = migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
    await expect(applyMigrations(sql, tampered)).rejects.toThrow(/changed after it was applied/);
    await pg.close();
  }, 60_000);

  // CI always has the server (DATABASE_URL); without one this test cannot mean anything.
  (serverUrl ? it : it.skip)('build a real PostgreSQL database that matches the Prisma schema exactly', async () => {
    const db = await createTestDatabase();
    try {
      expect(db.kind).toBe('postgres');
      // Prisma's engine cannot introspect through adapter-pg ("char" columns in pg_catalog), so the
      // server's catalog is compared with a PGlite database that the engine verified against the schema.
      const reference = await openDatabase({ dataDir: 'memory://' });
      expect(await diffDatabaseToSchema(reference.adapterFactory, readSchemaFiles(schemaDir()))).toBe('');
      const expected = await describeCatalog(reference.sql);
      await reference.close();
      const actual = await describeCatalog(db.sql);
      expect(actual.length).toBeGreaterThan(20);
      expect(actual).toEqual(expected);
      const c = new Client({ connectionString: db.url });
      await c.connect();
      const rows = await c.query('SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL');
      await c.end();
      expect(rows.rows[0].n).toBe(readMigrations(migrationsDir()).length);
    } finally {
      await db.destroy();
    }
  }, 120_000);
});
