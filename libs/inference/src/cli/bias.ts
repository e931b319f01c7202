/**
 * `npm run models:bias -- <name> [version] [--min-support 30]` (or `--all` for every production
 * model): metrics per group and largest gaps; writes bias-report.json/.md in the version's folder.
 * Exit 2 when a model has no groups to compare (with --all: such models are skipped and listed).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_MIN_SUPPORT, NoGroupsError, computeBiasReport, writeBiasReport } from '../governance/bias-report';
import { isMeasured } from '../governance/gaps';
import { ModelRegistry } from '../registry/model-registry';
import { cliModelsDir, runCli } from './cli-support';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { 'min-support': { type: 'string' }, all: { type: 'boolean' } } });
const [name, version] = positionals;
if (!name && !values.all) {
  console.error('usage: npm run models:bias -- <model-name> [version] [--min-support N] | --all');
  process.exit(2);
}
const minSupport = values['min-support'] === undefined ? DEFAULT_MIN_SUPPORT : Number(values['min-support']);
if (!Number.isInteger(minSupport) || minSupport < 1) {
  console.error('--min-support must be a positive whole number of rows');
  process.exit(2);
}

async function one(modelsDir: string, model: string, v?: string): Promise<'written' | 'no groups'> {
  try {
    const { report, folder } = await computeBiasReport(modelsDir, model, v, minSupport);
    const written = writeBiasReport(folder, report);
    for (const d of report.dimensions) {
      for (const g of d.gaps.filter(isMeasured)) console.log(`${model} ${d.dimension} ${g.metric}: ${g.high.group} ${g.high.value.toFixed(4)} vs ${g.low.group} ${g.low.value.toFixed(4)} (gap ${g.gap.toFixed(4)})`);
    }
    console.log(`wrote ${written.join(', ')}`);
    return 'written';
  } catch (err) {
    if (!(err instanceof NoGroupsError)) throw err;
    console.error(err.message);
    return 'no groups';
  }
}

runCli(async () => {
  const modelsDir = cliModelsDir();
  if (!values.all) return (await one(modelsDir, name, version)) === 'written' ? 0 : 2;
  for (const model of new ModelRegistry({ modelsDir }).list()) await one(modelsDir, model);
  return 0;
});
