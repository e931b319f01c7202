import { FACT_WORDS } from './fact-words';

type Condition = { all?: Condition[]; any?: Condition[]; not?: Condition; fact?: string; operator?: string; value?: unknown };

const OPERATOR_WORDS: Record<string, string> = {
  equal: 'is',
  notEqual: 'is not',
  lessThan: 'is less than',
  lessThanInclusive: 'is at most',
  greaterThan: 'is more than',
  greaterThanInclusive: 'is at least',
  in: 'is one of',
  notIn: 'is not one of',
  contains: 'contains',
  doesNotContain: 'does not contain',
};

function valueWords(v: unknown): string {
  if (Array.isArray(v)) return v.map(valueWords).join(', ');
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : String(v);
  if (typeof v === 'string') return `"${v}"`;
  return JSON.stringify(v);
}

/** One fact condition as a sentence part: "distinct accounts the payer paid in 7 days is at least 4". */
function leafWords(c: Condition): string {
  const fact = c.fact ?? '?';
  const words = FACT_WORDS[fact] ?? fact;
  // boolean facts read as statements: "the receiver is new" / "not: the receiver is new"
  if ((c.operator === 'equal' || c.operator === 'notEqual') && typeof c.value === 'boolean') {
    const holds = (c.operator === 'equal') === c.value;
    return holds ? words : `not: ${words}`;
  }
  return `${words} ${OPERATOR_WORDS[c.operator ?? ''] ?? c.operator} ${valueWords(c.value)}`;
}

/**
 * json-rules-engine conditions as lines of plain words, one per condition, nested groups indented
 * with their connective ("all of", "any of", "none of").
 * @returns lines, each with its nesting depth
 */
export function conditionLines(condition: unknown, depth = 0): Array<{ depth: number; text: string }> {
  const c = (condition ?? {}) as Condition;
  if (Array.isArray(c.all) || Array.isArray(c.any)) {
    const items = (c.all ?? c.any) as Condition[];
    if (items.length === 1) return conditionLines(items[0], depth);
    const head = { depth, text: c.all ? 'all of these hold:' : 'any of these holds:' };
    return [head, ...items.flatMap((x) => conditionLines(x, depth + 1))];
  }
  if (c.not) return [{ depth, text: 'this does not hold:' }, ...conditionLines(c.not, depth + 1)];
  return [{ depth, text: leafWords(c) }];
}

/** The whole condition as one sentence, for compact places (list rows, aria labels). */
export function conditionSentence(condition: unknown): string {
  const c = (condition ?? {}) as Condition;
  if (Array.isArray(c.all)) return c.all.map(conditionSentence).join(' and ');
  if (Array.isArray(c.any)) return `(${c.any.map(conditionSentence).join(' or ')})`;
  if (c.not) return `not (${conditionSentence(c.not)})`;
  return leafWords(c);
}
