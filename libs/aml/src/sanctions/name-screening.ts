import { foldName, nameTokens, scriptsOf } from './name-normalisation';
import type { SanctionsEntry } from './sanctions-list';
import { jaroWinkler, soundex } from './similarity';

/** How one token of the screened name met a token of the listed name. */
export interface TokenMatch {
  query: string;
  listed: string;
  similarity: number;
  method: 'exact' | 'jaro-winkler' | 'phonetic';
}

export interface ScreeningMatch {
  entryId: string;
  schema: string;
  /** The listed name (primary or alias) that matched best. */
  matchedName: string;
  primaryName: string;
  score: number;
  programs: string[];
  countries: string[];
  /** Human-readable: transliteration, reordering, misspelling, phonetic agreement. */
  why: string[];
  tokens: TokenMatch[];
}

interface IndexedName {
  entry: SanctionsEntry;
  name: string;
  tokens: string[];
  codes: string[];
}

/** A phonetic agreement counts as this similar when spelling differs more. */
const PHONETIC_FLOOR = 0.9;
/** Below this a listed name is not reported at all. */
const REPORT_FLOOR = 0.75;

function tokenSimilarity(q: string, l: string, qCode: string, lCode: string): TokenMatch {
  if (q === l) return { query: q, listed: l, similarity: 1, method: 'exact' };
  const jw = jaroWinkler(q, l);
  if (qCode && qCode === lCode && q.length >= 3 && l.length >= 3 && jw < PHONETIC_FLOOR) {
    return { query: q, listed: l, similarity: PHONETIC_FLOOR, method: 'phonetic' };
  }
  return { query: q, listed: l, similarity: jw, method: 'jaro-winkler' };
}

/**
 * Screens party names against a sanctions list. Names are folded to Latin tokens; each listed
 * token is paired with the most similar unused token of the screened name, whatever its position
 * (so word order does not matter); the score weighs listed tokens by length (coverage of the listed
 * name 85%, of the screened name 15%). Candidates come from a blocking index on token Soundex
 * codes and 3-letter prefixes, so a large list is not scanned for every payment.
 */
export class NameScreener {
  private readonly names: IndexedName[] = [];
  private readonly blocks = new Map<string, number[]>();
  private readonly cache = new Map<string, ScreeningMatch[]>();

  constructor(readonly entries: SanctionsEntry[]) {
    for (const entry of entries) {
      for (const name of entry.names) {
        const tokens = nameTokens(name);
        if (!tokens.length) continue;
        const idx = this.names.push({ entry, name, tokens, codes: tokens.map(soundex) }) - 1;
        for (const key of this.keysOf(tokens)) {
          const list = this.blocks.get(key);
          if (list) list.push(idx);
          else this.blocks.set(key, [idx]);
        }
      }
    }
  }

  get size(): number {
    return this.entries.length;
  }

  private keysOf(tokens: string[]): string[] {
    const keys: string[] = [];
    for (const t of tokens) {
      if (t.length < 2) continue;
      keys.push(`s:${soundex(t)}`, `p:${t.slice(0, 3)}`);
    }
    return keys;
  }

  /**
   * Matches of one name, best first (at most `limit`), each with its score and why.
   * @param minScore matches scoring lower are left out
   */
  screen(name: string, minScore = REPORT_FLOOR, limit = 5): ScreeningMatch[] {
    const cacheKey = `${minScore}|${limit}|${name}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const result = this.compute(name, minScore, limit);
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(cacheKey, result);
    return result;
  }

  /** The best score of a name against the list (0 when nothing resembles it). */
  bestScore(name: string | undefined | null): number {
    if (!name) return 0;
    return this.screen(name, REPORT_FLOOR, 1)[0]?.score ?? 0;
  }

  private compute(name: string, minScore: number, limit: number): ScreeningMatch[] {
    const qTokens = nameTokens(name);
    if (!qTokens.length) return [];
    const qCodes = qTokens.map(soundex);
    const candidates = new Set<number>();
    for (const key of this.keysOf(qTokens)) for (const i of this.blocks.get(key) ?? []) candidates.add(i);
    const best = new Map<string, ScreeningMatch>();
    for (const i of candidates) {
      const n = this.names[i];
      const m = this.score(name, qTokens, qCodes, n);
      if (m.score < minScore) continue;
      const prev = best.get(n.entry.id);
      if (!prev || m.score > prev.score) best.set(n.entry.id, m);
    }
    return [...best.values()].sort((a, b) => b.score - a.score || a.entryId.localeCompare(b.entryId)).slice(0, limit);
  }

  private score(raw: string, qTokens: string[], qCodes: string[], n: IndexedName): ScreeningMatch {
    const used = new Set<number>();
    const pairs: TokenMatch[] = [];
    let listedWeight = 0, listedScore = 0, positions: number[] = [];
    // longest listed tokens first: they carry most of the identity
    const order = n.tokens.map((_, i) => i).sort((a, b) => n.tokens[b].length - n.tokens[a].length || a - b);
    for (const li of order) {
      const l = n.tokens[li];
      let bestM: TokenMatch | null = null, bestQ = -1;
      qTokens.forEach((q, qi) => {
        if (used.has(qi)) return;
        const m = tokenSimilarity(q, l, qCodes[qi], n.codes[li]);
        if (!bestM || m.similarity > bestM.similarity) {
          bestM = m;
          bestQ = qi;
        }
      });
      const w = l.length;
      listedWeight += w;
      if (bestM && (bestM as TokenMatch).similarity >= 0.7) {
        used.add(bestQ);
        positions[li] = bestQ;
        pairs.push(bestM);
        listedScore += w * (bestM as TokenMatch).similarity;
      }
    }
    const qWeight = qTokens.reduce((s, t) => s + t.length, 0);
    const qMatched = pairs.reduce((s, p) => s + p.query.length * p.similarity, 0);
    const score = 0.85 * (listedScore / listedWeight) + 0.15 * Math.min(1, qMatched / qWeight);

    const why: string[] = [];
    const scripts = scriptsOf(raw);
    if (scripts.length) why.push(`transliterated from ${scripts.join(', ')}: "${foldName(raw)}"`);
    positions = positions.filter((p) => p !== undefined);
    const inOrder = n.tokens.map((_, li) => positions[li]).filter((p) => p !== undefined);
    if (inOrder.some((p, k) => k > 0 && p < inOrder[k - 1])) why.push('same words in a different order');
    for (const p of pairs) {
      if (p.method === 'phonetic') why.push(`"${p.query}" sounds like "${p.listed}" (Soundex ${soundex(p.query)})`);
      else if (p.method === 'jaro-winkler') why.push(`"${p.query}" ~ "${p.listed}" (Jaro-Winkler ${p.similarity.toFixed(2)})`);
    }
    const missing = n.tokens.length - pairs.length;
    if (missing > 0) why.push(`${missing} listed word(s) not found`);
    if (!why.length) why.push('exact match of all words');
    if (n.name !== n.entry.names[0]) why.unshift(`matched alias "${n.name}"`);
    return {
      entryId: n.entry.id,
      schema: n.entry.schema,
      matchedName: n.name,
      primaryName: n.entry.names[0],
      score: Math.round(score * 1000) / 1000,
      programs: n.entry.programs,
      countries: n.entry.countries,
      why,
      tokens: pairs,
    };
  }
}
