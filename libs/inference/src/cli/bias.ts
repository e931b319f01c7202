/** `npm run models:bias -- <name> [version] [--min-support 30]`: metrics per group, largest gaps; writes bias-report.json/.md. */
import { parseArgs } from 'node:util';
import { DEFAULT_MIN_SUPPORT, NoGroupsError, computeBiasReport, writeBiasReport } from '../governance/bias-report';
import { isMeasured } from '../governance/gaps';
import { cliModelsDir, runCli } from './cli-support';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { 'min-support': { type: 'string' } } });
const [name, version] = positionals;
if (!name) {
  console.error('usage: npm run models:bias -- <model-name> [version] [--min-support N]');
  process.exit(2);
}
const minSupport = values['min-support'] === undefined ? DEFAULT_MIN_SUPPORT : Number(values['min-support']);
if (!Number.isInteger(minSupport) || minSupport < 1) {
  console.error('--min-support must be a positive whole number of rows');
  process.exit(2);
}

runCli(async () => {
  try {
    const { report, folder } = await computeBiasReport(cliModelsDir(), name, version, minSupport);
    const written = writeBiasReport(folder, report);
    for (const d of report.dimensions) {
      for (const g of d.gaps.filter(isMeasured)) console.log(`${d.dimension} ${g.metric}: ${g.high.group} ${g.high.value.toFixed(4)} vs ${g.low.group} ${g.low.value.toFixed(4)} (gap ${g.gap.toFixed(4)})`);
    }
    console.log(`wrote ${written.join(', ')}`);
    return 0;
  } catch (err) {
    if (err instanceof NoGroupsError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
});
