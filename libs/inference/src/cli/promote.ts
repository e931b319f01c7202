/** `npm run models:promote -- <name> <version> --by <who> --reason "<why>"`: review, then promote; exit 1 when refused. */
import { parseArgs } from 'node:util';
import { promoteVersion } from '../lifecycle/version-commands';
import { cliModelsDir, refreshAssessment, runCli } from './cli-support';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { by: { type: 'string' }, reason: { type: 'string' } } });
const [name, version] = positionals;
if (!name || !version || !values.by?.trim() || !values.reason?.trim()) {
  console.error('usage: npm run models:promote -- <model-name> <version> --by <who> --reason "<why>"');
  process.exit(2);
}
runCli(async () => {
  const { code, output } = await promoteVersion(cliModelsDir(), name, version, values.by as string, values.reason as string);
  console.log(JSON.stringify(output, null, 2));
  if ('from' in output) {
    console.log(`${name}: production ${output.from} -> ${output.to}`);
    refreshAssessment(cliModelsDir(), name);
  } else console.error(`promotion of ${name} ${version} refused`);
  return code;
});
