import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findSuiteRoot } from '@suite/platform';
import type { ExecutionDevice, InferenceBackend } from '../backend/inference-backend';
import { OnnxRuntimeBackend } from '../backend/onnxruntime-backend';
import { ModelCardError, parseCard, type ModelCard } from './card';
import { ServedModel, type Precision, type ServeOptions } from './served-model';
import type { ModelAlert } from '../monitoring/model-monitor';
import { ModelVersions } from '../lifecycle/model-versions';

export interface RegistryOptions {
  /** Folder holding one sub-folder per model (default: `models/` at the repository root). */
  modelsDir?: string;
  device?: ExecutionDevice;
  /** `auto` serves the int8 file when its card says it is within tolerance. */
  precision?: 'auto' | Precision;
  /** Backend per model name (e.g. a remote KServe v2 server); in-process ONNX Runtime otherwise. */
  backends?: Record<string, InferenceBackend>;
  threads?: number;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
  /** Where monitoring alerts go (besides metrics and the alerts API). */
  onAlert?: (alert: ModelAlert) => void;
}

export const defaultModelsDir = () => join(findSuiteRoot(), 'models');

/**
 * Finds models under `models/<name>/`, checks their card and the sha256 of every file it lists,
 * and serves each through a backend with dynamic batching. A model that does not check out is
 * refused with an error naming the field or the file.
 */
export class ModelRegistry {
  private readonly loaded = new Map<string, Promise<ServedModel>>();
  private readonly modelsDir: string;
  private readonly backend: InferenceBackend;

  constructor(private readonly options: RegistryOptions = {}) {
    this.modelsDir = options.modelsDir ?? defaultModelsDir();
    this.backend = new OnnxRuntimeBackend(options.log);
  }

  /** Names of the folders that hold a card. */
  list(): string[] {
    if (!existsSync(this.modelsDir)) return [];
    return readdirSync(this.modelsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(this.modelsDir, d.name, 'card.json')))
      .map((d) => d.name)
      .sort();
  }

  folder(name: string): string {
    return join(this.modelsDir, name);
  }

  /** Reads and validates a card and checks every file's sha256. */
  loadCard(name: string, dir = this.folder(name)): ModelCard {
    const cardPath = join(dir, 'card.json');
    if (!existsSync(cardPath)) throw new ModelCardError(name, `no card.json in ${dir}`);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(cardPath, 'utf8'));
    } catch (err) {
      throw new ModelCardError(name, `card.json is not valid JSON (${(err as Error).message})`);
    }
    const card = parseCard(name, json);
    for (const [file, expected] of Object.entries(card.files)) {
      const path = join(dir, file);
      if (!existsSync(path)) throw new ModelCardError(name, `file ${file} listed in card.json is missing`);
      const actual = createHash('sha256').update(readFileSync(path)).digest('hex');
      if (actual !== expected.sha256) throw new ModelCardError(name, `sha256 of ${file} is ${actual}, card.json says ${expected.sha256}`);
    }
    return card;
  }

  /** Which file serves: int8 only where the card lists it and its measured loss is within tolerance. */
  choosePrecision(card: ModelCard): Precision {
    const wanted = this.options.precision ?? 'auto';
    const int8Ok = !!card.int8 && card.int8.file in card.files && card.int8.measured?.withinTolerance === true;
    if (wanted === 'int8' && !int8Ok) throw new ModelCardError(card.name, 'int8 requested but the card lists no int8 file within tolerance');
    return wanted === 'fp32' || !int8Ok ? 'fp32' : 'int8';
  }

  get(name: string, options: ServeOptions & { precision?: Precision } = {}): Promise<ServedModel> {
    let p = this.loaded.get(name);
    if (!p) {
      p = this.load(name, options);
      this.loaded.set(name, p);
      p.catch(() => this.loaded.delete(name));
    }
    return p;
  }

  private async load(name: string, options: ServeOptions & { precision?: Precision }): Promise<ServedModel> {
    const served = await this.loadFolder(name, this.folder(name), options);
    const shadow = this.versions(name).list().find((v) => v.stage === 'shadow');
    if (shadow) {
      const candidate = await this.loadFolder(name, shadow.folder, { ...options, precision: 'fp32' });
      served.attachShadow(candidate);
      this.options.log?.(`model ${name} ${shadow.version} runs in shadow beside ${served.version}`);
    }
    return served;
  }

  private async loadFolder(name: string, folder: string, options: ServeOptions & { precision?: Precision }): Promise<ServedModel> {
    const card = this.loadCard(name, folder);
    const precision = options.precision ?? this.choosePrecision(card);
    const file = precision === 'int8' && card.int8 ? card.int8.file : 'model.onnx';
    const backend = this.options.backends?.[name] ?? this.backend;
    const session = await backend.createSession({ name, path: join(folder, file) }, { device: this.options.device ?? 'auto', threads: this.options.threads });
    return new ServedModel(card, session, precision, { onAlert: this.options.onAlert, ...options });
  }

  /** Versions and stages of one model. */
  versions(name: string): ModelVersions {
    return new ModelVersions(this.modelsDir, name);
  }

  /** Drops a loaded model so the next get() loads what is on disk now (after a promotion). */
  async reload(name: string): Promise<void> {
    const p = this.loaded.get(name);
    this.loaded.delete(name);
    if (p) await p.then((m) => m.close(), () => undefined);
  }

  /** Models already loaded (or loading) in this process. */
  async loadedModels(): Promise<ServedModel[]> {
    const settled = await Promise.allSettled([...this.loaded.values()]);
    return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  }

  async close() {
    const models = await Promise.allSettled([...this.loaded.values()]);
    this.loaded.clear();
    await Promise.all(models.map((m) => (m.status === 'fulfilled' ? m.value.close() : undefined)));
  }
}
