/** `npm run models:review -- <name> <version>`: the promotion review as JSON; exit 1 when it refuses. */
import { reviewVersion } from '../lifecycle/version-commands';
import { cliModelsDir, runCli } from './cli-support';

const [name, version] = process.argv.slice(2);
if (!name || !version) {
  console.error('usage: npm run models:review -- <model-name> <version>');
  process.exit(2);
}
runCli(async () => {
  const { code, output } = await reviewVersion(cliModelsDir(), name, version);
  console.log(JSON.stringify(output, null, 2));
  if (code) console.error(`promotion of ${name} ${version} would be refused${output.review ? `: ${output.review.regressions.join('; ')}` : `: ${output.error}`}`);
  return code;
});
