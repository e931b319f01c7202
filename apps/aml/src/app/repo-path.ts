import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Absolute path of a file in the repository (data/aml/...), found from this file upwards. */
export function repoPath(relative: string): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data'))) return join(dir, relative);
    dir = dirname(dir);
  }
  return join(process.cwd(), relative);
}
