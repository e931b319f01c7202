import { KNOWN_FACTS, OPERATORS } from './fact-words';

export interface RuleProblem {
  path: string;
  message: string;
}

export interface CheckedRule {
  rule: Record<string, unknown> | null;
  problems: RuleProblem[];
}

/**
 * Checks rule JSON in the editor before anything is sent: parse errors with their position, the
 * required fields, the id format, facts and operators. The service checks again (it is the
 * authority); this only saves a round trip and says where the problem is while typing.
 */
export function checkRuleJson(text: string, facts: readonly string[] = KNOWN_FACTS): CheckedRule {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { rule: null, problems: [{ path: '(json)', message: jsonErrorWords(text, e as Error) }] };
  }
  const problems: RuleProblem[] = [];
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { rule: null, problems: [{ path: '(json)', message: 'a rule must be a JSON object' }] };
  const r = parsed as Record<string, unknown>;
  if (typeof r.id !== 'string' || !/^[a-z0-9][a-z0-9.-]*$/.test(r.id)) problems.push({ path: 'id', message: 'lower-case letters, digits, dots and dashes, e.g. "fan-out.new-receivers"' });
  for (const k of ['name', 'typology'] as const) if (typeof r[k] !== 'string' || !(r[k] as string).trim()) problems.push({ path: k, message: 'is required' });
  if (r.severity !== 'review' && r.severity !== 'block') problems.push({ path: 'severity', message: 'must be "review" or "block"' });
  if (r.enabled !== undefined && typeof r.enabled !== 'boolean') problems.push({ path: 'enabled', message: 'must be true or false' });
  if (r.description !== undefined && typeof r.description !== 'string') problems.push({ path: 'description', message: 'must be text' });
  const allowed = new Set(['id', 'name', 'typology', 'severity', 'description', 'enabled', 'conditions']);
  for (const k of Object.keys(r)) if (!allowed.has(k)) problems.push({ path: k, message: 'is not a rule field' });
  const c = r.conditions as Record<string, unknown> | undefined;
  if (!c || typeof c !== 'object' || !('all' in c || 'any' in c || 'not' in c)) problems.push({ path: 'conditions', message: 'must start with "all", "any" or "not"' });
  else visit(c, 'conditions', facts, problems);
  return { rule: r, problems };
}

function visit(c: unknown, path: string, facts: readonly string[], problems: RuleProblem[]): void {
  if (!c || typeof c !== 'object' || Array.isArray(c)) {
    problems.push({ path, message: 'must be an object' });
    return;
  }
  const o = c as Record<string, unknown>;
  for (const key of ['all', 'any'] as const) {
    if (key in o) {
      const items = o[key];
      if (!Array.isArray(items) || !items.length) problems.push({ path: `${path}.${key}`, message: 'must be a non-empty list' });
      else items.forEach((x, i) => visit(x, `${path}.${key}[${i}]`, facts, problems));
      return;
    }
  }
  if ('not' in o) return visit(o.not, `${path}.not`, facts, problems);
  if (typeof o.fact !== 'string' || !facts.includes(o.fact)) problems.push({ path: `${path}.fact`, message: `unknown fact "${String(o.fact)}"` });
  if (typeof o.operator !== 'string' || !(OPERATORS as readonly string[]).includes(o.operator)) problems.push({ path: `${path}.operator`, message: `unknown operator "${String(o.operator)}"; use ${OPERATORS.join(', ')}` });
  if (!('value' in o)) problems.push({ path: `${path}.value`, message: 'is missing' });
}

/** "line 3, column 11: unexpected "o"": where the JSON breaks, found by a small scanner (browsers word JSON.parse errors differently, often without a position). */
function jsonErrorWords(text: string, e: Error): string {
  const at = jsonErrorOffset(text);
  if (at === null) return e.message;
  const before = text.slice(0, at.offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}: ${at.message}`;
}

/** Offset and reason of the first JSON syntax error, or null if the scanner finds none. */
export function jsonErrorOffset(text: string): { offset: number; message: string } | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (message: string): never => {
    throw { offset: i, message };
  };
  const describe = () => (i >= text.length ? 'the text ends too early' : `unexpected ${JSON.stringify(text[i])}`);
  const str = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\n') fail('line break inside a string');
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`${describe()}: expected a "quoted" field name`);
        str();
        ws();
        if (text[i] !== ':') fail(`${describe()}: expected ":"`);
        i++;
        value();
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') return void i++;
        fail(`${describe()}: expected "," or "}"`);
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') return void i++;
        fail(`${describe()}: expected "," or "]"`);
      }
    }
    if (ch === '"') return str();
    const lit = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i));
    if (lit) return void (i += lit[0].length);
    fail(`${describe()}: expected a value`);
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`${describe()} after the end of the rule`);
    return null;
  } catch (err) {
    return err as { offset: number; message: string };
  }
}
