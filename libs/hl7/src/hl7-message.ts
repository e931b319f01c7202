import { DEFAULT_ENCODING, readEncodingCharacters, type EncodingCharacters } from './encoding-characters';
import { escapeHl7, unescapeHl7 } from './escape';

/** Thrown when text cannot be read as an HL7 v2 message at all (no MSH, bad delimiters). */
export class Hl7ParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Hl7ParseError';
  }
}

const SEGMENT_ID = /^[A-Z][A-Z0-9]{2}$/;

/**
 * One segment. Field numbers follow the standard (PID-3 is `getField(3)`); for MSH, MSH-1 is the
 * field separator itself and MSH-2 the encoding characters, exactly as the specification counts.
 */
export class Hl7Segment {
  /** @param fields - the segment split on the field separator; fields[0] is the segment id. */
  constructor(
    readonly fields: string[],
    readonly encoding: EncodingCharacters = DEFAULT_ENCODING,
  ) {}

  /** The three-letter segment id, e.g. "PID". */
  get name(): string {
    return this.fields[0];
  }

  /**
   * @param n - the 1-based field number.
   * @returns the field's raw (still escaped) text, '' when absent.
   */
  getField(n: number): string {
    if (this.name === 'MSH') {
      if (n === 1) return this.encoding.field;
      return this.fields[n - 1] ?? '';
    }
    return this.fields[n] ?? '';
  }

  /**
   * @param n - the 1-based field number.
   * @returns the raw repetitions of the field (split on the repetition character).
   */
  getRepetitions(n: number): string[] {
    const raw = this.getField(n);
    if (this.name === 'MSH' && n <= 2) return [raw];
    return raw === '' ? [] : raw.split(this.encoding.repetition);
  }

  /**
   * @param n - the 1-based field number.
   * @param component - the 1-based component number.
   * @param repetition - the 1-based repetition number.
   * @returns the component's unescaped text, '' when absent.
   */
  getComponent(n: number, component = 1, repetition = 1): string {
    const rep = this.getRepetitions(n)[repetition - 1] ?? '';
    const comp = rep.split(this.encoding.component)[component - 1] ?? '';
    return unescapeHl7(comp.split(this.encoding.subcomponent)[0] ?? '', this.encoding);
  }

  /** @returns the segment serialised with its message's delimiters. */
  toString(): string {
    return this.fields.join(this.encoding.field);
  }
}

/** MSH-9 split into its parts: ORU^R01^ORU_R01. */
export interface MessageType {
  code: string;
  event: string;
  structure: string;
}

/** An HL7 v2 message: its encoding characters and segments, with symmetrical parse/toString. */
export class Hl7Message {
  constructor(
    readonly segments: Hl7Segment[],
    readonly encoding: EncodingCharacters = DEFAULT_ENCODING,
    /** Lines that were not segments (kept so the receiver can answer AE naming them). */
    readonly problems: string[] = [],
  ) {}

  /**
   * Parses a message whose segments are separated by CR, LF or CRLF.
   * @param text - the message text (an MLLP frame's payload).
   * @returns the message.
   * @throws Hl7ParseError when there is no MSH segment first or its delimiters are unusable.
   */
  static parse(text: string): Hl7Message {
    const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).filter((l) => l.trim() !== '');
    if (lines.length === 0) throw new Hl7ParseError('empty message');
    const first = lines[0].trimStart();
    if (!first.startsWith('MSH')) throw new Hl7ParseError('message does not start with an MSH segment');
    const encoding = readEncodingCharacters(first);
    if (!encoding) throw new Hl7ParseError('MSH-1/MSH-2 do not declare usable encoding characters');
    const segments: Hl7Segment[] = [];
    const problems: string[] = [];
    lines.forEach((line, i) => {
      const l = i === 0 ? first : line;
      const fields = l.split(encoding.field);
      if (!SEGMENT_ID.test(fields[0])) {
        problems.push(`line ${i + 1} is not a segment: ${JSON.stringify(l.slice(0, 40))}`);
        return;
      }
      segments.push(new Hl7Segment(fields, encoding));
    });
    return new Hl7Message(segments, encoding, problems);
  }

  /** The MSH segment. */
  get header(): Hl7Segment {
    return this.segments[0];
  }

  /**
   * @param name - a segment id such as "PID".
   * @returns the first segment with that id.
   */
  getSegment(name: string): Hl7Segment | undefined {
    return this.segments.find((s) => s.name === name);
  }

  /**
   * @param name - a segment id such as "OBX".
   * @returns every segment with that id, in order.
   */
  getAllSegments(name: string): Hl7Segment[] {
    return this.segments.filter((s) => s.name === name);
  }

  /** MSH-9. */
  get messageType(): MessageType {
    return {
      code: this.header.getComponent(9, 1),
      event: this.header.getComponent(9, 2),
      structure: this.header.getComponent(9, 3),
    };
  }

  /** MSH-10, the message control id. */
  get controlId(): string {
    return this.header.getComponent(10, 1);
  }

  /** MSH-12, the version id. */
  get version(): string {
    return this.header.getComponent(12, 1);
  }

  /**
   * @param separator - the segment separator; the standard's is CR.
   * @returns the message text.
   */
  toString(separator = '\r'): string {
    return this.segments.map((s) => s.toString()).join(separator);
  }

  /**
   * Builds the original-mode acknowledgement for this message (MSH, MSA, and ERR on AE/AR).
   * @param options - the code, an optional text for MSA-3 and errors for ERR segments.
   * @returns the ACK message.
   */
  buildAck(options: AckOptions): Hl7Message {
    const enc = this.encoding;
    const h = this.header;
    const version = this.version || '2.5.1';
    const msh = [
      'MSH',
      `${enc.component}${enc.repetition}${enc.escape}${enc.subcomponent}`,
      h.getField(5) || options.sendingApplication || '',
      h.getField(6),
      h.getField(3),
      h.getField(4),
      hl7Timestamp(options.now ?? new Date()),
      '',
      ['ACK', this.messageType.event, 'ACK'].join(enc.component),
      options.controlId ?? `ACK${Date.now()}${Math.floor(Math.random() * 1e6)}`,
      h.getField(11) || 'P',
      version,
    ];
    const msa = ['MSA', options.ackCode, escapeHl7(this.controlId, enc)];
    if (options.text) msa.push(escapeHl7(options.text.slice(0, 80), enc));
    const segments = [new Hl7Segment(msh, enc), new Hl7Segment(msa, enc)];
    for (const err of options.errors ?? []) segments.push(buildErr(err, version, enc));
    return new Hl7Message(segments, enc);
  }
}

/** Acknowledgement codes of original mode (HL7 table 0008). */
export const AckCode = {
  /** Application accept: the message was processed and committed. */
  AA: 'AA',
  /** Application error: the message parsed but could not be processed; ERR says why. */
  AE: 'AE',
  /** Application reject: unsupported type/version or an unreadable header. */
  AR: 'AR',
} as const;
export type AckCode = keyof typeof AckCode;

/** HL7 table 0357 (message error condition codes) entries this receiver uses. */
export const ErrorCondition = {
  /** Segment sequence error. */
  SegmentSequence: { code: '100', text: 'Segment sequence error' },
  /** Required field missing. */
  RequiredFieldMissing: { code: '101', text: 'Required field missing' },
  /** Data type error. */
  DataType: { code: '102', text: 'Data type error' },
  /** Unsupported message type. */
  UnsupportedMessageType: { code: '200', text: 'Unsupported message type' },
  /** Unsupported event code. */
  UnsupportedEvent: { code: '201', text: 'Unsupported event code' },
  /** Unsupported version id. */
  UnsupportedVersion: { code: '203', text: 'Unsupported version id' },
  /** Application internal error. */
  InternalError: { code: '207', text: 'Application internal error' },
} as const;

/** One ERR segment's content. */
export interface AckError {
  condition: { code: string; text: string };
  /** Where: segment id, sequence, field (e.g. ["MSH", 1, 9]). */
  location?: [string, number, number?];
  /** Free text for people (ERR-8 in 2.5+, inside ERR-1 before). */
  detail?: string;
}

/** What `buildAck` needs. */
export interface AckOptions {
  ackCode: AckCode;
  text?: string;
  errors?: AckError[];
  controlId?: string;
  sendingApplication?: string;
  now?: Date;
}

function buildErr(err: AckError, version: string, enc: EncodingCharacters): Hl7Segment {
  const loc = err.location ? err.location.filter((x) => x !== undefined).map(String) : [];
  const detail = err.detail ? escapeHl7(err.detail.slice(0, 200), enc) : '';
  if (versionAtLeast(version, '2.5')) {
    // ERR-2 location, ERR-3 HL7 error code (CWE), ERR-4 severity, ERR-8 user message
    return new Hl7Segment(
      ['ERR', '', loc.join(enc.component), [err.condition.code, err.condition.text, 'HL70357'].join(enc.component), 'E', '', '', '', detail],
      enc,
    );
  }
  // 2.3/2.4: ERR-1 is ELD = segment^sequence^field^code&text&table
  const code = [err.condition.code, err.condition.text + (detail ? `: ${detail}` : ''), 'HL70357'].join(enc.subcomponent);
  return new Hl7Segment(['ERR', [loc[0] ?? '', loc[1] ?? '', loc[2] ?? '', code].join(enc.component)], enc);
}

/**
 * @param version - an MSH-12 version such as "2.3.1".
 * @param min - the version to compare with.
 * @returns whether version >= min.
 */
export function versionAtLeast(version: string, min: string): boolean {
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/**
 * @param d - a date.
 * @returns the HL7 DTM form YYYYMMDDHHMMSS (UTC).
 */
export function hl7Timestamp(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
