import type { PGlite } from '@electric-sql/pglite';
import type { Pool, PoolClient } from 'pg';

/** The few raw-SQL operations the migrator and health checks need, on PostgreSQL or PGlite alike. */
export interface SqlExecutor {
  readonly kind: 'postgres' | 'pglite';
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a multi-statement script (no parameters). */
  exec(script: string): Promise<void>;
  /** Runs `fn` on one connection, so session-level state (advisory locks, transactions) holds. */
  withConnection<T>(fn: (conn: SqlExecutor) => Promise<T>): Promise<T>;
}

export function pgExecutor(pool: Pool): SqlExecutor {
  const onClient = (client: Pool | PoolClient): SqlExecutor => ({
    kind: 'postgres',
    async query(sql, params) {
      return (await client.query(sql, params as unknown[])).rows;
    },
    async exec(script) {
      await client.query(script);
    },
    withConnection: async (fn) => fn(onClient(client)),
  });
  return {
    ...onClient(pool),
    async withConnection(fn) {
      const client = await pool.connect();
      try {
        return await fn(onClient(client));
      } finally {
        client.release();
      }
    },
  };
}

export function pgliteExecutor(db: PGlite): SqlExecutor {
  const self: SqlExecutor = {
    kind: 'pglite',
    async query(sql, params) {
      return (await db.query(sql, params as unknown[])).rows as never[];
    },
    async exec(script) {
      await db.exec(script);
    },
    // PGlite is a single connection already.
    withConnection: (fn) => fn(self),
  };
  return self;
}
