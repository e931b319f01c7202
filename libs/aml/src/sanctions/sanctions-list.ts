import { parse as parseCsv } from 'csv-parse/sync';

/** One listed party (person, organisation, vessel...) with every name it is known by. */
export interface SanctionsEntry {
  id: string;
  /** FollowTheMoney schema: Person, Organization, Company, LegalEntity, Vessel... */
  schema: string;
  /** Primary name first, then aliases. */
  names: string[];
  countries: string[];
  programs: string[];
  birthDates: string[];
}

export class SanctionsListError extends Error {}

/**
 * Reads OpenSanctions' FollowTheMoney JSON lines (one entity per line: id, schema, properties.name,
 * alias, weakAlias, previousName, country, nationality, birthDate, program/topics). Entities with no
 * name (addresses, sanctions records) are skipped; a malformed line fails with its line number.
 */
export function parseFollowTheMoney(text: string): SanctionsEntry[] {
  const out: SanctionsEntry[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let e: { id?: string; schema?: string; caption?: string; properties?: Record<string, string[]> };
    try {
      e = JSON.parse(line);
    } catch (err) {
      throw new SanctionsListError(`line ${i + 1}: not JSON (${(err as Error).message})`);
    }
    const p = e.properties ?? {};
    const names = [...(p.name ?? []), ...(p.alias ?? []), ...(p.previousName ?? []), ...(p.weakAlias ?? [])].filter((n) => typeof n === 'string' && n.trim());
    if (!names.length && e.caption) names.push(e.caption);
    if (!names.length) return;
    if (!e.id) throw new SanctionsListError(`line ${i + 1}: entity without id`);
    out.push({
      id: e.id,
      schema: e.schema ?? 'LegalEntity',
      names: [...new Set(names)],
      countries: [...(p.country ?? []), ...(p.nationality ?? []), ...(p.jurisdiction ?? [])],
      programs: [...(p.program ?? []), ...(p.programId ?? []), ...(p.topics ?? [])],
      birthDates: p.birthDate ?? [],
    });
  });
  return out;
}

/**
 * Reads a simple CSV list: header `id,name,aliases,schema,countries,programs` (aliases, countries
 * and programs separated by `;`; only id and name required).
 */
export function parseSanctionsCsv(text: string): SanctionsEntry[] {
  const rows = parseCsv(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  if (!rows.length) return [];
  if (!('id' in rows[0]) || !('name' in rows[0])) throw new SanctionsListError('CSV needs at least the columns id and name');
  const list = (v?: string) => (v ? v.split(';').map((s) => s.trim()).filter(Boolean) : []);
  return rows.map((r, i) => {
    if (!r.id || !r.name) throw new SanctionsListError(`line ${i + 2}: id and name are required`);
    return {
      id: r.id,
      schema: r.schema || 'LegalEntity',
      names: [r.name, ...list(r.aliases)],
      countries: list(r.countries),
      programs: list(r.programs),
      birthDates: list(r.birthdates),
    };
  });
}

/** Chooses the parser by content: JSON lines start with `{`. */
export function parseSanctionsList(text: string): SanctionsEntry[] {
  return text.trimStart().startsWith('{') ? parseFollowTheMoney(text) : parseSanctionsCsv(text);
}
