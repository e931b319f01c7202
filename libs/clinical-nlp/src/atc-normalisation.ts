import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Coding } from './clinical-entity';

/** The WHO ATC system URI used in FHIR codings. */
export const ATC_SYSTEM = 'http://www.whocc.no/atc';

interface AtcEntry {
  name: string;
  atc: string;
}

/**
 * Maps drug mentions to WHO ATC codes from the project's own lexicon
 * (vocabulary/atc-drugs.tsv: generic names and brands; atc-synonyms.tsv: INN/abbreviations).
 * Matching is on the lowercased mention, then on each word and word pair inside it, so
 * "Metformin XR", "IV cefazolin" and "metoprolol succinate" resolve to their substance.
 */
export class AtcNormaliser {
  private readonly byName = new Map<string, AtcEntry>();

  constructor(dir = join(__dirname, 'vocabulary')) {
    const rows = (file: string) =>
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .filter((l) => l.trim() && !l.startsWith('#'))
        .map((l) => l.split('\t'));
    for (const [name, atc, brands] of rows('atc-drugs.tsv')) {
      const entry = { name, atc };
      this.byName.set(name.toLowerCase(), entry);
      for (const b of (brands ?? '').split(',').filter(Boolean)) this.byName.set(b.toLowerCase(), entry);
    }
    for (const [syn, canonical] of rows('atc-synonyms.tsv')) {
      const entry = this.byName.get(canonical.toLowerCase());
      if (entry) this.byName.set(syn.toLowerCase(), entry);
    }
  }

  /** Number of surface forms known. */
  get size(): number {
    return this.byName.size;
  }

  /**
   * @param mention - the DRUG entity text.
   * @returns the ATC coding, or undefined when the lexicon does not know the drug.
   */
  normalise(mention: string): Coding | undefined {
    const low = mention.toLowerCase().replace(/\s+/g, ' ').trim();
    const hit = this.byName.get(low) ?? this.byParts(low);
    return hit ? { system: ATC_SYSTEM, code: hit.atc, display: hit.name } : undefined;
  }

  private byParts(low: string): AtcEntry | undefined {
    const parts = low.split(/[\s/]+/);
    for (let i = 0; i + 1 < parts.length; i++) {
      const two = this.byName.get(`${parts[i]} ${parts[i + 1]}`);
      if (two) return two;
    }
    for (const p of parts) {
      const one = this.byName.get(p);
      if (one) return one;
    }
    return undefined;
  }
}
