import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCard, type ModelCard } from '../registry/card';
import { computeBiasReport, type BiasReport } from './bias-report';
import { ASSESSMENT_MD, ASSESSMENT_PDF, buildImpactAssessment } from './impact-assessment';
import { sha256File } from './model-version-folder';
import { cardVariants } from './variants';

/** A version folder of a model: the top folder (production) or models/<name>/<version>/. */
export interface VersionFolder {
  model: string;
  folder: string;
  top: boolean;
}

/** Every model folder and every version folder under it that holds a card. */
export function versionFolders(modelsDir: string): VersionFolder[] {
  if (!existsSync(modelsDir)) return [];
  const out: VersionFolder[] = [];
  for (const m of readdirSync(modelsDir, { withFileTypes: true })) {
    const root = join(modelsDir, m.name);
    if (!m.isDirectory() || !existsSync(join(root, 'card.json'))) continue;
    out.push({ model: m.name, folder: root, top: true });
    for (const v of readdirSync(root, { withFileTypes: true })) {
      if (v.isDirectory() && /^\d+\.\d+\.\d+/.test(v.name) && existsSync(join(root, v.name, 'card.json'))) out.push({ model: m.name, folder: join(root, v.name), top: false });
    }
  }
  return out.sort((a, b) => a.folder.localeCompare(b.folder));
}

const readCard = (v: VersionFolder): ModelCard => parseCard(v.model, JSON.parse(readFileSync(join(v.folder, 'card.json'), 'utf8')));

interface FilterReport {
  input: number;
  kept: number;
  removed: number;
  stages: { stage: string; removed: number; reasons?: Record<string, number> }[];
}

/** data-filter.json: input = kept + removed = kept + the removals of every stage (and of every reason), and the card points at it. */
export function checkDataFilter(v: VersionFolder): string[] {
  const path = join(v.folder, 'data-filter.json');
  if (!existsSync(path)) return [];
  const r = JSON.parse(readFileSync(path, 'utf8')) as FilterReport;
  const problems: string[] = [];
  const stageSum = (r.stages ?? []).reduce((a, s) => a + s.removed, 0);
  if (r.input !== r.kept + r.removed) problems.push(`data-filter.json: input ${r.input} != kept ${r.kept} + removed ${r.removed}`);
  if (r.removed !== stageSum) problems.push(`data-filter.json: removed ${r.removed} != sum of stage removals ${stageSum}`);
  for (const s of r.stages ?? []) {
    const reasons = Object.values(s.reasons ?? {}).reduce((a, n) => a + n, 0);
    if (reasons !== s.removed) problems.push(`data-filter.json: stage ${s.stage} removed ${s.removed} but its reasons add up to ${reasons}`);
  }
  const card = readCard(v);
  if (card.training?.dataFilter !== 'data-filter.json') problems.push(`card.training.dataFilter is ${JSON.stringify(card.training?.dataFilter)}, expected "data-filter.json"`);
  return problems;
}

/** Paths where two JSON values differ, numbers compared within `tolerance`. */
export function jsonDifferences(a: unknown, b: unknown, tolerance: number, path = ''): string[] {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= tolerance ? [] : [`${path || '(root)'}: ${a} vs ${b}`];
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b ? [] : [`${path || '(root)'}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
  if (Array.isArray(a) !== Array.isArray(b)) return [`${path}: array vs object`];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) => jsonDifferences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], tolerance, Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k));
}

/** bias-report.json equals a fresh re-scoring of the same version (within 1e-9). */
export async function checkBiasReport(modelsDir: string, v: VersionFolder): Promise<string[]> {
  const path = join(v.folder, 'bias-report.json');
  if (!existsSync(path)) return [];
  const stored = JSON.parse(readFileSync(path, 'utf8')) as BiasReport;
  const { report } = await computeBiasReport(modelsDir, v.model, v.top ? undefined : readCard(v).version, stored.minSupport);
  const diff = jsonDifferences(stored, JSON.parse(JSON.stringify(report)), 1e-9);
  return diff.length ? [`bias-report.json differs from a fresh run of npm run models:bias (${diff.slice(0, 5).join('; ')}${diff.length > 5 ? `; ${diff.length - 5} more` : ''})`] : [];
}

/** Every card.variants file is listed in card.files with its sha256 and carries `measured`. */
export function checkVariants(v: VersionFolder): string[] {
  const card = readCard(v);
  return cardVariants(card).flatMap((variant) => {
    const problems: string[] = [];
    const listed = card.files[variant.file];
    if (!existsSync(join(v.folder, variant.file))) problems.push(`variant ${variant.name}: ${variant.file} is missing`);
    else if (!listed) problems.push(`variant ${variant.name}: ${variant.file} is not listed in card.files`);
    else if (listed.sha256 !== sha256File(join(v.folder, variant.file))) problems.push(`variant ${variant.name}: sha256 of ${variant.file} does not match card.files`);
    if (!variant.measured) problems.push(`variant ${variant.name} has no measured block (npm run models:variants -- ${v.model})`);
    return problems;
  });
}

/** impact-assessment.md/.pdf (top folder) equal what the generator makes from today's card and reports. */
export function checkImpactAssessment(modelsDir: string, v: VersionFolder): string[] {
  if (!v.top || !existsSync(join(v.folder, ASSESSMENT_MD))) return [];
  const fresh = buildImpactAssessment(modelsDir, v.model);
  const problems: string[] = [];
  if (readFileSync(join(v.folder, ASSESSMENT_MD), 'utf8') !== fresh.markdown) problems.push(`${ASSESSMENT_MD} is out of date with the card or reports (npm run models:assessment -- ${v.model})`);
  if (!existsSync(join(v.folder, ASSESSMENT_PDF)) || !readFileSync(join(v.folder, ASSESSMENT_PDF)).equals(Buffer.from(fresh.pdf))) problems.push(`${ASSESSMENT_PDF} is missing or out of date (npm run models:assessment -- ${v.model})`);
  return problems;
}
