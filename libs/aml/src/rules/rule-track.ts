import { Engine, type RuleProperties, type TopLevelCondition } from 'json-rules-engine';
import type { AmlRule, RuleHit, RuleSet } from './aml-rule';

/** Facts a rule may read: the transaction's features and screening results. */
export type RuleFacts = Record<string, number | boolean | string | null>;

/** Facts every condition may name; anything else is refused when a rule is saved. */
export const KNOWN_FACTS = [
  'amountUsd', 'roundAmount', 'belowThreshold', 'crossCurrency', 'crossBank', 'selfTransfer', 'paymentFormat',
  'aOutCount1h', 'aOutCount24h', 'aOutCount7d', 'aOutSum24h', 'aAmountVsMean7d',
  'bInCount1h', 'bInCount24h', 'bInCount7d', 'bInSum24h',
  'aFanOut7d', 'bFanIn7d', 'aFanIn7d', 'bFanOut7d', 'newCounterparty',
  'aInSum24h', 'aPassthroughRatio', 'aMinutesSinceIn', 'aMinutesSinceOut',
  'aBelowCount7d', 'aFormats7d', 'aCurrencies7d', 'cycleHops', 'bNewSenders24h', 'aInCount24h',
  'sanctionsScore', 'fromCountry', 'toCountry', 'modelScore',
] as const;

const OPERATORS = new Set(['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'in', 'notIn', 'contains', 'doesNotContain']);

export class InvalidRuleError extends Error {}

/** Checks a rule's shape, facts and operators; throws InvalidRuleError naming the problem. */
export function validateRule(rule: AmlRule): void {
  if (!rule.id || !/^[a-z0-9][a-z0-9.-]*$/.test(rule.id)) throw new InvalidRuleError(`rule id "${rule.id}" must be lower-case letters, digits, dots and dashes`);
  if (!rule.name) throw new InvalidRuleError(`rule ${rule.id}: name is required`);
  if (rule.severity !== 'review' && rule.severity !== 'block') throw new InvalidRuleError(`rule ${rule.id}: severity must be review or block`);
  if (!rule.typology) throw new InvalidRuleError(`rule ${rule.id}: typology is required`);
  const visit = (c: unknown, path: string): void => {
    if (!c || typeof c !== 'object') throw new InvalidRuleError(`rule ${rule.id}: condition at ${path} must be an object`);
    const o = c as Record<string, unknown>;
    for (const key of ['all', 'any'] as const) {
      if (key in o) {
        if (!Array.isArray(o[key]) || !(o[key] as unknown[]).length) throw new InvalidRuleError(`rule ${rule.id}: ${path}.${key} must be a non-empty array`);
        (o[key] as unknown[]).forEach((x, i) => visit(x, `${path}.${key}[${i}]`));
        return;
      }
    }
    if ('not' in o) return visit(o.not, `${path}.not`);
    if (typeof o.fact !== 'string' || !(KNOWN_FACTS as readonly string[]).includes(o.fact)) {
      throw new InvalidRuleError(`rule ${rule.id}: unknown fact "${String(o.fact)}" at ${path}; known facts: ${KNOWN_FACTS.join(', ')}`);
    }
    if (typeof o.operator !== 'string' || !OPERATORS.has(o.operator)) throw new InvalidRuleError(`rule ${rule.id}: unknown operator "${String(o.operator)}" at ${path}`);
    if (!('value' in o)) throw new InvalidRuleError(`rule ${rule.id}: condition at ${path} has no value`);
    const extra = Object.keys(o).filter((k) => k !== 'fact' && k !== 'operator' && k !== 'value');
    if (extra.length) throw new InvalidRuleError(`rule ${rule.id}: condition at ${path} has unsupported keys ${extra.join(', ')}`);
    if (o.value && typeof o.value === 'object' && !Array.isArray(o.value)) throw new InvalidRuleError(`rule ${rule.id}: value at ${path} must be a number, string, boolean or array (fact references are not supported)`);
  };
  const top = rule.conditions as unknown as Record<string, unknown>;
  if (!top || !('all' in top || 'any' in top || 'not' in top)) throw new InvalidRuleError(`rule ${rule.id}: conditions must start with all, any or not`);
  visit(rule.conditions, 'conditions');
}

type Predicate = (facts: RuleFacts) => boolean;

/** json-rules-engine's default operators, same semantics (including its number validator). */
const isNumeric = (v: unknown) => Number.parseFloat(v as string).toString() !== 'NaN';
const OPERATOR_FNS: Record<string, (a: unknown, b: unknown) => boolean> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  in: (a, b) => (b as unknown[]).indexOf(a) > -1,
  notIn: (a, b) => (b as unknown[]).indexOf(a) === -1,
  contains: (a, b) => Array.isArray(a) && a.indexOf(b) > -1,
  doesNotContain: (a, b) => Array.isArray(a) && a.indexOf(b) === -1,
  lessThan: (a, b) => isNumeric(a) && (a as number) < (b as number),
  lessThanInclusive: (a, b) => isNumeric(a) && (a as number) <= (b as number),
  greaterThan: (a, b) => isNumeric(a) && (a as number) > (b as number),
  greaterThanInclusive: (a, b) => isNumeric(a) && (a as number) >= (b as number),
};

/** Compiles json-rules-engine conditions (all/any/not over fact/operator/value) to a predicate. */
function compile(c: unknown): Predicate {
  const o = c as Record<string, unknown>;
  if (Array.isArray(o.all)) {
    const parts = (o.all as unknown[]).map(compile);
    return (f) => parts.every((p) => p(f));
  }
  if (Array.isArray(o.any)) {
    const parts = (o.any as unknown[]).map(compile);
    return (f) => parts.some((p) => p(f));
  }
  if (o.not !== undefined) {
    const inner = compile(o.not);
    return (f) => !inner(f);
  }
  const fact = o.fact as string, op = OPERATOR_FNS[o.operator as string], value = o.value;
  return (f) => op(f[fact], value);
}

/**
 * The rule track: each rule's json-rules-engine conditions, evaluated on a transaction's facts.
 * Decisions use the conditions compiled to plain predicates (about 50x faster than building a
 * json-rules-engine Almanac per payment); `evaluateWithEngine` runs json-rules-engine itself, and
 * a property test checks that both agree on random facts. Rules are independent, so the hits do
 * not depend on rule order.
 */
export class RuleTrack {
  private readonly engine: Engine;
  private readonly byId = new Map<string, AmlRule>();
  private readonly compiled: Array<{ rule: AmlRule; test: Predicate }> = [];

  constructor(readonly ruleSet: RuleSet) {
    this.engine = new Engine([], { allowUndefinedFacts: true });
    for (const rule of ruleSet.rules) {
      if (!rule.enabled) continue;
      validateRule(rule);
      this.byId.set(rule.id, rule);
      this.compiled.push({ rule, test: compile(rule.conditions) });
      const props: RuleProperties = {
        name: rule.id,
        conditions: rule.conditions as TopLevelCondition,
        event: { type: 'aml-rule', params: { ruleId: rule.id } },
      };
      this.engine.addRule(props);
    }
  }

  get version(): number {
    return this.ruleSet.version;
  }

  /** Rules that fire on these facts, in rule set order. */
  evaluate(facts: RuleFacts): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const { rule, test } of this.compiled) {
      if (test(facts)) hits.push({ ruleId: rule.id, name: rule.name, typology: rule.typology, severity: rule.severity, description: rule.description });
    }
    return hits;
  }

  /** The same evaluation through json-rules-engine's Engine (reference semantics). */
  async evaluateWithEngine(facts: RuleFacts): Promise<RuleHit[]> {
    if (!this.byId.size) return [];
    const { events } = await this.engine.run({ ...facts });
    const fired = new Set(events.map((e) => (e.params as { ruleId: string }).ruleId));
    const hits: RuleHit[] = [];
    for (const rule of this.byId.values()) {
      if (fired.has(rule.id)) hits.push({ ruleId: rule.id, name: rule.name, typology: rule.typology, severity: rule.severity, description: rule.description });
    }
    return hits;
  }
}
