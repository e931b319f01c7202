import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { DEFAULT_ENCODING } from './encoding-characters';
import { escapeHl7, unescapeHl7 } from './escape';
import { AckCode, ErrorCondition, Hl7Message, Hl7ParseError } from './hl7-message';

const samples = join(__dirname, '..', '..', '..', 'data', 'emr', 'hl7');
const sample = (name: string) => readFileSync(join(samples, name), 'utf8');

describe('Hl7Message.parse', () => {
  it('reads an ORU^R01 with CR separators, numbering fields as the standard does', () => {
    const msg = Hl7Message.parse(sample('oru-r01-tx.hl7'));
    expect(msg.messageType).toEqual({ code: 'ORU', event: 'R01', structure: 'ORU_R01' });
    expect(msg.controlId).toBe('ORU-0001');
    expect(msg.version).toBe('2.5.1');
    expect(msg.header.getField(1)).toBe('|');
    expect(msg.header.getField(2)).toBe('^~\\&');
    expect(msg.header.getField(3)).toBe('CARDIO');
    expect(msg.getSegment('PID')?.getComponent(3, 1)).toBe('MRN12345');
    expect(msg.getSegment('PID')?.getComponent(5, 2)).toBe('Thomas');
    expect(msg.getAllSegments('OBX')).toHaveLength(4);
  });

  it('accepts CRLF and LF segment separators and gives the same segments', () => {
    const cr = sample('oru-r01-tx.hl7');
    for (const sep of ['\n', '\r\n']) {
      const other = Hl7Message.parse(cr.split('\r').join(sep));
      expect(other.toString()).toBe(Hl7Message.parse(cr).toString());
    }
    expect(Hl7Message.parse(sample('adt-a01-lf.hl7')).getAllSegments('PV1')).toHaveLength(1);
    expect(Hl7Message.parse(sample('mdm-t02-ft-crlf.hl7')).version).toBe('2.3');
  });

  it('uses the message own encoding characters', () => {
    const msg = Hl7Message.parse('MSH#$~\\&#A#B#C#D#20260101##ORU$R01#X1#P#2.5\rOBX#1#TX#N$Note##a\\F\\b\\S\\c#');
    expect(msg.messageType.code).toBe('ORU');
    expect(msg.messageType.event).toBe('R01');
    expect(msg.getSegment('OBX')?.getComponent(5)).toBe('a#b$c');
  });

  it('refuses text without an MSH or with unusable delimiters', () => {
    expect(() => Hl7Message.parse('')).toThrow(Hl7ParseError);
    expect(() => Hl7Message.parse('PID|1||X')).toThrow(/MSH/);
    expect(() => Hl7Message.parse('MSH|^^\\&|A')).toThrow(/encoding characters/);
    expect(() => Hl7Message.parse('\u0000\u0001garbage')).toThrow(Hl7ParseError);
  });

  it('keeps lines that are not segments as problems instead of guessing', () => {
    const msg = Hl7Message.parse('MSH|^~\\&|A|B|C|D|1||ORU^R01|1|P|2.5\rthis is not a segment\rOBX|1|TX|||x');
    expect(msg.problems).toHaveLength(1);
    expect(msg.getAllSegments('OBX')).toHaveLength(1);
  });

  it('serialises back to the text it parsed (parse/toString are symmetrical)', () => {
    const text = sample('oru-r01-tx.hl7').replace(/\r$/, '');
    expect(Hl7Message.parse(text).toString()).toBe(text);
  });
});

describe('escape sequences', () => {
  it('decodes \\F\\ \\S\\ \\T\\ \\R\\ \\E\\ \\.br\\ and hex', () => {
    expect(unescapeHl7('a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\g\\X4142\\', DEFAULT_ENCODING)).toBe('a|b^c&d~e\\f\ngAB');
  });

  it('keeps an unterminated escape literally', () => {
    expect(unescapeHl7('50\\% off', DEFAULT_ENCODING)).toBe('50\\% off');
  });

  it('round-trips any text through escape and unescape', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (s) => {
        const plain = s.replace(/\r\n|\r/g, '\n');
        expect(unescapeHl7(escapeHl7(plain, DEFAULT_ENCODING), DEFAULT_ENCODING)).toBe(plain);
      }),
    );
  });
});

describe('buildAck', () => {
  const msg = Hl7Message.parse(sample('oru-r01-tx.hl7'));

  it('answers AA with MSA-2 = the original MSH-10 and swapped routing', () => {
    const ack = Hl7Message.parse(msg.buildAck({ ackCode: AckCode.AA, controlId: 'A1' }).toString());
    expect(ack.messageType.code).toBe('ACK');
    expect(ack.header.getField(3)).toBe('EMR');
    expect(ack.header.getField(5)).toBe('CARDIO');
    expect(ack.getSegment('MSA')?.getField(1)).toBe('AA');
    expect(ack.getSegment('MSA')?.getField(2)).toBe('ORU-0001');
    expect(ack.version).toBe('2.5.1');
    expect(ack.getSegment('ERR')).toBeUndefined();
  });

  it('adds a 2.5-style ERR (ERR-3 code, ERR-4 severity) to AE', () => {
    const ack = Hl7Message.parse(
      msg.buildAck({ ackCode: AckCode.AE, errors: [{ condition: ErrorCondition.RequiredFieldMissing, location: ['OBX', 1, 5], detail: 'no note text' }] }).toString(),
    );
    const err = ack.getSegment('ERR')!;
    expect(err.getComponent(3, 1)).toBe('101');
    expect(err.getComponent(3, 3)).toBe('HL70357');
    expect(err.getField(4)).toBe('E');
    expect(err.getComponent(8)).toBe('no note text');
  });

  it('uses ERR-1 (ELD) for 2.3 messages', () => {
    const old = Hl7Message.parse(sample('mdm-t02-ft-crlf.hl7'));
    const ack = Hl7Message.parse(old.buildAck({ ackCode: AckCode.AR, errors: [{ condition: ErrorCondition.UnsupportedMessageType, location: ['MSH', 1, 9] }] }).toString());
    expect(ack.getSegment('ERR')?.getComponent(1, 1)).toBe('MSH');
    expect(ack.getSegment('ERR')?.getField(1)).toContain('200&Unsupported message type&HL70357');
  });
});
