/**
 * A small DICOM writer: Part 10 files in Explicit VR Little Endian, with sequences, enough for the
 * CT series of our phantoms and for Structured Reports. Elements are given as plain data and
 * written in tag order with even lengths, as the standard requires.
 */
export type Vr =
  | 'AE' | 'AS' | 'CS' | 'DA' | 'DS' | 'DT' | 'FL' | 'FD' | 'IS' | 'LO' | 'LT' | 'OB' | 'OW' | 'PN' | 'SH'
  | 'SL' | 'SQ' | 'SS' | 'ST' | 'TM' | 'UI' | 'UL' | 'US' | 'UT';

export type DicomItem = DicomElement[];

export interface DicomElement {
  /** tag as 0xGGGGEEEE */
  tag: number;
  vr: Vr;
  value: string | number | (string | number)[] | Uint8Array | Int16Array | Uint16Array | DicomItem[] | undefined;
}

const LONG_VRS = new Set<Vr>(['OB', 'OW', 'SQ', 'UT']);
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const IMPLEMENTATION_CLASS_UID = '1.2.826.0.1.3680043.10.1417.1';
export const IMPLEMENTATION_VERSION = 'SUITE_IMAGING_1';

/** Shorthand: el(0x00100010, 'PN', 'Doe^Jane'). */
export function el(tag: number, vr: Vr, value: DicomElement['value']): DicomElement {
  return { tag, vr, value };
}

/** Write a Part 10 file: preamble, DICM, file meta group, data set. */
export function writePart10(dataSet: DicomElement[], sopClassUid: string, sopInstanceUid: string): Uint8Array {
  const meta = encodeElements([
    el(0x00020001, 'OB', new Uint8Array([0, 1])),
    el(0x00020002, 'UI', sopClassUid),
    el(0x00020003, 'UI', sopInstanceUid),
    el(0x00020010, 'UI', EXPLICIT_VR_LITTLE_ENDIAN),
    el(0x00020012, 'UI', IMPLEMENTATION_CLASS_UID),
    el(0x00020013, 'SH', IMPLEMENTATION_VERSION),
  ]);
  const groupLength = encodeElements([el(0x00020000, 'UL', meta.length)]);
  const body = encodeElements(dataSet.filter((e) => e.tag >>> 16 !== 0x0002));
  const out = new Uint8Array(132 + groupLength.length + meta.length + body.length);
  out.set([0x44, 0x49, 0x43, 0x4d], 128);
  out.set(groupLength, 132);
  out.set(meta, 132 + groupLength.length);
  out.set(body, 132 + groupLength.length + meta.length);
  return out;
}

export function encodeElements(elements: DicomElement[]): Uint8Array {
  const parts = [...elements].sort((a, b) => (a.tag >>> 0) - (b.tag >>> 0)).map(encodeElement);
  return concat(parts);
}

function encodeElement(e: DicomElement): Uint8Array {
  const value = encodeValue(e);
  const long = LONG_VRS.has(e.vr);
  const header = new Uint8Array(long ? 12 : 8);
  const v = new DataView(header.buffer);
  v.setUint16(0, e.tag >>> 16, true);
  v.setUint16(2, e.tag & 0xffff, true);
  header[4] = e.vr.charCodeAt(0);
  header[5] = e.vr.charCodeAt(1);
  if (long) v.setUint32(8, value.length, true);
  else {
    if (value.length > 0xffff) throw new Error(`value of ${tagString(e.tag)} (${e.vr}) too long: ${value.length} bytes`);
    v.setUint16(6, value.length, true);
  }
  return concat([header, value]);
}

function encodeValue(e: DicomElement): Uint8Array {
  const val = e.value;
  if (val === undefined || val === null) return new Uint8Array(0);
  switch (e.vr) {
    case 'SQ': {
      const items = (val as DicomItem[]).map((item) => {
        const body = encodeElements(item);
        const h = new Uint8Array(8);
        const v = new DataView(h.buffer);
        v.setUint16(0, 0xfffe, true);
        v.setUint16(2, 0xe000, true);
        v.setUint32(4, body.length, true);
        return concat([h, body]);
      });
      return concat(items);
    }
    case 'OB':
      return pad(val as Uint8Array, 0);
    case 'OW': {
      const a = val as Int16Array | Uint16Array;
      return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
    }
    case 'US':
    case 'SS':
    case 'UL':
    case 'SL':
    case 'FL':
    case 'FD': {
      const xs = (Array.isArray(val) ? val : [val]).map(Number);
      const size = e.vr === 'US' || e.vr === 'SS' ? 2 : e.vr === 'FD' ? 8 : 4;
      const out = new Uint8Array(xs.length * size);
      const v = new DataView(out.buffer);
      xs.forEach((x, i) => {
        if (e.vr === 'US') v.setUint16(i * 2, x, true);
        else if (e.vr === 'SS') v.setInt16(i * 2, x, true);
        else if (e.vr === 'UL') v.setUint32(i * 4, x, true);
        else if (e.vr === 'SL') v.setInt32(i * 4, x, true);
        else if (e.vr === 'FL') v.setFloat32(i * 4, x, true);
        else v.setFloat64(i * 8, x, true);
      });
      return out;
    }
    default: {
      const xs = Array.isArray(val) ? val : [val];
      const text = xs.map((x) => (typeof x === 'number' ? formatNumber(x, e.vr) : String(x))).join('\\');
      return pad(new TextEncoder().encode(text), e.vr === 'UI' ? 0 : 0x20);
    }
  }
}

/** DS holds at most 16 characters; IS an integer. */
function formatNumber(x: number, vr: Vr): string {
  if (vr === 'IS') return String(Math.round(x));
  if (vr !== 'DS') return String(x);
  let s = String(Number(x.toPrecision(10)));
  if (s.length > 16) s = x.toExponential(8);
  return s;
}

function pad(bytes: Uint8Array, fill: number): Uint8Array {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = fill;
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function tagString(tag: number): string {
  return `(${(tag >>> 16).toString(16).padStart(4, '0')},${(tag & 0xffff).toString(16).padStart(4, '0')})`;
}

/** A new UID under the 2.25 root (UUID-derived), as PS3.5 B.2 allows. */
export function newUid(): string {
  const hex = crypto.randomUUID().replace(/-/g, '');
  return `2.25.${BigInt('0x' + hex).toString()}`;
}

/** A deterministic UID from a name (same input, same UID): for seeded phantoms. */
export function uidFrom(name: string): string {
  let h1 = 0xcbf29ce4n;
  let h2 = 0x84222325n;
  for (let i = 0; i < name.length; i++) {
    h1 = ((h1 ^ BigInt(name.charCodeAt(i))) * 0x100000001b3n) & 0xffffffffffffffffn;
    h2 = ((h2 ^ BigInt(name.charCodeAt(name.length - 1 - i))) * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return `2.25.${((h1 << 64n) | h2).toString()}`;
}

export function dicomDate(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, '');
}

export function dicomTime(d: Date): string {
  return d.toISOString().slice(11, 19).replace(/:/g, '');
}
