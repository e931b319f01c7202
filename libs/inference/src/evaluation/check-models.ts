import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { OnnxRuntimeBackend } from '../backend/onnxruntime-backend';
import { ModelRegistry } from '../registry/model-registry';
import { evaluateHeldout, shortfalls } from './evaluate';
import { readHeldout } from './heldout';

/** Every non-production version folder (models/<name>/<version>/): its card parses and every listed file's sha256 matches. */
function checkVersionFolders(registry: ModelRegistry, name: string): string[] {
  const root = registry.folder(name);
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^\d+\.\d+\.\d+/.test(d.name) && existsSync(join(root, d.name, 'card.json')))
    .flatMap((d) => {
      try {
        registry.loadCard(name, join(root, d.name));
        return [];
      } catch (err) {
        return [`version folder ${d.name}: ${(err as Error).message}`];
      }
    });
}

export interface ModelCheck {
  model: string;
  version?: string;
  ok: boolean;
  problems: string[];
  measured?: Record<string, number>;
  int8?: Record<string, number>;
}

/**
 * For every model folder: the card validates, every checksum matches, and the committed model
 * still meets the held-out metrics written in its card (int8 too, within the card's tolerance).
 */
export async function checkModels(modelsDir?: string, only?: string[]): Promise<ModelCheck[]> {
  const registry = new ModelRegistry({ modelsDir, device: 'cpu' });
  const backend = new OnnxRuntimeBackend();
  const results: ModelCheck[] = [];
  for (const name of registry.list().filter((n) => !only?.length || only.includes(n))) {
    const check: ModelCheck = { model: name, ok: true, problems: [] };
    results.push(check);
    try {
      const card = registry.loadCard(name);
      check.version = card.version;
      if (!card.evaluation || !card.heldout) {
        check.problems.push('card has no evaluation/heldout block, so its metrics cannot be re-checked');
        continue;
      }
      const expected = card.metrics.heldout ?? {};
      if (!Object.keys(expected).length) check.problems.push('card has no metrics.heldout');
      const folder = registry.folder(name);
      const heldout = readHeldout(join(folder, card.heldout.path));
      const fp32 = await backend.createSession({ name, path: join(folder, 'model.onnx') }, { device: 'cpu' });
      check.measured = await evaluateHeldout(card, folder, fp32, heldout);
      await fp32.release();
      check.problems.push(...shortfalls(expected, check.measured, card.evaluation.tolerance).map((s) => `fp32 ${s}`));
      if (card.int8 && card.int8.file in card.files) {
        const int8 = await backend.createSession({ name, path: join(folder, card.int8.file) }, { device: 'cpu' });
        check.int8 = await evaluateHeldout(card, folder, int8, heldout);
        await int8.release();
        for (const [metric, maxDrop] of Object.entries(card.int8.tolerance)) {
          if (metric in check.int8 && check.int8[metric] < check.measured[metric] - maxDrop) {
            check.problems.push(`int8 ${metric} ${check.int8[metric].toFixed(4)} drops more than ${maxDrop} below fp32 ${check.measured[metric].toFixed(4)}`);
          }
        }
      }
    } catch (err) {
      check.problems.push((err as Error).message);
    }
    try {
      check.problems.push(...checkVersionFolders(registry, name));
    } catch (err) {
      check.problems.push(`versions: ${(err as Error).message}`);
    } finally {
      check.ok = check.problems.length === 0;
    }
  }
  return results;
}
