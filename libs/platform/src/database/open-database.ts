import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client';
import { applyMigrations, readMigrations, type MigrationReport } from './migrator';
import { migrationsDir } from './paths';
import { pgExecutor, pgliteExecutor, type SqlExecutor } from './sql-executor';

export interface DatabaseOptions {
  /** A PostgreSQL URL; when absent an embedded PGlite is used. */
  url?: string;
  /** Folder for the embedded database (`.data/<service>`); `memory://` keeps it in memory. */
  dataDir?: string;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  poolSize?: number;
  /**
   * Longest wait, in ms, for a connection and for each query's answer (PostgreSQL only; 0: none).
   * A hung server then fails requests instead of holding them forever. Migrations are exempt.
   */
  timeoutMs?: number;
}

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  readonly prisma: PrismaClient;
  readonly sql: SqlExecutor;
  /** The driver-adapter factory (Prisma's schema engine uses it for diffs). */
  readonly adapterFactory: unknown;
  readonly migrations: MigrationReport;
  close(): Promise<void>;
}

/** Opens the suite's database: real PostgreSQL when a URL is given, else PGlite on disk or in memory. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const bound = options.timeoutMs || undefined;
    const pool = new Pool({ connectionString: options.url, max: options.poolSize ?? 10, connectionTimeoutMillis: bound, query_timeout: bound });
    pool.on('error', () => undefined); // an idle client's error must not crash the service; readiness reports it
    const adapterFactory = new PrismaPg(pool);
    const sql = pgExecutor(pool);
    const migrations = options.migrate === false ? { applied: [], alreadyApplied: 0 } : await migrateUnbounded(options.url);
    const prisma = new PrismaClient({ adapter: adapterFactory });
    return {
      kind: 'postgres',
      prisma,
      sql,
      adapterFactory,
      migrations,
      async close() {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }
  const dataDir = options.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) mkdirSync(resolve(dataDir), { recursive: true });
  const pglite = await PGlite.create(dataDir.startsWith('memory://') ? dataDir : resolve(dataDir));
  const sql = pgliteExecutor(pglite);
  const migrations = options.migrate === false ? { applied: [], alreadyApplied: 0 } : await applyMigrations(sql, readMigrations(migrationsDir()));
  const adapterFactory = new PrismaPGlite(pglite);
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    kind: 'pglite',
    prisma,
    sql,
    adapterFactory,
    migrations,
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

/** Migrations on a connection of their own without the query bound: a long ALTER must not be cut off. */
async function migrateUnbounded(url: string): Promise<MigrationReport> {
  const pool = new Pool({ connectionString: url, max: 1 });
  pool.on('error', () => undefined);
  try {
    return await applyMigrations(pgExecutor(pool), readMigrations(migrationsDir()));
  } finally {
    await pool.end();
  }
}

/** `.data/<service>` under the working directory: where `npm start` keeps embedded databases. */
export const defaultDataDir = (service: string, base = '.data') => join(base, service);
