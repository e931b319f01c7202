import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Everything the build reads, in a stable order (specs excluded: they do not ship). */
function sources(root: string): string[] {
  const app = join(root, 'apps/aml-console');
  const out: string[] = ['index.html', 'vite.config.ts', 'tsconfig.json'].map((f) => join(app, f));
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!/\.spec\.tsx?$/.test(name)) out.push(p);
    }
  };
  walk(join(app, 'src'));
  if (existsSync(join(app, 'public'))) walk(join(app, 'public'));
  return out.filter((p) => existsSync(p));
}

export function consoleSourceHash(root: string): string {
  const h = createHash('sha256');
  for (const p of sources(root)) h.update(relative(root, p)).update('\0').update(readFileSync(p)).update('\0');
  return h.digest('hex');
}

/**
 * Builds apps/aml-console/dist with Vite unless it already holds a build of exactly these sources
 * (a hash of the sources is kept beside the build; file times are useless after a fresh clone).
 */
export async function ensureConsoleBuilt(root: string): Promise<{ rebuilt: boolean; ms: number }> {
  const started = Date.now();
  const dist = join(root, 'apps/aml-console/dist');
  const stamp = join(dist, '.source-hash');
  const hash = consoleSourceHash(root);
  if (existsSync(join(dist, 'index.html')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return { rebuilt: false, ms: Date.now() - started };
  await run(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/aml-console/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
    maxBuffer: 16 * 1024 * 1024,
  });
  writeFileSync(stamp, hash);
  return { rebuilt: true, ms: Date.now() - started };
}
