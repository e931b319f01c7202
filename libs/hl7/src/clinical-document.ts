import { unescapeHl7 } from './escape';
import type { Hl7Message } from './hl7-message';

/** OBX-2 value types that carry narrative text. */
export const TextValueType = {
  /** Text data: one line of display text per OBX (repetitions are further lines). */
  TX: 'TX',
  /** Formatted text: may contain \.br\ and other formatting escapes. */
  FT: 'FT',
  /** String data (short text). */
  ST: 'ST',
  /** Encapsulated data: source^type^subtype^encoding^data, text when type is TEXT or encoding A. */
  ED: 'ED',
} as const;
export type TextValueType = keyof typeof TextValueType;

/** The narrative a message carries, with the identifiers needed to file it. */
export interface ClinicalDocument {
  text: string;
  patientId?: string;
  encounterId?: string;
  /** How many OBX segments contributed text. */
  observationCount: number;
}

/** Thrown when an ED value cannot be decoded as text. */
export class DocumentDecodeError extends Error {}

/**
 * Reconstructs a note from the OBX segments of an ORU^R01 or MDM^T02: each text OBX is one line
 * (escape sequences decoded with the message's own delimiters, \.br\ becoming a line break), lines
 * joined with "\n"; an OBX-5 with repetitions contributes one line per repetition.
 * @param message - the parsed message.
 * @returns the document, with empty text when no OBX carried text.
 */
export function extractClinicalDocument(message: Hl7Message): ClinicalDocument {
  const lines: string[] = [];
  let count = 0;
  for (const obx of message.getAllSegments('OBX')) {
    const type = obx.getComponent(2, 1).toUpperCase();
    if (!(type in TextValueType)) continue;
    const reps = obx.getRepetitions(5);
    if (reps.length === 0) continue;
    count++;
    for (const rep of reps) {
      if (type === 'ED') lines.push(decodeEncapsulated(rep, message));
      else lines.push(unescapeHl7(rep, message.encoding));
    }
  }
  const pid = message.getSegment('PID');
  const pv1 = message.getSegment('PV1');
  const patientId = pid ? pid.getComponent(3, 1) || pid.getComponent(2, 1) || undefined : undefined;
  const encounterId = pv1 ? pv1.getComponent(19, 1) || undefined : undefined;
  return { text: lines.join('\n'), patientId, encounterId, observationCount: count };
}

function decodeEncapsulated(rep: string, message: Hl7Message): string {
  const parts = rep.split(message.encoding.component);
  const encoding = (parts[3] ?? '').toUpperCase();
  const data = unescapeHl7(parts[4] ?? '', message.encoding);
  if (encoding === 'BASE64') {
    if (!/^[A-Za-z0-9+/=\s]*$/.test(data)) throw new DocumentDecodeError('ED value is not valid Base64');
    return Buffer.from(data.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  if (encoding === 'HEX') {
    if (!/^([0-9A-Fa-f]{2})*$/.test(data)) throw new DocumentDecodeError('ED value is not valid hex');
    return Buffer.from(data, 'hex').toString('utf8');
  }
  if (encoding === 'A' || encoding === '') return data;
  throw new DocumentDecodeError(`ED encoding ${encoding} is not supported`);
}
