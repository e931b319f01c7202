import type { TopLevelCondition } from 'json-rules-engine';

export const RuleSeverity = {
  /** A hit sends the transaction to an analyst. */
  review: 'review',
  /** A hit stops the payment (sanctions). */
  block: 'block',
} as const;
export type RuleSeverity = (typeof RuleSeverity)[keyof typeof RuleSeverity];

/**
 * One rule of the rule track: json-rules-engine conditions over the named facts of a transaction
 * (TransactionFacts plus screening facts), stored as data and versioned with its rule set.
 */
export interface AmlRule {
  /** Stable id, e.g. `fan-out.new-receivers`. */
  id: string;
  name: string;
  /** The typology it looks for (or `sanctions`). */
  typology: string;
  severity: RuleSeverity;
  /** What an analyst reads when it fires. */
  description: string;
  enabled: boolean;
  conditions: TopLevelCondition;
}

/** A versioned set of rules; every decision records the version it ran under. */
export interface RuleSet {
  version: number;
  rules: AmlRule[];
}

export interface RuleHit {
  ruleId: string;
  name: string;
  typology: string;
  severity: RuleSeverity;
  description: string;
}
