import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelCardError, parseCard, type ModelCard } from '../registry/card';

export const Stage = {
  /** Trained and checked, not serving. */
  candidate: 'candidate',
  /** Runs beside production on live traffic without affecting decisions. */
  shadow: 'shadow',
  /** Serves decisions. */
  production: 'production',
  /** Kept for audit and rollback. */
  retired: 'retired',
} as const;
export type Stage = keyof typeof Stage;

export interface ModelVersion {
  version: string;
  stage: Stage;
  /** Folder holding this version's card and files. */
  folder: string;
  card: ModelCard;
}

export interface StagesFile {
  versions: Record<string, { stage: Stage; changedAt: string; by?: string; reason?: string }>;
}

const SEMVER = /^\d+\.\d+\.\d+/;
/** Reports generated for one version (they describe it, so they move with it on promotion). */
const VERSION_REPORTS = ['data-filter.json', 'bias-report.json', 'bias-report.md', 'impact-assessment.md', 'impact-assessment.pdf'];

/**
 * Versions of one model: `models/<name>/` holds the production version and
 * `models/<name>/<version>/` every other one (candidates, shadow, retired); `stages.json` records
 * each version's stage with who changed it and when. Promotion swaps folders, so the production
 * version is always the one at the top, where every service loads it.
 */
export class ModelVersions {
  constructor(
    private readonly modelsDir: string,
    readonly name: string,
  ) {}

  private get root() {
    return join(this.modelsDir, this.name);
  }

  private readStages(): StagesFile {
    const p = join(this.root, 'stages.json');
    return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as StagesFile) : { versions: {} };
  }

  private writeStages(s: StagesFile) {
    writeFileSync(join(this.root, 'stages.json'), JSON.stringify(s, null, 2) + '\n');
  }

  private cardAt(folder: string): ModelCard {
    return parseCard(this.name, JSON.parse(readFileSync(join(folder, 'card.json'), 'utf8')));
  }

  list(): ModelVersion[] {
    const stages = this.readStages();
    const top = this.cardAt(this.root);
    const out: ModelVersion[] = [{ version: top.version, stage: 'production', folder: this.root, card: top }];
    for (const d of readdirSync(this.root, { withFileTypes: true })) {
      if (!d.isDirectory() || !SEMVER.test(d.name) || !existsSync(join(this.root, d.name, 'card.json'))) continue;
      const card = this.cardAt(join(this.root, d.name));
      out.push({ version: card.version, stage: stages.versions[card.version]?.stage ?? 'candidate', folder: join(this.root, d.name), card });
    }
    return out.sort((a, b) => b.version.localeCompare(a.version, undefined, { numeric: true }));
  }

  get(version: string): ModelVersion {
    const v = this.list().find((x) => x.version === version);
    if (!v) throw new ModelCardError(this.name, `no version ${version}`);
    return v;
  }

  /** Adds a trained version as a candidate (copies its folder under models/<name>/<version>/). */
  addCandidate(sourceFolder: string, by?: string): ModelVersion {
    const card = this.cardAt(sourceFolder);
    if (this.list().some((v) => v.version === card.version)) throw new ModelCardError(this.name, `version ${card.version} exists already`);
    const dest = join(this.root, card.version);
    cpSync(sourceFolder, dest, { recursive: true });
    this.setStageRecord(card.version, 'candidate', by, 'added');
    return this.get(card.version);
  }

  /** Marks a non-production version shadow, candidate or retired. */
  setStage(version: string, stage: Exclude<Stage, 'production'>, by?: string, reason?: string): ModelVersion {
    const v = this.get(version);
    if (v.stage === 'production') throw new ModelCardError(this.name, `version ${version} is in production; promote another version to replace it`);
    if (stage === 'shadow') for (const other of this.list()) if (other.stage === 'shadow' && other.version !== version) this.setStageRecord(other.version, 'candidate', by, 'replaced as shadow');
    this.setStageRecord(version, stage, by, reason);
    return this.get(version);
  }

  /**
   * Makes `version` production: the current production files move to models/<name>/<old>/ (retired)
   * and the candidate's files take their place. Rollback is the same call with the old version.
   */
  promote(version: string, by?: string, reason?: string): { from: string; to: string } {
    const target = this.get(version);
    const current = this.list().find((v) => v.stage === 'production') as ModelVersion;
    if (target.stage === 'production') return { from: current.version, to: version };
    const retiredFolder = join(this.root, current.version);
    mkdirSync(retiredFolder, { recursive: true });
    const filesIn = (folder: string) => readdirSync(folder, { withFileTypes: true }).filter((d) => d.isFile() && d.name !== 'stages.json').map((d) => d.name);
    for (const f of this.versionFiles(this.root)) renameSync(join(this.root, f), join(retiredFolder, f));
    for (const f of filesIn(target.folder)) cpSync(join(target.folder, f), join(this.root, f));
    rmSync(target.folder, { recursive: true, force: true });
    this.setStageRecord(current.version, 'retired', by, `replaced by ${version}`);
    this.setStageRecord(version, 'production', by, reason);
    return { from: current.version, to: version };
  }

  /**
   * Files of the version at `folder` that move with it: its card, the files the card lists, its
   * data-filter report and the reports generated for it. Training code, fixtures the card does not
   * list and the hand-written assessment stay at the top for the next version.
   */
  versionFiles(folder: string): string[] {
    const card = this.cardAt(folder);
    const names = new Set(['card.json', ...Object.keys(card.files), ...VERSION_REPORTS]);
    const filter = card.training?.dataFilter;
    if (typeof filter === 'string') names.add(filter);
    return [...names].filter((f) => existsSync(join(folder, f)));
  }

  /** Recorded stage changes (who, when, why) by version. */
  stageRecords(): StagesFile['versions'] {
    return this.readStages().versions;
  }

  private setStageRecord(version: string, stage: Stage, by?: string, reason?: string) {
    const s = this.readStages();
    s.versions[version] = { stage, changedAt: new Date().toISOString(), by, reason };
    this.writeStages(s);
  }
}
