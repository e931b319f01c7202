/** `npm run models:assessment -- <name>|--all`: impact-assessment.md + .pdf from the production card and assessment.md. */
import { HANDWRITTEN, writeImpactAssessment } from '../governance/impact-assessment';
import { ModelRegistry } from '../registry/model-registry';
import { cliModelsDir, runCli } from './cli-support';

const args = process.argv.slice(2);
if (!args.length) {
  console.error('usage: npm run models:assessment -- <model-name>... | --all');
  process.exit(2);
}
runCli(async () => {
  const modelsDir = cliModelsDir();
  const names = args.includes('--all') ? new ModelRegistry({ modelsDir }).list() : args;
  let failed = 0;
  for (const name of names) {
    try {
      console.log(`wrote ${writeImpactAssessment(modelsDir, name).join(', ')}`);
    } catch (err) {
      failed++;
      console.error(`${name}: ${(err as Error).message}`);
    }
  }
  if (failed) console.error(`${failed} of ${names.length} failed (each model needs models/<name>/${HANDWRITTEN})`);
  return failed ? 1 : 0;
});
