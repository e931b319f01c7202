import { createHash } from 'node:crypto';
import type { Assertion, ClinicalEntity, Extraction } from '../clinical-entity';
import { Section } from '../sections';

/** How each assertion maps to FHIR R4 Condition.verificationStatus (condition-ver-status). */
export const VERIFICATION_BY_ASSERTION: Record<Exclude<Assertion, 'family'>, string> = {
  present: 'confirmed',
  absent: 'refuted',
  possible: 'provisional',
  hypothetical: 'unconfirmed',
  conditional: 'confirmed',
};

const VER_SYSTEM = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const CLIN_SYSTEM = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const SPAN_EXTENSION = 'urn:suite:emr:note-span';

type Json = Record<string, unknown>;

/** What the bundle is about. */
export interface NoteContext {
  noteId: string;
  text: string;
  patientId?: string;
  encounterId?: string;
  createdAt: Date;
}

/**
 * Builds a FHIR R4 Bundle (type collection) for a structured note: the Patient, a
 * DocumentReference holding the note, and one resource per entity: Condition (PROBLEM; family ->
 * FamilyMemberHistory), MedicationStatement (DRUG with its dosage; DRUG in an Allergies section ->
 * AllergyIntolerance), Observation (TEST with its VALUE), Procedure (TREATMENT). Relations become
 * references: treats -> reasonReference, reveals -> Condition.evidence.detail. Every resource
 * carries the entity's note offsets in an extension so it can be traced back to the text.
 * @param ctx - the note and its identifiers.
 * @param extraction - the extraction result for the note.
 * @returns the Bundle.
 */
export function buildFhirBundle(ctx: NoteContext, extraction: Extraction): Json {
  const uuid = (label: string) => deterministicUuid(`${ctx.noteId}:${label}`);
  const patientUuid = uuid('patient');
  const subject = { reference: `urn:uuid:${patientUuid}` };
  const encounter = ctx.encounterId ? { type: 'Encounter', identifier: { value: ctx.encounterId } } : undefined;
  const when = ctx.createdAt.toISOString();
  const entries: Json[] = [];
  const push = (id: string, resource: Json) => entries.push({ fullUrl: `urn:uuid:${id}`, resource: { ...resource, id } });

  push(patientUuid, { resourceType: 'Patient', ...(ctx.patientId ? { identifier: [{ value: ctx.patientId }] } : {}) });
  const docUuid = uuid('document');
  push(docUuid, {
    resourceType: 'DocumentReference',
    identifier: [{ system: 'urn:suite:emr:note', value: ctx.noteId }],
    status: 'current',
    type: { text: 'Clinical note' },
    subject,
    date: when,
    content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: Buffer.from(ctx.text, 'utf8').toString('base64'), size: Buffer.byteLength(ctx.text, 'utf8') } }],
    ...(encounter ? { context: { encounter: [encounter] } } : {}),
  });

  const byId = new Map(extraction.entities.map((e) => [e.id, e]));
  const urlOf = new Map<string, string>();
  for (const e of extraction.entities) if (['PROBLEM', 'DRUG', 'TEST', 'TREATMENT'].includes(e.type)) urlOf.set(e.id, uuid(e.id));
  const tails = (head: string, type: string) => extraction.relations.filter((r) => r.head === head && r.type === type).map((r) => byId.get(r.tail)!);
  const heads = (tail: string, type: string) => extraction.relations.filter((r) => r.tail === tail && r.type === type).map((r) => r.head);
  const refs = (ids: string[]) => ids.filter((id) => urlOf.has(id) && byId.get(id)?.assertion !== 'family').map((id) => ({ reference: `urn:uuid:${urlOf.get(id)}` }));
  const span = (e: ClinicalEntity) => [{ url: SPAN_EXTENSION, extension: [{ url: 'start', valueInteger: e.start }, { url: 'end', valueInteger: e.end }, ...(e.section ? [{ url: 'section', valueString: e.section }] : [])] }];
  const derivedFrom = [{ reference: `urn:uuid:${docUuid}` }];

  for (const e of extraction.entities) {
    const id = urlOf.get(e.id);
    if (!id) continue;
    const code = { ...(e.code ? { coding: [{ system: e.code.system, code: e.code.code, display: e.code.display }] } : {}), text: e.text };
    if (e.type === 'PROBLEM' && e.assertion === 'family') {
      push(id, {
        resourceType: 'FamilyMemberHistory',
        extension: span(e),
        status: 'partial',
        patient: subject,
        date: when,
        relationship: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'FAMMEMB', display: 'family member' }] },
        condition: [{ code }],
      });
    } else if (e.type === 'PROBLEM') {
      const assertion = (e.assertion ?? 'present') as Exclude<Assertion, 'family'>;
      const verification = VERIFICATION_BY_ASSERTION[assertion];
      const evidence = refs(heads(e.id, 'reveals'));
      push(id, {
        resourceType: 'Condition',
        extension: span(e),
        // clinicalStatus only where the condition is asserted for the patient now (R4 con-5: none when refuted is allowed; we omit it)
        ...(verification === 'confirmed' || verification === 'provisional' ? { clinicalStatus: { coding: [{ system: CLIN_SYSTEM, code: 'active' }] } } : {}),
        verificationStatus: { coding: [{ system: VER_SYSTEM, code: verification }], text: assertion },
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
        code,
        subject,
        ...(encounter ? { encounter } : {}),
        recordedDate: when,
        ...(evidence.length ? { evidence: [{ detail: evidence }] } : {}),
        ...(assertion === 'hypothetical' || assertion === 'conditional' ? { note: [{ text: `Assertion: ${assertion}` }] } : {}),
      });
    } else if (e.type === 'DRUG' && e.section === Section.Allergies) {
      push(id, { resourceType: 'AllergyIntolerance', extension: span(e), category: ['medication'], code, patient: subject, ...(encounter ? { encounter } : {}), recordedDate: when });
    } else if (e.type === 'DRUG') {
      push(id, {
        resourceType: 'MedicationStatement',
        extension: span(e),
        status: 'active',
        medicationCodeableConcept: code,
        subject,
        ...(encounter ? { context: encounter } : {}),
        dateAsserted: when,
        derivedFrom,
        ...(refs(tails(e.id, 'treats').map((t) => t.id)).length ? { reasonReference: refs(tails(e.id, 'treats').map((t) => t.id)) } : {}),
        dosage: [buildDosage(e, tails)],
      });
    } else if (e.type === 'TEST') {
      const value = tails(e.id, 'has_value')[0];
      push(id, {
        resourceType: 'Observation',
        extension: span(e),
        status: value ? 'final' : 'registered',
        code,
        subject,
        ...(encounter ? { encounter } : {}),
        ...(value ? observationValue(value.text) : {}),
        derivedFrom,
      });
    } else if (e.type === 'TREATMENT') {
      const reasons = refs(tails(e.id, 'treats').map((t) => t.id));
      push(id, {
        resourceType: 'Procedure',
        extension: span(e),
        status: /\b(s\/p|status post|underwent)\s*$/i.test(ctx.text.slice(Math.max(0, e.start - 20), e.start)) ? 'completed' : 'unknown',
        code,
        subject,
        ...(encounter ? { encounter } : {}),
        ...(reasons.length ? { reasonReference: reasons } : {}),
      });
    }
  }
  return { resourceType: 'Bundle', id: uuid('bundle'), type: 'collection', timestamp: when, entry: entries };
}

function buildDosage(drug: ClinicalEntity, tails: (head: string, type: string) => ClinicalEntity[]): Json {
  const strength = tails(drug.id, 'has_strength')[0];
  const route = tails(drug.id, 'has_route')[0];
  const freq = tails(drug.id, 'has_frequency')[0];
  const duration = tails(drug.id, 'has_duration')[0];
  const text = [drug.text, strength?.text, route?.text, freq?.text, duration ? `for ${duration.text}` : undefined].filter(Boolean).join(' ');
  const dose = strength ? parseQuantity(strength.text) : undefined;
  const bounds = duration ? parseDuration(duration.text) : undefined;
  const timing = freq || bounds ? { ...(freq ? { code: { text: freq.text } } : {}), ...(bounds ? { repeat: { boundsDuration: bounds } } : {}) } : undefined;
  return {
    text,
    ...(timing ? { timing } : {}),
    ...(freq && /\b(prn|as needed|as required)\b/i.test(freq.text) ? { asNeededBoolean: true } : {}),
    ...(route ? { route: { text: route.text } } : {}),
    ...(dose ? { doseAndRate: [{ doseQuantity: dose }] } : {}),
  };
}

/**
 * @param text - e.g. "500 mg", "0.4mg", "12.1 g/dL".
 * @returns a Quantity when the text is a number with an optional unit.
 */
export function parseQuantity(text: string): Json | undefined {
  const m = /^([<>]=?)?\s*(\d+(?:\.\d+)?)\s*([^\d\s].*)?$/.exec(text.replace(/,(?=\d{3}\b)/g, '').trim());
  if (!m) return undefined;
  const q: Json = { value: Number(m[2]) };
  if (m[1]) q.comparator = m[1];
  if (m[3]) q.unit = m[3].trim();
  return q;
}

const DURATION_UNITS: Record<string, string> = { day: 'd', days: 'd', d: 'd', week: 'wk', weeks: 'wk', wk: 'wk', wks: 'wk', month: 'mo', months: 'mo', hour: 'h', hours: 'h', h: 'h', hrs: 'h' };
const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, ten: 10, fourteen: 14, a: 1 };

function parseDuration(text: string): Json | undefined {
  const m = /(\d+(?:\.\d+)?|one|two|three|four|five|six|seven|ten|fourteen)\s*(?:more\s+)?(days?|d|weeks?|wks?|wk|months?|hours?|hrs|h)\b/i.exec(text);
  if (!m) return undefined;
  const value = NUMBER_WORDS[m[1].toLowerCase()] ?? Number(m[1]);
  const code = DURATION_UNITS[m[2].toLowerCase()];
  return { value, unit: m[2].toLowerCase(), system: 'http://unitsofmeasure.org', code };
}

function observationValue(text: string): Json {
  const q = parseQuantity(text);
  return q ? { valueQuantity: q } : { valueString: text };
}

/** A UUID (v4 layout) derived from a string, so re-exporting the same note gives the same ids. */
function deterministicUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
