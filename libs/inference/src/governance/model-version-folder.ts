import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelVersions, type Stage } from '../lifecycle/model-versions';
import { ModelRegistry } from '../registry/model-registry';
import type { ModelCard } from '../registry/card';

export interface CheckedVersion {
  name: string;
  version: string;
  stage: Stage;
  folder: string;
  /** Card whose schema and every file's sha256 were checked. */
  card: ModelCard;
}

/**
 * One version of a model (production when `version` is omitted), its card validated and its files'
 * checksums verified the way the registry does before serving.
 */
export function checkedVersion(modelsDir: string, name: string, version?: string): CheckedVersion {
  if (!existsSync(join(modelsDir, name, 'card.json'))) throw new Error(`no model ${name} under ${modelsDir}`);
  const registry = new ModelRegistry({ modelsDir, device: 'cpu' });
  if (!version) {
    // production is the top folder; reading it must not depend on the other versions' cards
    const card = registry.loadCard(name, join(modelsDir, name));
    return { name, version: card.version, stage: 'production', folder: join(modelsDir, name), card };
  }
  const v = new ModelVersions(modelsDir, name).get(version);
  const card = registry.loadCard(name, v.folder);
  return { name, version: v.version, stage: v.stage, folder: v.folder, card };
}

export const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
export const sha256File = (path: string) => sha256(readFileSync(path));
