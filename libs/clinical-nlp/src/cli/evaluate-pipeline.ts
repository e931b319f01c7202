/**
 * Scores the whole TypeScript pipeline (tokenizer, clinical-ner via @suite/inference, BIO decoding,
 * relation head, ConText assertion) on the hand-written held-out notes and on generated notes, and
 * records the numbers in the card under metrics.pipeline: production's (models/clinical-ner/), or
 * those of a version folder not in production yet, so a candidate carries its own pipeline numbers
 * before promotion (the EMR extractor test compares against them once the version serves).
 *
 *   node scripts/run-ts.cjs libs/clinical-nlp/src/cli/evaluate-pipeline.ts [models/clinical-ner/<version>] [--write]
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { ModelRegistry } from '@suite/inference';
import { ClinicalExtractor, CLINICAL_NER_MODEL } from '../clinical-extractor';
import { scoreExtractions, type AnnotatedNote } from '../extraction-scoring';

const root = join(__dirname, '../../../..');

export async function evaluatePipeline(registry: ModelRegistry) {
  const extractor = await ClinicalExtractor.fromRegistry(registry);
  const load = (p: string) => JSON.parse(readFileSync(join(root, p), 'utf8')).notes as AnnotatedNote[];
  const score = async (notes: AnnotatedNote[]) => scoreExtractions(notes, await Promise.all(notes.map((n) => extractor.extract(n.text))));
  return {
    modelVersion: extractor.modelVersion,
    handwritten: { source: 'data/emr/heldout/notes.json', ...(await score(load('data/emr/heldout/notes.json'))) },
    generated: { source: 'data/emr/generated-eval-notes.json', ...(await score(load('data/emr/generated-eval-notes.json'))) },
  };
}

/** A registry serving `versionFolder` as clinical-ner (from a private models folder), or production. */
function registryFor(versionFolder: string | undefined): { registry: ModelRegistry; cleanup: () => void } {
  if (!versionFolder) return { registry: new ModelRegistry(), cleanup: () => undefined };
  const modelsDir = mkdtempSync(join(tmpdir(), 'clinical-ner-version-'));
  cpSync(resolve(versionFolder), join(modelsDir, CLINICAL_NER_MODEL), { recursive: true });
  return { registry: new ModelRegistry({ modelsDir }), cleanup: () => rmSync(modelsDir, { recursive: true, force: true }) };
}

async function main() {
  const versionFolder = process.argv.slice(2).find((a) => !a.startsWith('--'));
  const { registry, cleanup } = registryFor(versionFolder);
  let result: Awaited<ReturnType<typeof evaluatePipeline>>;
  try {
    result = await evaluatePipeline(registry);
  } finally {
    await registry.close();
    cleanup();
  }
  const summary = (s: typeof result.handwritten) => ({
    strictF1: s.entitiesStrict.micro.f1,
    lenientF1: s.entitiesLenient.micro.f1,
    relationF1: s.relations.micro.f1,
    assertionOnMatched: s.assertionOnMatched.accuracy,
    assertionOnGold: s.assertionOnGold.accuracy,
  });
  console.log(JSON.stringify({ handwritten: summary(result.handwritten), generated: summary(result.generated) }));
  if (process.argv.includes('--write')) {
    const cardPath = join(versionFolder ? resolve(versionFolder) : registry.folder(CLINICAL_NER_MODEL), 'card.json');
    const card = JSON.parse(readFileSync(cardPath, 'utf8'));
    card.metrics.pipeline = {
      description:
        'Whole TypeScript pipeline (libs/clinical-nlp): model entities and relations plus rule-based ConText assertion. ' +
        'assertionOnGold scores the rules alone on gold PROBLEM spans; assertionOnMatched on PROBLEMs the model found exactly. ' +
        'Caveat: the ConText trigger lists were written by the author of the hand-written notes after reading them, so the ' +
        'hand-written assertion accuracy is optimistic.',
      command: `node scripts/run-ts.cjs libs/clinical-nlp/src/cli/evaluate-pipeline.ts ${versionFolder ? `${relative(root, resolve(versionFolder))} ` : ''}--write`,
      ...result,
    };
    writeFileSync(cardPath, `${JSON.stringify(card, null, 2)}\n`);
  }
}

if (process.argv[1]?.endsWith('evaluate-pipeline.ts')) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
