import type { Extraction } from '@suite/clinical-nlp';
import type { OutboundObservation } from '@suite/hl7';

/**
 * One OBX per entity for the outbound ORU^R01: OBX-3 is the entity type (local code system "L"),
 * OBX-4 groups an entity with its attributes (a drug with its strength, route...; a test with its
 * value), OBX-5 is the text (or the ATC code as CWE for drugs), OBX-8 the assertion for problems.
 * @param extraction - the extraction result.
 * @returns the observations in text order.
 */
export function extractionToObservations(extraction: Extraction): OutboundObservation[] {
  const group = new Map<string, string>();
  for (const r of extraction.relations) {
    if (r.type === 'treats' || r.type === 'reveals') continue;
    group.set(r.tail, r.head);
  }
  return extraction.entities.map((e) => ({
    code: { id: e.type, text: e.type.charAt(0) + e.type.slice(1).toLowerCase(), system: 'L' },
    value: e.text,
    subId: (group.get(e.id) ?? e.id).slice(1),
    interpretation: e.assertion,
    coded: e.code ? { code: e.code.code, text: e.text, system: 'ATC' } : undefined,
  }));
}
