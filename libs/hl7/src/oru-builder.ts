import { DEFAULT_ENCODING } from './encoding-characters';
import { escapeHl7 } from './escape';
import { Hl7Message, Hl7Segment, hl7Timestamp } from './hl7-message';

/** One structured observation to send downstream as an OBX. */
export interface OutboundObservation {
  /** OBX-3 identifier, text and coding system (e.g. "DRUG", "Drug", "L"). */
  code: { id: string; text: string; system: string };
  /** OBX-5 value (plain text; escaped here). */
  value: string;
  /** OBX-4 sub-id groups related observations (an entity and its attributes). */
  subId?: string;
  /** OBX-8 abnormal flags / interpretation, e.g. the assertion. */
  interpretation?: string;
  /** OBX-5 may be coded: value, text and system (e.g. an ATC code), sent as CWE. */
  coded?: { code: string; text: string; system: string };
}

/** Header data of an outbound ORU^R01. */
export interface OruHeader {
  controlId: string;
  sendingApplication: string;
  sendingFacility?: string;
  receivingApplication?: string;
  receivingFacility?: string;
  patientId?: string;
  encounterId?: string;
  /** OBR-3 filler order number: ties the result to the source note. */
  fillerOrderNumber: string;
  /** OBR-4 universal service id. */
  service: { id: string; text: string; system: string };
  now?: Date;
}

/**
 * Builds an ORU^R01 (v2.5.1) carrying structured observations.
 * @param header - routing and identifiers.
 * @param observations - one OBX each, in order.
 * @returns the message.
 */
export function buildOruR01(header: OruHeader, observations: OutboundObservation[]): Hl7Message {
  const enc = DEFAULT_ENCODING;
  const e = (s: string | undefined) => escapeHl7(s ?? '', enc);
  const c = (...parts: string[]) => parts.map(e).join(enc.component);
  const ts = hl7Timestamp(header.now ?? new Date());
  const segs: Hl7Segment[] = [
    new Hl7Segment(['MSH', '^~\\&', e(header.sendingApplication), e(header.sendingFacility), e(header.receivingApplication), e(header.receivingFacility), ts, '', 'ORU^R01^ORU_R01', e(header.controlId), 'P', '2.5.1'], enc),
    new Hl7Segment(['PID', '1', '', e(header.patientId)], enc),
  ];
  if (header.encounterId) segs.push(new Hl7Segment(['PV1', '1', 'U', ...Array(16).fill(''), e(header.encounterId)], enc));
  segs.push(new Hl7Segment(['OBR', '1', '', e(header.fillerOrderNumber), c(header.service.id, header.service.text, header.service.system), '', '', ts, ...Array(17).fill(''), 'F'], enc));
  observations.forEach((o, i) => {
    const valueType = o.coded ? 'CWE' : 'ST';
    const value = o.coded ? c(o.coded.code, o.coded.text, o.coded.system) : e(o.value);
    segs.push(new Hl7Segment(['OBX', String(i + 1), valueType, c(o.code.id, o.code.text, o.code.system), e(o.subId), value, '', '', e(o.interpretation), '', '', 'F'], enc));
  });
  return new Hl7Message(segs, enc);
}
