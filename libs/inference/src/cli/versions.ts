/** `npm run models:versions -- <name>`: versions with their stage, who set it when and why, and held-out metrics. */
import { listVersions } from '../lifecycle/version-commands';
import { cliModelsDir, runCli } from './cli-support';

const [name] = process.argv.slice(2);
if (!name) {
  console.error('usage: npm run models:versions -- <model-name>');
  process.exit(2);
}
runCli(async () => {
  console.log(JSON.stringify(listVersions(cliModelsDir(), name), null, 2));
  return 0;
});
