import type { Assertion, ClinicalEntity, ClinicalRelation } from './clinical-entity';
import { EntityType, RelationType } from './clinical-entity';
import { assertProblem } from './context-assertion';
import { detectSections, sectionAt } from './sections';

/** A gold-annotated note (data/emr/heldout/notes.json). */
export interface AnnotatedNote {
  id?: string;
  text: string;
  entities: Array<Pick<ClinicalEntity, 'id' | 'type' | 'start' | 'end' | 'text' | 'assertion'>>;
  relations: ClinicalRelation[];
}

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

const prf = ({ tp, fp, fn }: Counts): Prf => {
  const p = tp + fp ? tp / (tp + fp) : 0;
  const r = tp + fn ? tp / (tp + fn) : 0;
  const round = (x: number) => Math.round(x * 10000) / 10000;
  return { precision: round(p), recall: round(r), f1: round(p + r ? (2 * p * r) / (p + r) : 0), support: tp + fn };
};

/** Scores of a pipeline run against gold notes (same definitions as models/clinical-ner/train.py). */
export interface PipelineScores {
  notes: number;
  entitiesStrict: { micro: Prf; perType: Record<string, Prf> };
  entitiesLenient: { micro: Prf; perType: Record<string, Prf> };
  relations: { micro: Prf; perType: Record<string, Prf> };
  /** Assertion accuracy on PROBLEMs whose span the pipeline found exactly. */
  assertionOnMatched: { accuracy: number; n: number; confusion: Record<string, Record<string, number>> };
  /** Assertion accuracy of the ConText rules alone, on gold PROBLEM spans. */
  assertionOnGold: { accuracy: number; n: number; confusion: Record<string, Record<string, number>> };
}

/**
 * @param gold - annotated notes.
 * @param predicted - the pipeline's output per note, same order.
 * @returns strict/lenient entity P/R/F1 per type, relation P/R/F1, assertion accuracy.
 */
export function scoreExtractions(gold: AnnotatedNote[], predicted: Array<{ entities: ClinicalEntity[]; relations: ClinicalRelation[] }>): PipelineScores {
  const types = Object.keys(EntityType);
  const rels = Object.keys(RelationType);
  const strict = Object.fromEntries(types.map((t) => [t, { tp: 0, fp: 0, fn: 0 }])) as Record<string, Counts>;
  const lenient = Object.fromEntries(types.map((t) => [t, { tp: 0, fp: 0, fn: 0 }])) as Record<string, Counts>;
  const rel = Object.fromEntries(rels.map((t) => [t, { tp: 0, fp: 0, fn: 0 }])) as Record<string, Counts>;
  const matched = { ok: 0, n: 0, confusion: {} as Record<string, Record<string, number>> };
  const onGold = { ok: 0, n: 0, confusion: {} as Record<string, Record<string, number>> };
  const tally = (c: typeof matched, g: string, p: string) => {
    c.n++;
    if (g === p) c.ok++;
    c.confusion[g] ??= {};
    c.confusion[g][p] = (c.confusion[g][p] ?? 0) + 1;
  };
  gold.forEach((note, i) => {
    const pred = predicted[i];
    const key = (e: { start: number; end: number; type: string }) => `${e.start}:${e.end}:${e.type}`;
    const predByKey = new Map(pred.entities.map((e) => [key(e), e]));
    for (const t of types) {
      const g = note.entities.filter((e) => e.type === t);
      const p = pred.entities.filter((e) => e.type === t);
      const gk = new Set(g.map(key));
      const pk = new Set(p.map(key));
      const tp = [...pk].filter((k) => gk.has(k)).length;
      strict[t].tp += tp;
      strict[t].fp += pk.size - tp;
      strict[t].fn += gk.size - tp;
      const used = new Set<number>();
      let ltp = 0;
      for (const x of p) {
        const m = g.findIndex((y, j) => !used.has(j) && y.start < x.end && x.start < y.end);
        if (m >= 0) {
          used.add(m);
          ltp++;
        }
      }
      lenient[t].tp += ltp;
      lenient[t].fp += p.length - ltp;
      lenient[t].fn += g.length - ltp;
    }
    const sections = detectSections(note.text);
    for (const g of note.entities.filter((e) => e.type === 'PROBLEM')) {
      const p = predByKey.get(key(g));
      if (p?.assertion) tally(matched, g.assertion ?? 'present', p.assertion);
      tally(onGold, g.assertion ?? 'present', assertProblem(note.text, g, sectionAt(sections, g.start)) satisfies Assertion);
    }
    const spanOf = (ents: Array<{ id: string; start: number; end: number }>) => new Map(ents.map((e) => [e.id, `${e.start}:${e.end}`]));
    const gs = spanOf(note.entities);
    const ps = spanOf(pred.entities);
    for (const t of rels) {
      const g = new Set(note.relations.filter((r) => r.type === t).map((r) => `${gs.get(r.head)}>${gs.get(r.tail)}`));
      const p = new Set(pred.relations.filter((r) => r.type === t).map((r) => `${ps.get(r.head)}>${ps.get(r.tail)}`));
      const tp = [...p].filter((k) => g.has(k)).length;
      rel[t].tp += tp;
      rel[t].fp += p.size - tp;
      rel[t].fn += g.size - tp;
    }
  });
  const block = (c: Record<string, Counts>) => {
    const tot = Object.values(c).reduce((a, b) => ({ tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn }), { tp: 0, fp: 0, fn: 0 });
    return { micro: prf(tot), perType: Object.fromEntries(Object.entries(c).map(([k, v]) => [k, prf(v)])) };
  };
  const acc = (c: typeof matched) => ({ accuracy: c.n ? Math.round((c.ok / c.n) * 10000) / 10000 : 0, n: c.n, confusion: c.confusion });
  return { notes: gold.length, entitiesStrict: block(strict), entitiesLenient: block(lenient), relations: block(rel), assertionOnMatched: acc(matched), assertionOnGold: acc(onGold) };
}
