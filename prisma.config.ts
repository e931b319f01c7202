import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'prisma/config';

// Machines without access to Prisma's binary host never get the native schema engine; the CLI
// refuses to run (even `generate`, which never uses it) unless it finds one. Point it at a stand-in
// only when the real engine is missing, so machines with internet keep `prisma migrate` intact.
const enginesDir = join(__dirname, 'node_modules', '@prisma', 'engines');
const hasRealEngine =
  existsSync(enginesDir) && readdirSync(enginesDir).some((f) => f.startsWith('schema-engine'));
if (!hasRealEngine && !process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = join(__dirname, 'prisma', 'engine-stand-in.sh');
}

export default defineConfig({
  schema: 'prisma/schema',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/unused' },
});
