/** The contract of POST /api/notes: entities and relations over a note's character offsets. */

/** Entity types (i2b2 2010 concepts + n2c2 2018 medication attributes). */
export const EntityType = {
  /** Diseases, symptoms, findings. */
  PROBLEM: 'PROBLEM',
  /** Tests, labs, imaging, measurements. */
  TEST: 'TEST',
  /** Procedures and non-drug therapy. */
  TREATMENT: 'TREATMENT',
  /** A medication. */
  DRUG: 'DRUG',
  /** Dose strength, e.g. "500 mg". */
  STRENGTH: 'STRENGTH',
  /** e.g. "BID", "q6h prn". */
  FREQUENCY: 'FREQUENCY',
  /** e.g. "PO", "IV". */
  ROUTE: 'ROUTE',
  /** e.g. "7 days". */
  DURATION: 'DURATION',
  /** A test's result. */
  VALUE: 'VALUE',
} as const;
export type EntityType = keyof typeof EntityType;

/** Assertion on a PROBLEM (i2b2 2010 assertion classes). */
export const Assertion = {
  /** The patient has it. */
  present: 'present',
  /** Negated: the patient does not have it. */
  absent: 'absent',
  /** Hedged: possible, suspected, to rule out. */
  possible: 'possible',
  /** Might happen in future ("return if fever"). */
  hypothetical: 'hypothetical',
  /** Occurs only under a condition ("dyspnea on exertion", allergic reactions). */
  conditional: 'conditional',
  /** Concerns a family member, not the patient. */
  family: 'family',
} as const;
export type Assertion = keyof typeof Assertion;

/** Relation types with their (head, tail) signatures. */
export const RelationType = {
  has_strength: 'has_strength',
  has_frequency: 'has_frequency',
  has_route: 'has_route',
  has_duration: 'has_duration',
  has_value: 'has_value',
  treats: 'treats',
  reveals: 'reveals',
} as const;
export type RelationType = keyof typeof RelationType;

/** A code from a named vocabulary. */
export interface Coding {
  system: string;
  code: string;
  display: string;
}

export interface ClinicalEntity {
  id: string;
  type: EntityType;
  /** JavaScript string index into the note, inclusive. */
  start: number;
  /** JavaScript string index into the note, exclusive. */
  end: number;
  text: string;
  assertion?: Assertion;
  section?: string;
  code?: Coding;
}

export interface ClinicalRelation {
  type: RelationType;
  head: string;
  tail: string;
}

export interface Extraction {
  entities: ClinicalEntity[];
  relations: ClinicalRelation[];
}
