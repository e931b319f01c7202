/** A payment leaving the account, as remembered for the 7-day windows. */
export interface OutgoingEntry {
  ts: number;
  to: string;
  usd: number;
  format: string;
  currency: string;
  below: boolean;
}

/** A payment arriving at the account. */
export interface IncomingEntry {
  ts: number;
  from: string;
  usd: number;
  /** The sender was paying this account for the first time. */
  firstFromSender: boolean;
}

/** An account whose money reached this one: when that path started and how many transfers it took. */
export interface MoneyOrigin {
  start: number;
  hops: number;
}

/**
 * What the features need to remember about one account. Timestamps are epoch seconds. Entries are
 * kept in processing order, which the cycle tracker and the sums rely on (same order as the Python
 * reference), and trimmed to the last 7 days.
 */
export interface AccountHistory {
  out: OutgoingEntry[];
  in: IncomingEntry[];
  lastIn: number | null;
  lastOut: number | null;
  /** Accounts this one has ever paid (counterparty novelty). */
  paidTo: Set<string>;
  /** Origin account -> path; insertion order is meaningful (oldest first). */
  origins: Map<string, MoneyOrigin>;
}

export function emptyHistory(): AccountHistory {
  return { out: [], in: [], lastIn: null, lastOut: null, paidTo: new Set(), origins: new Map() };
}

/**
 * Where account histories live. Scoring loads the two accounts of a transaction, computes the
 * features, updates both histories and saves them. Callers process one transaction at a time
 * (features depend on order), so the store needs no locking of its own.
 */
export interface AccountHistoryStore {
  /** Histories of the given accounts; an account never seen gets an empty history. */
  load(keys: readonly string[]): Promise<Map<string, AccountHistory>>;
  /** Persists histories changed by `load`'s caller. */
  save(histories: ReadonlyMap<string, AccountHistory>): Promise<void>;
  /** Forgets everything (tests, re-imports). */
  clear(): Promise<void>;
  close(): Promise<void>;
}

/** The default store: histories in this process's memory; `save` has nothing to do. */
export class InMemoryHistoryStore implements AccountHistoryStore {
  private readonly accounts = new Map<string, AccountHistory>();

  async load(keys: readonly string[]): Promise<Map<string, AccountHistory>> {
    return this.loadSync(keys);
  }

  /** Synchronous load for the hot path (no promise per transaction). */
  loadSync(keys: readonly string[]): Map<string, AccountHistory> {
    const out = new Map<string, AccountHistory>();
    for (const key of keys) {
      let h = this.accounts.get(key);
      if (!h) {
        h = emptyHistory();
        this.accounts.set(key, h);
      }
      out.set(key, h);
    }
    return out;
  }

  async save(): Promise<void> {
    // histories are the live objects; nothing to write back
  }

  async clear(): Promise<void> {
    this.accounts.clear();
  }

  async close(): Promise<void> {
    // nothing held outside this object
  }

  get size(): number {
    return this.accounts.size;
  }
}

/** JSON form of a history (Redis values). */
export interface SerializedHistory {
  o: Array<[number, string, number, string, string, 0 | 1]>;
  i: Array<[number, string, number, 0 | 1]>;
  li: number | null;
  lo: number | null;
  p: string[];
  g: Array<[string, number, number]>;
}

export function serializeHistory(h: AccountHistory): string {
  const s: SerializedHistory = {
    o: h.out.map((e) => [e.ts, e.to, e.usd, e.format, e.currency, e.below ? 1 : 0]),
    i: h.in.map((e) => [e.ts, e.from, e.usd, e.firstFromSender ? 1 : 0]),
    li: h.lastIn,
    lo: h.lastOut,
    p: [...h.paidTo],
    g: [...h.origins].map(([k, v]) => [k, v.start, v.hops]),
  };
  return JSON.stringify(s);
}

export function deserializeHistory(json: string): AccountHistory {
  const s = JSON.parse(json) as SerializedHistory;
  return {
    out: s.o.map(([ts, to, usd, format, currency, below]) => ({ ts, to, usd, format, currency, below: below === 1 })),
    in: s.i.map(([ts, from, usd, first]) => ({ ts, from, usd, firstFromSender: first === 1 })),
    lastIn: s.li,
    lastOut: s.lo,
    paidTo: new Set(s.p),
    origins: new Map(s.g.map(([k, start, hops]) => [k, { start, hops }])),
  };
}
