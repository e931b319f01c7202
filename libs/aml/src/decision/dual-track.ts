import type { RuleHit } from '../rules/aml-rule';

export const Decision = {
  /** Let the payment through. */
  ALLOW: 'ALLOW',
  /** Let it through but open an alert for an analyst. */
  REVIEW: 'REVIEW',
  /** Stop it and open an alert. */
  BLOCK: 'BLOCK',
} as const;
export type Decision = (typeof Decision)[keyof typeof Decision];

export const Disagreement = {
  /** The model scores high but no rule fired: a pattern the rules miss, or a model false alarm. */
  MODEL_ONLY: 'MODEL_ONLY',
  /** A rule fired but the model scores low: a rule too broad, or a pattern the model has not learnt. */
  RULES_ONLY: 'RULES_ONLY',
} as const;
export type Disagreement = (typeof Disagreement)[keyof typeof Disagreement];

/** A feature's share in the model score: how much the score drops when it is set to its mean. */
export interface FeatureContribution {
  feature: string;
  value: number;
  contribution: number;
}

export interface DecisionPolicy {
  /** Score at or above which the model alone asks for review (the card's threshold). */
  reviewThreshold: number;
  /** Score at or above which a rule hit becomes a block. */
  blockThreshold: number;
  /** A rule hit with a score below this is a disagreement. */
  lowScore: number;
}

export const DEFAULT_POLICY: DecisionPolicy = { reviewThreshold: 0.35, blockThreshold: 0.9, lowScore: 0.1 };

export interface ReconciledDecision {
  decision: Decision;
  reasons: string[];
  disagreement: Disagreement | null;
}

/**
 * Combines the model track and the rule track. BLOCK: a block-severity rule (sanctions), or a rule
 * hit together with a score at or above blockThreshold. REVIEW: any rule hit, or a score at or above
 * reviewThreshold. Otherwise ALLOW. Reasons list the rules that fired, the score with its top
 * contributing features, and the disagreement between the tracks when there is one.
 */
export function reconcile(score: number, hits: RuleHit[], contributions: FeatureContribution[], policy: DecisionPolicy = DEFAULT_POLICY): ReconciledDecision {
  const reasons: string[] = [];
  for (const h of hits) reasons.push(`rule ${h.ruleId} (${h.typology}, ${h.severity}): ${h.name}`);
  const modelHigh = score >= policy.reviewThreshold;
  const top = contributions.filter((c) => c.contribution > 0).slice(0, 3);
  const why = top.length ? `; top features: ${top.map((c) => `${c.feature}=${round(c.value)} (+${round(c.contribution)})`).join(', ')}` : '';
  reasons.push(`model score ${round(score)} ${modelHigh ? '>=' : '<'} review threshold ${policy.reviewThreshold}${why}`);

  let disagreement: Disagreement | null = null;
  if (modelHigh && !hits.length) {
    disagreement = Disagreement.MODEL_ONLY;
    reasons.push('tracks disagree: model score high but no rule fired');
  } else if (hits.length && score < policy.lowScore) {
    disagreement = Disagreement.RULES_ONLY;
    reasons.push(`tracks disagree: rule hit with low model score (< ${policy.lowScore})`);
  }

  let decision: Decision = Decision.ALLOW;
  if (hits.some((h) => h.severity === 'block') || (hits.length && score >= policy.blockThreshold)) decision = Decision.BLOCK;
  else if (hits.length || modelHigh) decision = Decision.REVIEW;
  return { decision, reasons, disagreement };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Rows for occlusion attribution: the input itself, then one copy per feature with that feature set
 * to its training mean. Score them in one batch and pass the scores to `contributionsFrom`.
 */
export function occlusionRows(vector: ArrayLike<number>, means: ArrayLike<number>): Float32Array[] {
  const rows: Float32Array[] = [Float32Array.from(vector)];
  for (let i = 0; i < vector.length; i++) {
    const r = Float32Array.from(vector);
    r[i] = means[i];
    rows.push(r);
  }
  return rows;
}

/** Features sorted by how much they raise the score (score - score with the feature at its mean). */
export function contributionsFrom(scores: ArrayLike<number>, vector: ArrayLike<number>, names: readonly string[]): FeatureContribution[] {
  const base = scores[0];
  const out: FeatureContribution[] = [];
  for (let i = 0; i < names.length; i++) out.push({ feature: names[i], value: vector[i], contribution: base - scores[i + 1] });
  return out.sort((a, b) => b.contribution - a.contribution);
}
