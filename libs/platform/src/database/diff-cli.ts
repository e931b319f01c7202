/**
 * `npm run db:diff -- <domain> <name>`: writes prisma/migrations/<timestamp>_<domain>_<name>/migration.sql
 * with the SQL that takes the database built from platform + <domain> migrations to
 * schema.prisma + platform.prisma + <domain>.prisma. Scoping by domain lets each service's schema
 * evolve on its own without picking up another domain's unfinished models.
 * `npm run db:diff -- platform <name>` does the same for the shared tables.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { readMigrations } from './migrator';
import { migrationsDir, schemaDir } from './paths';
import { diffMigrationsToSchema, readSchemaFiles } from './schema-engine';

async function main() {
  const [domain, name] = process.argv.slice(2);
  if (!domain || !name || !/^[a-z0-9-]+$/.test(domain) || !/^[a-z0-9_]+$/.test(name)) {
    console.error('usage: npm run db:diff -- <domain> <migration_name>   (e.g. aml init)');
    process.exit(2);
  }
  const scope = domain === 'platform' ? ['platform'] : ['platform', domain];
  const inScope = (m: string) => scope.some((s) => m.includes(`_${s}_`));
  const dir = migrationsDir();
  const sql = await diffMigrationsToSchema(new PrismaPGlite(new PGlite()), dir, readMigrations(dir, inScope), readSchemaFiles(schemaDir(), scope));
  if (!sql) {
    console.log(`No changes for ${domain}: its migrations already match the schema.`);
    return;
  }
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const folder = join(dir, `${stamp}_${domain}_${name}`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'migration.sql'), sql + '\n');
  console.log(`Wrote ${folder}/migration.sql\n\n${sql}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
