/**
 * `npm run models:variants -- <name> [version] [--json] [--dry-run]`: size, rows/s and held-out
 * metrics of fp32, int8 and each card.variants entry; records `measured` in the card's variant entries.
 */
import { parseArgs } from 'node:util';
import { renderMarkdown } from '../governance/document';
import { measureVariants, variantsTable } from '../governance/variants';
import { cliModelsDir, runCli } from './cli-support';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { json: { type: 'boolean' }, 'dry-run': { type: 'boolean' } } });
const [name, version] = positionals;
if (!name) {
  console.error('usage: npm run models:variants -- <model-name> [version] [--json] [--dry-run]');
  process.exit(2);
}

runCli(async () => {
  const result = await measureVariants(cliModelsDir(), name, version, { record: !values['dry-run'] });
  if (values.json) console.log(JSON.stringify({ model: name, ...result }, null, 2));
  else console.log(renderMarkdown([variantsTable(result.rows, result.kind)]));
  console.log(result.recorded ? `recorded measured in ${result.folder}/card.json` : 'card not changed (no card.variants, or --dry-run)');
  return 0;
});
