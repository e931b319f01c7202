import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OnnxRuntimeBackend } from '../backend/onnxruntime-backend';
import { runOverHeldout } from '../evaluation/evaluate';
import { readHeldout } from '../evaluation/heldout';
import type { ModelCard } from '../registry/card';
import { bold, formatNumber, heading, paragraph, renderMarkdown, table, type Block } from './document';
import { COUNT_METRICS, isMeasured, largestGaps, type GroupRow, type MetricGap } from './gaps';
import { metricsForRows, rowCount, scoreRows, type GroupMetrics, type ScoredRows } from './group-metrics';
import { checkedVersion, sha256File } from './model-version-folder';

export const DEFAULT_MIN_SUPPORT = 30;

export interface BiasDimension {
  dimension: string;
  /** `heldout`: re-scored here from heldout.json; `domain evaluation`: copied from card.metrics.groups. */
  source: 'heldout' | 'domain evaluation';
  groups: GroupRow[];
  gaps: MetricGap[];
}

export interface BiasReport {
  model: string;
  version: string;
  minSupport: number;
  evaluation: { kind: string; output: string; threshold?: number };
  heldout: { path: string; rows: number; sha256: string; model: string };
  overall: GroupMetrics;
  dimensions: BiasDimension[];
  notes: string[];
}

/** The held-out set carries no groups and the card no domain groups: there is nothing to compare. */
export class NoGroupsError extends Error {}

/** Metrics per group and largest gaps from already scored rows (pure: the tests feed it by hand). */
export function biasDimensions(scored: ScoredRows, groups: Record<string, string[]>, minSupport: number): BiasDimension[] {
  return Object.entries(groups).map(([dimension, values]) => {
    const byGroup = new Map<string, number[]>();
    values.forEach((g, row) => byGroup.set(g, [...(byGroup.get(g) ?? []), row]));
    const rows: GroupRow[] = [...byGroup.entries()]
      .map(([group, idx]) => ({ group, n: idx.length, metrics: metricsForRows(scored, idx) }))
      .sort((a, b) => (b.n as number) - (a.n as number) || a.group.localeCompare(b.group));
    return { dimension, source: 'heldout', groups: rows, gaps: largestGaps(rows, minSupport) };
  });
}

/**
 * Domain metrics a card records per group (`metrics.groups = {dimension: {group: {n, metric: value}}}`),
 * e.g. detection sensitivity by nodule type from the whole pipeline, which heldout.json cannot re-score.
 */
export function domainDimensions(card: ModelCard, minSupport: number): { dimensions: BiasDimension[]; notes: string[] } {
  const raw = (card.metrics as Record<string, unknown>).groups;
  const notes: string[] = [];
  if (raw === undefined) return { dimensions: [], notes };
  if (!raw || typeof raw !== 'object') return { dimensions: [], notes: ['card.metrics.groups is not an object; ignored'] };
  const dimensions: BiasDimension[] = [];
  for (const [dimension, byGroup] of Object.entries(raw as Record<string, unknown>)) {
    if (!byGroup || typeof byGroup !== 'object') {
      notes.push(`card.metrics.groups.${dimension} is not an object; ignored`);
      continue;
    }
    const rows: GroupRow[] = Object.entries(byGroup as Record<string, unknown>).map(([group, m]) => {
      const metrics: GroupMetrics = {};
      for (const [k, v] of Object.entries((m ?? {}) as Record<string, unknown>)) if (typeof v === 'number' || v === null) metrics[k] = v;
      const n = typeof metrics.n === 'number' ? metrics.n : null;
      if (n === null) notes.push(`card.metrics.groups.${dimension}.${group} gives no n, so it is never part of a gap`);
      return { group, n, metrics };
    });
    rows.sort((a, b) => (b.n ?? -1) - (a.n ?? -1) || a.group.localeCompare(b.group));
    dimensions.push({ dimension, source: 'domain evaluation', groups: rows, gaps: largestGaps(rows, minSupport) });
  }
  return { dimensions, notes };
}

/** Re-scores a version's held-out set with ONNX Runtime and compares metrics across its groups. */
export async function computeBiasReport(modelsDir: string, name: string, version?: string, minSupport = DEFAULT_MIN_SUPPORT): Promise<{ report: BiasReport; folder: string }> {
  const v = checkedVersion(modelsDir, name, version);
  const { card, folder } = v;
  if (!card.heldout || !card.evaluation) throw new Error(`${name} ${v.version}: card has no heldout/evaluation block to re-score`);
  const heldoutPath = join(folder, card.heldout.path);
  const heldout = readHeldout(heldoutPath);
  const domain = domainDimensions(card, minSupport);
  if (!Object.keys(heldout.groups).length && !domain.dimensions.length) {
    throw new NoGroupsError(
      `${name} ${v.version}: ${card.heldout.path} has no "groups" and the card has no metrics.groups, so there are no groups to compare. ` +
        'Write them with cardkit.write_heldout(..., groups={dimension: [group per row]}) or card.metrics.groups.',
    );
  }
  const backend = new OnnxRuntimeBackend();
  const session = await backend.createSession({ name, path: join(folder, 'model.onnx') }, { device: 'cpu' });
  let scored: ScoredRows;
  try {
    scored = scoreRows(card.evaluation, heldout.labels, await runOverHeldout(session, heldout, card.evaluation.output), card.labels);
  } finally {
    await session.release();
  }
  const notes = [...domain.notes];
  if (!Object.keys(heldout.groups).length) notes.push(`${card.heldout.path} has no groups; only the card's domain evaluation groups are compared`);
  const report: BiasReport = {
    model: name,
    version: v.version,
    minSupport,
    evaluation: { kind: card.evaluation.kind, output: card.evaluation.output, ...(card.evaluation.kind === 'binary' ? { threshold: card.evaluation.threshold ?? 0.5 } : {}) },
    heldout: { path: card.heldout.path, rows: rowCount(scored), sha256: sha256File(heldoutPath), model: sha256File(join(folder, 'model.onnx')) },
    overall: metricsForRows(scored, Array.from({ length: rowCount(scored) }, (_, i) => i)),
    dimensions: [...biasDimensions(scored, heldout.groups, minSupport), ...domain.dimensions],
    notes,
  };
  return { report, folder };
}

export function writeBiasReport(folder: string, report: BiasReport): string[] {
  writeFileSync(join(folder, 'bias-report.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(folder, 'bias-report.md'), renderMarkdown(biasReportBlocks(report)));
  return [join(folder, 'bias-report.json'), join(folder, 'bias-report.md')];
}

export const hasBiasReport = (folder: string) => existsSync(join(folder, 'bias-report.json'));

const KIND_NOTE: Record<string, string> = {
  binary: 'alertRate = share of rows the model flags at the card threshold; precision is undefined (–) for a group without alerts, recall for a group without positives. The minimum applies to what each rate rests on: rows for alertRate, alerts for precision, positives for recall, the smaller of the two for f1',
  multiclass: 'macroF1 is averaged over the classes present in the group; recall:<class> is undefined (–) where the group has no row of that class, and takes part in a gap only where the group has at least the minimum rows of that class (support:<class>)',
  'token-multiclass': 'n = segments; tokens with the ignore label are skipped; macroF1 is averaged over the tags present in the group',
  regression: 'mae = mean absolute error, ic = Pearson correlation of prediction and target (needs 3+ rows)',
};

/** Markdown form: a table per dimension with both ends of each largest gap in bold. */
export function biasReportBlocks(r: BiasReport): Block[] {
  const blocks: Block[] = [
    heading(1, `Bias report: ${r.model} ${r.version}`),
    paragraph(
      `Generated by \`npm run models:bias -- ${r.model} ${r.version}\`. The model (sha256 ${r.heldout.model.slice(0, 12)}) re-scores ${r.heldout.path} ` +
        `(${r.heldout.rows} rows, sha256 ${r.heldout.sha256.slice(0, 12)}) as a ${r.evaluation.kind} model` +
        (r.evaluation.threshold !== undefined ? ` at threshold ${r.evaluation.threshold}` : '') +
        `. For each dimension and metric the largest gap is taken among groups with at least ${r.minSupport} rows (cases); ` +
        `its two ends are in bold. Smaller groups are listed but never form a gap. ${KIND_NOTE[r.evaluation.kind] ?? ''}.`,
    ),
    table(['overall', ...Object.keys(r.overall)], [['all rows', ...Object.values(r.overall).map(formatNumber)]]),
  ];
  for (const d of r.dimensions) {
    blocks.push(heading(2, `${d.dimension} (${d.source === 'heldout' ? 'held-out set, re-scored' : 'domain evaluation, from the card'})`));
    const metrics = [...new Set(d.groups.flatMap((g) => Object.keys(g.metrics)))].filter((m) => m !== 'n');
    const ends = new Map<string, Set<string>>();
    for (const gap of d.gaps.filter(isMeasured)) ends.set(gap.metric, new Set([gap.high.group, gap.low.group]));
    blocks.push(
      table(
        ['group', 'n', ...metrics],
        d.groups.map((g) => [g.group, formatNumber(g.n), ...metrics.map((m) => (ends.get(m)?.has(g.group) ? bold(formatNumber(g.metrics[m])) : formatNumber(g.metrics[m])))]),
      ),
    );
    const gaps = d.gaps.filter((g) => !COUNT_METRICS.has(g.metric));
    const measured = gaps.filter(isMeasured).sort((a, b) => b.gap - a.gap);
    if (measured.length) {
      blocks.push(
        table(
          ['largest gap', 'highest group', 'lowest group', 'gap'],
          measured.map((g) => [g.metric, `${g.high.group} ${formatNumber(g.high.value)} (n ${g.high.n})`, `${g.low.group} ${formatNumber(g.low.value)} (n ${g.low.n})`, bold(formatNumber(g.gap))]),
        ),
      );
    }
    const unmeasured = gaps.filter((g) => g.gap === null).map((g) => g.metric);
    if (unmeasured.length) blocks.push(paragraph(`No gap for ${unmeasured.join(', ')}: fewer than two groups with at least ${r.minSupport} rows behind the metric and a value.`));
  }
  if (r.notes.length) blocks.push(heading(2, 'Notes'), paragraph(r.notes.join('. ') + '.'));
  return blocks;
}
