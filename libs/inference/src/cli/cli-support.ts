import { resolve } from 'node:path';
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
