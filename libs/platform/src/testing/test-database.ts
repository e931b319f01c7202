import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openDatabase, type Database } from '../database/open-database';

export interface TestDatabase extends Database {
  /** The PostgreSQL URL of this fresh database, or undefined for PGlite. */
  url?: string;
  /** Closes and drops the database. */
  destroy(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: a new database on the real PostgreSQL server when
 * DATABASE_URL (or TEST_DATABASE_URL) points at one, else an in-memory PGlite.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!serverUrl) {
    const db = await openDatabase({ dataDir: 'memory://' });
    return Object.assign(db, { url: undefined, destroy: () => db.close() });
  }
  const name = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), poolSize: 5 });
  return Object.assign(db, {
    url: url.toString(),
    async destroy() {
      await db.close();
      const c = new Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  });
}
