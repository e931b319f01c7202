import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HANDWRITTEN, writeImpactAssessment } from '../governance/impact-assessment';
import { defaultModelsDir } from '../registry/model-registry';

/** MODELS_DIR as the services read it (so a copy in a temp folder can be used), else models/. */
export const cliModelsDir = () => (process.env.MODELS_DIR ? resolve(process.env.MODELS_DIR) : defaultModelsDir());

/** Runs a command body and exits with its code; an error prints its message and exits 1. */
export function runCli(body: () => Promise<number>): void {
  body()
    .then((code) => process.exit(code))
    .catch((err: Error) => {
      console.error(err?.message ?? err);
      process.exit(1);
    });
}

/**
 * After a stage change the impact assessment's versions table is stale: rewrite it when the model
 * has its hand-written part, and say so (a failure to write it does not undo the stage change).
 */
export function refreshAssessment(modelsDir: string, name: string): void {
  if (!existsSync(join(modelsDir, name, HANDWRITTEN))) return;
  try {
    console.log(`regenerated ${writeImpactAssessment(modelsDir, name).join(', ')}`);
  } catch (err) {
    console.error(`impact assessment not regenerated: ${(err as Error).message}`);
  }
}
