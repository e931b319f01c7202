/**
 * `npm run bench -- <name>`: runs apps/<name>/bench/<name>.bench.ts or libs/<name>/bench/<name>.bench.ts,
 * each printing one JSON line that compares itself with a baseline measured in the same run.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

async function run() {
  const names = process.argv.slice(2);
  if (!names.length) {
    console.error('usage: npm run bench -- <inference|aml|trading|emr|imaging> [...]');
    process.exit(2);
  }
  for (const name of names) {
    const candidates = [join('apps', name, 'bench', `${name}.bench.ts`), join('libs', name, 'bench', `${name}.bench.ts`)].map((p) => join(__dirname, '..', p));
    const file = candidates.find((p) => existsSync(p));
    if (!file) throw new Error(`No benchmark named ${name} (looked for ${candidates.join(', ')})`);
    const mod = require(file) as { main(): Promise<void> };
    await mod.main();
  }
  process.exit(0);
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
