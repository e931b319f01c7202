// The trading GraphQL entry point under generated malformed requests, over real HTTP: every request
// gets an answer (no hang), a 4xx or a GraphQL error with a message (never 5xx), the service keeps
// answering, and a refused request stores nothing.
import fc from 'fast-check';
import { createTestApp, type TestApp } from '@suite/platform/testing';
import { AppModule } from '../../apps/trading/src/app/app.module';
import { mutated } from './mutations';

const RUNS = Number(process.env.FUZZ_RUNS_GRAPHQL ?? 300);
const SEED = 20261128;
/** Bound on one answer: far above any legitimate request here, so only a hang trips it. */
const ANSWER_BOUND_MS = 20_000;
const REFUSAL_STATUSES = [400, 413, 415, 422];

interface Answer {
  status: number;
  json: { data?: Record<string, unknown> | null; errors?: { message?: unknown; extensions?: Record<string, unknown> }[]; message?: unknown } | null;
  text: string;
}

interface Case {
  what: string;
  method?: 'GET' | 'POST';
  /** Appended to /graphql (GET requests). */
  search?: string;
  body?: Uint8Array | string;
  contentType?: string | null;
  headers?: Record<string, string>;
}

let seq = 0;
/** A bar no case has sent before, so a stored one always shows up in the counts. */
function freshBar(symbol = 'FUZZ') {
  const i = ++seq;
  const close = 100 + (i % 17);
  return { symbol, time: new Date(Date.UTC(2030, 0, 1) + i * 86_400_000).toISOString(), open: close, high: close + 1, low: close - 1, close, volume: 1000 + i };
}

const freshDay = () => new Date(Date.UTC(2040, 0, 1) + ++seq * 86_400_000).toISOString().slice(0, 10);

/** Real operations from apps/trading/README.md and the schema; `%N%` and `%DAY%` become a fresh number and date per case. */
const OPERATIONS: { query: string; variables?: () => Record<string, unknown> }[] = [
  { query: '{ instruments(first: 20) { edges { node { symbol name barSummary { count first last } } } } }' },
  { query: '{ sentiment(texts: ["Acme beats estimates, raises guidance", "Globex recalls 2 million cars"]) { label score probabilities { negative neutral positive } } }' },
  {
    query:
      '{ signals(symbol: "FUZZ", horizon: 5, from: "2024-01-01T00:00:00Z", first: 5) { edges { node { time pUp expectedReturn contributions { price { pUp expectedReturn } sentiment { pUp expectedReturn } } } } pageInfo { hasNextPage endCursor } } }',
  },
  { query: '{ instrument(symbol: "FUZZ") { barSummary { count } bars(first: 3, adjusted: false) { edges { cursor node { time close } } } news(first: 2) { edges { node { headline } } } } }' },
  { query: 'mutation($b: [BarInput!]!) { ingestBars(bars: $b) { received inserted updated unchanged rejected errors { index message } } }', variables: () => ({ b: [freshBar(), freshBar()] }) },
  {
    query: 'mutation { ingestBars(bars: [{ symbol: "FUZZ", time: "%DAY%T21:00:00Z", open: 10, high: 11, low: 9.5, close: 10.5, volume: 1000 }]) { received inserted rejected } }',
  },
  { query: 'mutation { ingestNews(input: { headline: "Acme wins FDA approval %N%", source: "wire", publishedAt: "2024-01-02T14:00:00Z", symbols: ["FUZZ"] }) { id sentiment { label score } } }' },
  {
    query: 'mutation($n: NewsInput!) { ingestNews(input: $n) { id model symbols } }',
    variables: () => ({ n: { headline: `Globex cuts guidance ${++seq}`, source: 'wire', publishedAt: '2024-01-03T14:00:00Z', symbols: ['FUZZ'] } }),
  },
  { query: 'mutation { runBacktest(input: { strategy: BUY_AND_HOLD, symbols: ["FUZZ"], costBps: 5 }) { id status } }' },
  { query: '{ backtests(first: 2) { edges { node { id status } } } }' },
  {
    query: 'mutation($csv: String!) { importBars(csv: $csv, symbol: "FUZZCSV") { received inserted rejected errors { line message } } }',
    variables: () => ({ csv: `date,open,high,low,close,volume\n${freshDay()},10,11,9,10.5,100\n` }),
  },
];

/** Counterexamples print their kind and the start of the body, not megabytes of it. */
function shown(c: Case): Case {
  const body = c.body === undefined ? c.search ?? '' : typeof c.body === 'string' ? c.body : Buffer.from(c.body).toString('latin1');
  return Object.assign(c, { [fc.toStringMethod]: () => `${c.what} ${c.method ?? 'POST'} ${c.contentType ?? ''} ${json(body.slice(0, 400))}${body.length > 400 ? `... (${body.length} chars)` : ''}` });
}

const fresh = (q: string) => q.replace(/%N%/g, () => String(++seq)).replace(/%DAY%/g, freshDay);
const json = (o: unknown) => JSON.stringify(o);
const asText = (b: Uint8Array) => Buffer.from(b).toString('latin1');

// ---- generators, one per kind of malformed request ----

const operation = fc.constantFrom(...OPERATIONS);

/** Query text mutated byte-wise (truncated, bad tokens, dropped and repeated slices); body JSON stays valid. */
const mutatedQuery: fc.Arbitrary<Case> = operation.chain((op) =>
  mutated(Buffer.from(op.query, 'latin1')).map((q) => ({ what: 'mutated query text', body: json({ query: fresh(asText(q)), variables: op.variables?.() }) })),
);

/** The whole request body mutated byte-wise: broken JSON, invalid UTF-8, stray control bytes. */
const mutatedBody: fc.Arbitrary<Case> = operation.chain((op) =>
  mutated(Buffer.from(json({ query: op.query, variables: op.variables?.() }))).map((b) => ({ what: 'mutated body bytes', body: b })),
);

const wrongValue = fc.oneof(
  fc.constantFrom('"text"', '-1', '0', '1e309', '3.5', 'true', 'null', 'TOP_K', '[1, 2]', '{ a: 1 }', '""', '$undeclared', '"2024-13-45T99:00:00Z"', '99999999999999999999'),
  fc.string({ maxLength: 20 }).map((s) => json(s)),
  fc.integer().map(String),
);
/** Real fields given arguments of the wrong type, unknown arguments or unknown fields. */
const wrongArguments: fc.Arbitrary<Case> = fc
  .tuple(
    fc.constantFrom(
      (v: string) => `{ instruments(first: ${v}) { edges { node { symbol } } } }`,
      (v: string) => `{ signals(symbol: "FUZZ", horizon: ${v}) { edges { cursor } } }`,
      (v: string) => `{ signals(symbol: ${v}, from: ${v}) { edges { cursor } } }`,
      (v: string) => `{ sentiment(texts: ${v}) { label } }`,
      (v: string) => `{ news(first: 2, after: ${v}) { edges { cursor } } }`,
      (v: string) => `{ backtest(id: ${v}) { status } }`,
      (v: string) => `mutation { ingestBars(bars: [{ symbol: "FUZZ", time: ${v}, open: ${v}, high: 11, low: 9, close: 10, volume: 1 }]) { inserted } }`,
      (v: string) => `mutation { ingestNews(input: { headline: ${v}, source: "wire", publishedAt: "2024-01-02T14:00:00Z", symbols: ["FUZZ"] }) { id } }`,
      (v: string) => `mutation { runBacktest(input: { strategy: ${v}, symbols: ["FUZZ"], topK: ${v} }) { id } }`,
      (v: string) => `{ instruments(first: 2, unknownArg: ${v}) { edges { node { symbol } } } }`,
    ),
    wrongValue,
    fc.option(fc.stringMatching(/^[_A-Za-z][_0-9A-Za-z]{0,12}$/), { nil: undefined }),
  )
  .map(([template, v, unknownField]) => {
    let query = template(v);
    if (unknownField) query = query.replace(/\{ (\w)/, `{ ${unknownField} $1`);
    return { what: 'wrong argument types / unknown fields', body: json({ query }) };
  });

/** `{ ...F0 }` where each fragment spreads the next: 8 tokens a fragment. */
const fragmentChain = (n: number) => `{ ...F0 } ${Array.from({ length: n }, (_, i) => `fragment F${i} on Query { ${i + 1 < n ? `...F${i + 1}` : '__typename'} }`).join(' ')}`;

/** Deep nesting, many aliases and large pages: the depth and complexity limits, and the parser's own recursion. */
const hugeQueries: fc.Arbitrary<Case> = fc.oneof(
  fc.integer({ min: 11, max: 4000 }).map((depth) => {
    let sel = 'symbol';
    for (let i = 0; i < depth; i++) sel = i % 4 === 0 ? `instruments { ${sel} }` : i % 4 === 1 ? `news { edges { node { ${sel} } } }` : `edges { node { ${sel} } }`;
    return { what: `depth ~${depth}`, body: json({ query: `{ ${sel} }` }) };
  }),
  fc.integer({ min: 1000, max: 100_000 }).map((n) => ({ what: `${n} nested braces`, body: json({ query: '{ a '.repeat(n) + '}'.repeat(n) }) })),
  fc.tuple(fc.integer({ min: 17, max: 3000 }), fc.constantFrom('sentiment(texts: ["x"]) { label }', 'instruments(first: 1000) { edges { node { symbol } } }', '__typename')).map(([n, field]) => ({
    what: `${n} aliases of ${field.slice(0, 12)}`,
    body: json({ query: `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }` }),
  })),
  fc.integer({ min: 1001, max: 1e9 }).map((first) => ({ what: `page of ${first}`, body: json({ query: `{ instruments(first: ${first}) { edges { node { bars(first: ${first}) { edges { node { close } } } } } } }` }) })),
  fc.integer({ min: 2, max: 5000 }).map((n) => ({ what: `chain of ${n} minimal fragments`, body: json({ query: fragmentChain(n) }) })),
  fc.integer({ min: 2, max: 5000 }).map((n) => ({ what: `${n} fragments spread`, body: json({ query: `{ ...F0 } ${Array.from({ length: n }, (_, i) => `fragment F${i} on Query { instruments(first: 1) { edges { cursor } } ${i + 1 < n ? `...F${i + 1}` : ''} }`).join(' ')}` }) })),
);

/** `variables` that are not an object of the declared types. */
const badVariables: fc.Arbitrary<Case> = fc
  .tuple(
    fc.constantFrom(OPERATIONS[4], OPERATIONS[7], OPERATIONS[10]),
    fc.oneof(
      fc.constantFrom('"{bad"', '[]', '42', 'true', '"variables"', '{"b": "not a list"}', '{"b": [null]}', '{"n": {"headline": 1}}', '{"csv": 12}', '{"b": [{"symbol": "FUZZ"}]}'),
      fc.json({ maxDepth: 4 }),
      fc.string({ maxLength: 40 }).map((s) => `"${s.replace(/["\\]/g, '')}`), // unterminated JSON string
    ),
  )
  .map(([op, variables]) => ({ what: 'bad variables', body: `{"query":${json(op.query)},"variables":${variables}}` }));

/** A valid operation sent with a content type Apollo does not read, or none. */
const wrongContentType: fc.Arbitrary<Case> = fc
  .tuple(
    operation,
    fc.constantFrom(null, 'text/plain', 'text/plain; charset=utf-8', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=x', 'application/graphql', 'application/json; charset=latin1', 'application/octet-stream', 'image/png', ';;;', 'application/json; boundary=', 'application/hl7-v2'),
  )
  .map(([op, contentType]) => ({ what: `content-type ${contentType}`, contentType, body: json({ query: fresh(op.query), variables: op.variables?.() }) }));

/** Arrays of operations (Apollo refuses batching unless enabled). */
const batched: fc.Arbitrary<Case> = fc.array(operation, { minLength: 0, maxLength: 50 }).map((ops) => ({
  what: `batch of ${ops.length}`,
  body: json(ops.map((op) => ({ query: fresh(op.query), variables: op.variables?.() }))),
}));

/** GET requests (Apollo's CSRF check, mutations over GET) with mutated query strings. */
const getRequests: fc.Arbitrary<Case> = fc.tuple(operation, fc.boolean(), fc.boolean()).chain(([op, preflight, mutate]) =>
  (mutate ? mutated(Buffer.from(op.query, 'latin1')).map(asText) : fc.constant(op.query)).map((q) => ({
    what: 'GET',
    method: 'GET' as const,
    search: `?query=${encodeURIComponent(fresh(q))}`,
    headers: preflight ? { 'apollo-require-preflight': 'true' } : ({} as Record<string, string>),
  })),
);

/** A multipart upload (the streaming importBars path) of two bars not sent before. */
const multipartUpload = () => Buffer.from(
  [
    '--FUZZB',
    'Content-Disposition: form-data; name="operations"',
    '',
    json({ query: 'mutation($f: Upload!) { importBars(file: $f) { received inserted rejected errors { line message } } }', variables: { f: null } }),
    '--FUZZB',
    'Content-Disposition: form-data; name="map"',
    '',
    '{"0":["variables.f"]}',
    '--FUZZB',
    'Content-Disposition: form-data; name="0"; filename="b.csv"',
    'Content-Type: text/csv',
    '',
    `symbol,time,open,high,low,close,volume\nFUZZUP,${freshDay()},10,11,9,10.5,100\nFUZZUP,${freshDay()},10,11,9,10.2,100`,
    '--FUZZB--',
    '',
  ].join('\r\n'),
);
const multipart: fc.Arbitrary<Case> = fc.constant(null).chain(() => mutated(multipartUpload())).map((b) => ({
  what: 'mutated multipart upload',
  body: b,
  contentType: 'multipart/form-data; boundary=FUZZB',
  headers: { 'apollo-require-preflight': 'true' },
}));

describe('trading GraphQL over HTTP under generated malformed requests', () => {
  let t: TestApp;
  let url: string;
  let auth: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp(AppModule);
    url = `${await t.app.getUrl()}/graphql`;
    auth = await t.bearer('researcher');
    const seeded = await post(json({ query: OPERATIONS[4].query, variables: { b: Array.from({ length: 40 }, () => freshBar()) } }));
    expect(seeded.json?.data).toMatchObject({ ingestBars: { inserted: 40 } });
  }, 120_000);
  afterAll(() => t?.close());

  async function send(c: Case): Promise<Answer> {
    const headers: Record<string, string> = { ...auth, ...(c.headers ?? {}) };
    if (c.contentType !== null) headers['content-type'] = c.contentType ?? 'application/json';
    let res: Response;
    try {
      res = await fetch(`${url}${c.search ?? ''}`, { method: c.method ?? 'POST', headers, body: c.method === 'GET' || c.body === undefined ? undefined : typeof c.body === 'string' ? c.body : new Uint8Array(c.body), signal: AbortSignal.timeout(ANSWER_BOUND_MS) });
    } catch (err) {
      throw new Error(`${c.what}: no HTTP answer within ${ANSWER_BOUND_MS} ms (${(err as Error).name}: ${(err as Error).message})`);
    }
    const text = await res.text();
    let parsed: Answer['json'] = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON: judged by its status and text */
    }
    return { status: res.status, json: parsed, text };
  }
  const post = (body: string) => send({ what: 'valid', body });

  /** Rows a request could have written, by table. */
  async function stored() {
    const p = t.db.prisma;
    const [bars, news, instruments, backtests] = await Promise.all([p.tradingBar.count(), p.tradingNews.count(), p.tradingInstrument.count(), p.tradingBacktest.count()]);
    return { bars, news, instruments, backtests };
  }

  /** A refusal says why: a GraphQL error message or an HTTP error body with one. */
  function explained(a: Answer): boolean {
    const errors = a.json?.errors;
    if (Array.isArray(errors)) return errors.length > 0 && errors.every((e) => typeof e.message === 'string' && e.message.length > 0);
    if (a.json && typeof a.json.message === 'string') return a.json.message.length > 0;
    if (a.json && Array.isArray(a.json.message)) return a.json.message.length > 0;
    return a.text.trim().length > 0;
  }

  const tally: Record<string, Record<number, number>> = {};

  /** Sends one case and checks the answer, the storage and that the service still answers. */
  async function check(kind: string, c: Case) {
    const before = await stored();
    const a = await send(c);
    tally[kind] ??= {};
    tally[kind][a.status] = (tally[kind][a.status] ?? 0) + 1;
    const allowed = c.method === 'GET' ? [200, ...REFUSAL_STATUSES, 405] : [200, ...REFUSAL_STATUSES];
    if (!allowed.includes(a.status)) throw new Error(`${c.what}: HTTP ${a.status} ${a.text.slice(0, 300)}`);
    const executed = a.status === 200 && a.json?.data != null;
    if (!executed && !explained(a)) throw new Error(`${c.what}: HTTP ${a.status} without an error message: ${a.text.slice(0, 300)}`);
    if (!executed) {
      const after = await stored();
      if (json(after) !== json(before)) throw new Error(`${c.what}: refused (HTTP ${a.status}: ${a.text.slice(0, 200)}) but stored ${json(before)} -> ${json(after)}`);
    }
    if (++checked % 10 === 0) await stillAnswers();
  }
  let checked = 0;

  /** The service still runs a valid query after whatever came before. */
  async function stillAnswers() {
    const a = await post(json({ query: '{ instrument(symbol: "FUZZ") { symbol barSummary { count } } }' }));
    const symbol = (a.json?.data?.instrument as { symbol?: string } | undefined)?.symbol;
    if (a.status !== 200 || a.json?.errors || symbol !== 'FUZZ') throw new Error(`a valid query failed afterwards: HTTP ${a.status} ${a.text.slice(0, 300)}`);
  }

  const kinds: [string, fc.Arbitrary<Case>, number][] = [
    ['mutated query text (truncated, bad tokens, repeated slices)', mutatedQuery, 0.25],
    ['mutated body bytes (broken JSON, invalid UTF-8)', mutatedBody, 0.15],
    ['wrong argument types, unknown arguments and fields', wrongArguments, 0.15],
    ['huge depth, aliases, pages and fragments', hugeQueries, 0.1],
    ['invalid variables JSON', badVariables, 0.1],
    ['wrong content types', wrongContentType, 0.06],
    ['batched arrays', batched, 0.05],
    ['GET requests', getRequests, 0.06],
    ['mutated multipart uploads', multipart, 0.08],
  ];

  it.each(kinds)('%s: an answer, a 4xx or a GraphQL error with a message, nothing stored when refused', async (name, arb, share) => {
    await fc.assert(
      fc.asyncProperty(arb.map(shown), (c) => check(name.split(' (')[0], c)),
      { numRuns: Math.max(5, Math.round(RUNS * share)), seed: SEED, endOnFailure: true },
    );
    await stillAnswers();
  });

  it('refuses an oversized body with 413 and keeps answering', async () => {
    const before = await stored();
    const huge = json({ query: OPERATIONS[10].query, variables: { csv: `date,open,high,low,close,volume\n${'2060-01-02,10,11,9,10.5,100\n'.repeat(400_000)}` } });
    expect(Buffer.byteLength(huge)).toBeGreaterThan(10 * 1024 * 1024); // BODY_LIMIT default 10mb
    const a = await send({ what: 'oversized', body: huge });
    expect(a.status).toBe(413);
    expect(explained(a)).toBe(true);
    expect(await stored()).toEqual(before);
    await stillAnswers();
  });

  it('states the depth limit exactly: depth 10 runs, depth 11 is refused before anything executes', async () => {
    const ten = '{ instrument(symbol: "FUZZ") { news { edges { node { instruments { news { edges { node { instruments { symbol } } } } } } } } } }';
    const ok = await post(json({ query: ten }));
    expect(ok.status).toBe(200);
    expect(ok.json?.errors).toBeUndefined();
    const eleven = ten.replace('instruments { symbol }', 'instruments { barSummary { count } }');
    const deep = await post(json({ query: `query Deep ${eleven}` }));
    expect(deep.status).toBe(400);
    expect(deep.json?.errors?.[0].message).toBe('Query depth 11 exceeds the limit of 10 in operation Deep');
    expect(deep.json?.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', depth: 11, limit: 10 });
  });

  it('states the complexity limit exactly: 16 full instrument pages run, 17 are refused (3001 each)', async () => {
    const page = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `p${i}: instruments(first: 1000) { edges { node { symbol } } }`).join(' ')} }`;
    const ok = await post(json({ query: page(16) }));
    expect(ok.status).toBe(200);
    expect(ok.json?.errors).toBeUndefined();
    const tooMuch = await post(json({ query: page(17) }));
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.json?.errors?.[0].message).toBe('Query complexity 51017 exceeds the limit of 50000; ask for smaller pages (first) or fewer fields');
    expect(tooMuch.json?.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', complexity: 51017, limit: 50000 });
    const before = await stored();
    const mutation = await post(json({ query: `mutation { ingestNews(input: { headline: "Never stored", source: "wire", publishedAt: "2024-01-02T14:00:00Z", symbols: ["FUZZ"] }) { id instruments { news(first: 1000) { edges { node { instruments { news(first: 1000) { edges { cursor } } } } } } } } }` }));
    expect(mutation.json?.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(await stored()).toEqual(before);
  });

  it('states the token limit exactly: the longest fragment chain under 10,000 tokens is answered, one fragment more is refused', async () => {
    // 8 tokens a fragment: 1249 fragments make 9,994 tokens, 1250 make 10,002
    const under = await post(json({ query: fragmentChain(1249) }));
    expect(under.status).toBe(200);
    expect(under.json?.errors).toBeUndefined();
    expect(under.json?.data).toEqual({ __typename: 'Query' });
    const over = await post(json({ query: fragmentChain(1250) }));
    expect(over.status).toBe(400);
    expect(over.json?.errors?.[0].message).toBe('Syntax Error: Document contains more that 10000 tokens. Parsing aborted.'); // graphql-js's wording
    expect(over.json?.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  afterAll(() => {
    // what the generated requests met, for the record (statuses by kind)
    process.stdout.write(`graphql fuzz outcomes ${json(tally)}\n`);
  });
});
