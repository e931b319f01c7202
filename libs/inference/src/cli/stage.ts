/** `npm run models:stage -- <name> <version> <candidate|shadow|retired> [--by <who>] [--reason "<why>"]`. */
import { parseArgs } from 'node:util';
import { setVersionStage } from '../lifecycle/version-commands';
import { cliModelsDir, refreshAssessment, runCli } from './cli-support';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { by: { type: 'string' }, reason: { type: 'string' } } });
const [name, version, stage] = positionals;
if (!name || !version || !stage) {
  console.error('usage: npm run models:stage -- <model-name> <version> <candidate|shadow|retired> [--by <who>] [--reason "<why>"]');
  process.exit(2);
}
runCli(async () => {
  console.log(JSON.stringify(setVersionStage(cliModelsDir(), name, version, stage, values.by ?? 'cli', values.reason)));
  refreshAssessment(cliModelsDir(), name);
  return 0;
});
