/**
 * Scores the whole TypeScript pipeline (libs/clinical-nlp's evaluatePipeline) with a clinical-ner
 * version that is not in production yet, and records it as metrics.pipeline in that version's card,
 * so a candidate carries its own pipeline numbers before promotion (the EMR extractor test compares
 * against them once the version serves).
 *
 *   node scripts/run-ts.cjs models/clinical-ner/evaluate-version.ts models/clinical-ner/1.2.0 [--write]
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ModelRegistry } from '@suite/inference';
import { evaluatePipeline } from '../../libs/clinical-nlp/src/cli/evaluate-pipeline';

async function main() {
  const folder = process.argv[2];
  if (!folder) throw new Error('usage: evaluate-version.ts <version folder> [--write]');
  // the registry serves models/<name>/: give it a private models folder holding only this version
  const modelsDir = mkdtempSync(join(tmpdir(), 'clinical-ner-version-'));
  try {
    cpSync(resolve(folder), join(modelsDir, 'clinical-ner'), { recursive: true });
    const registry = new ModelRegistry({ modelsDir });
    const result = await evaluatePipeline(registry);
    await registry.close();
    console.log(JSON.stringify({
      modelVersion: result.modelVersion,
      handwritten: { strictF1: result.handwritten.entitiesStrict.micro.f1, lenientF1: result.handwritten.entitiesLenient.micro.f1, relationF1: result.handwritten.relations.micro.f1 },
      generated: { strictF1: result.generated.entitiesStrict.micro.f1, lenientF1: result.generated.entitiesLenient.micro.f1, relationF1: result.generated.relations.micro.f1 },
    }));
    if (process.argv.includes('--write')) {
      const cardPath = join(resolve(folder), 'card.json');
      const card = JSON.parse(readFileSync(cardPath, 'utf8'));
      card.metrics.pipeline = {
        description:
          'Whole TypeScript pipeline (libs/clinical-nlp): model entities and relations plus rule-based ConText assertion. ' +
          'assertionOnGold scores the rules alone on gold PROBLEM spans; assertionOnMatched on PROBLEMs the model found exactly. ' +
          'Caveat: the ConText trigger lists were written by the author of the hand-written notes after reading them, so the ' +
          'hand-written assertion accuracy is optimistic.',
        command: `node scripts/run-ts.cjs models/clinical-ner/evaluate-version.ts ${folder} --write`,
        ...result,
      };
      writeFileSync(cardPath, `${JSON.stringify(card, null, 2)}\n`);
    }
  } finally {
    rmSync(modelsDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
