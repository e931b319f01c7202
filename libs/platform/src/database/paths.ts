import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository (or deployed bundle) root: the nearest folder above `from` holding `prisma/`. */
export function findSuiteRoot(from = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'prisma', 'migrations'))) return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

export const migrationsDir = (root = findSuiteRoot()) => join(root, 'prisma', 'migrations');
export const schemaDir = (root = findSuiteRoot()) => join(root, 'prisma', 'schema');
