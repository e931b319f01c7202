import { ModelVersions, Stage } from './model-versions';
import { reviewPromotion, type PromotionReview } from './promotion';

/** What a versions command prints (as JSON) and the exit code it ends with. */
export interface CommandOutcome<T> {
  code: number;
  output: T;
}

/** Versions of a model, newest first, with their stage and who set it when and why. */
export function listVersions(modelsDir: string, name: string) {
  const versions = new ModelVersions(modelsDir, name);
  const records = versions.stageRecords();
  return {
    model: name,
    versions: versions.list().map((v) => ({
      version: v.version,
      stage: v.stage,
      changedAt: records[v.version]?.changedAt ?? null,
      by: records[v.version]?.by ?? null,
      reason: records[v.version]?.reason ?? null,
      heldout: v.card.metrics.heldout ?? {},
    })),
  };
}

/**
 * Scores `version` against production on production's held-out set. Exit code 1 when the review
 * refuses it (worse beyond the tolerance) or when it is production already.
 */
export async function reviewVersion(modelsDir: string, name: string, version: string): Promise<CommandOutcome<{ model: string; candidate: string; production: string; review?: PromotionReview; error?: string }>> {
  const versions = new ModelVersions(modelsDir, name);
  const candidate = versions.get(version);
  const production = versions.list().find((v) => v.stage === 'production');
  if (!production) throw new Error(`${name} has no production version`);
  const head = { model: name, candidate: version, production: production.version };
  if (candidate.stage === 'production') return { code: 1, output: { ...head, error: `${version} is production already` } };
  const review = await reviewPromotion(candidate, production);
  return { code: review.allowed ? 0 : 1, output: { ...head, review } };
}

/**
 * Promotion as the API does it: the review first, refused (exit 1) when it refuses; otherwise the
 * folders swap and stages.json records who promoted it and why. Rollback = promoting the old version.
 */
export async function promoteVersion(modelsDir: string, name: string, version: string, by: string, reason: string) {
  if (!by.trim() || !reason.trim()) throw new Error('promotion needs --by <who> and --reason "<why>"');
  const reviewed = await reviewVersion(modelsDir, name, version);
  if (reviewed.code !== 0) return { code: 1, output: { ...reviewed.output, promoted: false } };
  const { from, to } = new ModelVersions(modelsDir, name).promote(version, by, reason);
  return { code: 0, output: { ...reviewed.output, promoted: true, from, to } };
}

const SETTABLE: Exclude<Stage, 'production'>[] = ['candidate', 'shadow', 'retired'];

/** Moves a non-production version to candidate, shadow or retired. */
export function setVersionStage(modelsDir: string, name: string, version: string, stage: string, by?: string, reason?: string) {
  if (!SETTABLE.includes(stage as Exclude<Stage, 'production'>)) throw new Error(`stage must be one of ${SETTABLE.join(', ')} (use models:promote for production)`);
  const v = new ModelVersions(modelsDir, name).setStage(version, stage as Exclude<Stage, 'production'>, by, reason);
  return { model: name, version: v.version, stage: v.stage };
}
