import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Migration } from './migrator';

/**
 * Prisma's schema engine compiled to WebAssembly, driven through a driver adapter. Prisma 7's CLI
 * only runs the native engine, which machines without access to Prisma's binary host lack; this is
 * the same engine, so diffs are exactly what `prisma migrate diff` would print.
 * Internal API: pinned to the version @prisma/internals pins for the installed Prisma.
 */
interface WasmSchemaEngine {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}

export interface SchemaFile {
  path: string;
  content: string;
}

let loaded: Promise<{ SchemaEngine: { new: (o: unknown, cb: unknown, a: unknown) => Promise<WasmSchemaEngine> } }> | undefined;

function loadWasm() {
  loaded ??= (async () => {
    // An ES module: a real import() (jest keeps it; elsewhere Node's require(esm) serves it).
    const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasmFile = join(dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
    const module = await WebAssembly.compile(readFileSync(wasmFile));
    const instance = await WebAssembly.instantiate(module, { './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports });
    (bg as unknown as { __wbg_set_wasm(e: unknown): void }).__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
    return bg as never;
  })();
  return loaded;
}

/** Reads the multi-file schema; `only` keeps schema.prisma plus the named files (e.g. platform, aml). */
export function readSchemaFiles(dir: string, only?: string[]): SchemaFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.prisma'))
    .filter((f) => !only || f === 'schema.prisma' || only.includes(f.replace(/\.prisma$/, '')))
    .sort()
    .map((f) => ({ path: join(dir, f), content: readFileSync(join(dir, f), 'utf8') }));
}

const noFilter = { externalTables: [], externalEnums: [] };

async function withEngine<T>(adapterFactory: unknown, files: SchemaFile[], fn: (e: WasmSchemaEngine) => Promise<T>) {
  const { SchemaEngine } = await loadWasm();
  const { bindMigrationAwareSqlAdapterFactory } = require('@prisma/driver-adapter-utils');
  const engine = await SchemaEngine.new(
    { datamodels: files.map((f) => [f.path, f.content]) },
    () => undefined,
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
  try {
    return await fn(engine);
  } finally {
    engine.free();
  }
}

/** SQL that takes a database built from `migrations` to the state described by `files` ('' when none). */
export async function diffMigrationsToSchema(
  shadowAdapterFactory: unknown,
  migrationsBaseDir: string,
  migrations: Migration[],
  files: SchemaFile[],
): Promise<string> {
  return withEngine(shadowAdapterFactory, files, async (engine) => {
    const res = await engine.diff({
      from: {
        tag: 'migrations',
        baseDir: migrationsBaseDir,
        lockfile: { path: 'migration_lock.toml', content: 'provider = "postgresql"\n' },
        shadowDbInitScript: '',
        migrationDirectories: migrations.map((m) => ({
          path: m.name,
          migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: m.sql } },
        })),
      },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: null,
      filters: noFilter,
    });
    return stripEmpty(res.stdout ?? '');
  });
}

/** SQL that would take the live database behind `adapterFactory` to the schema ('' when it matches). */
export async function diffDatabaseToSchema(adapterFactory: unknown, files: SchemaFile[]): Promise<string> {
  return withEngine(adapterFactory, files, async (engine) => {
    const res = await engine.diff({
      // 'schemaDatasource' = the live database behind the datasource, reached through the adapter
      from: { tag: 'schemaDatasource', files, configDir: process.cwd() },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: null,
      filters: noFilter,
    });
    return stripEmpty(res.stdout ?? '');
  });
}

function stripEmpty(sql: string): string {
  const meaningful = sql
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('--'))
    .filter((l) => !/^CREATE SCHEMA IF NOT EXISTS "public";$/.test(l.trim()));
  return meaningful.length ? sql.trim() : '';
}
