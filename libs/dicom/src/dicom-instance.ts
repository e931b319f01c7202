import * as dicomParser from 'dicom-parser';
import { inflateRawSync } from 'node:zlib';
import { DicomError } from './dicom-error';
import { TransferSyntax, transferSyntaxInfo, TransferSyntaxInfo } from './transfer-syntax';

/** Attributes of an image's pixels (Image Pixel and Image Plane modules, Modality LUT). */
export interface ImageAttributes {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  photometricInterpretation: string;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  /** 0 unsigned, 1 two's complement */
  pixelRepresentation: number;
  planarConfiguration: number;
  numberOfFrames: number;
  rescaleSlope: number;
  rescaleIntercept: number;
  rescaleType?: string;
  windowCenter?: number;
  windowWidth?: number;
  /** [row spacing, column spacing] in mm (PixelSpacing order) */
  pixelSpacing?: [number, number];
  sliceThickness?: number;
  imagePositionPatient?: [number, number, number];
  imageOrientationPatient?: [number, number, number, number, number, number];
  pixelPaddingValue?: number;
  pixelPaddingRangeLimit?: number;
  hasPixelData: boolean;
}

/** One parsed DICOM object: identity, the study/series it belongs to, and its pixel description. */
export interface DicomInstance {
  bytes: Uint8Array;
  dataSet: dicomParser.DataSet;
  transferSyntax: TransferSyntaxInfo;
  /** true when the file had no Part 10 header (preamble, DICM, meta group) */
  headerless: boolean;
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  patientId: string;
  patientName: string;
  patientBirthDate?: string;
  patientSex?: string;
  studyDate?: string;
  studyTime?: string;
  studyDescription?: string;
  accessionNumber?: string;
  studyId?: string;
  modality?: string;
  seriesNumber?: number;
  seriesDescription?: string;
  instanceNumber?: number;
  image?: ImageAttributes;
}

const inflater = (bytes: Uint8Array, position: number): Uint8Array => {
  // the meta group stays as is; everything after it is a raw deflate stream (PS3.5 A.5)
  const inflated = inflateRawSync(Buffer.from(bytes.buffer, bytes.byteOffset + position, bytes.length - position));
  const out = new Uint8Array(position + inflated.length);
  out.set(bytes.subarray(0, position), 0);
  out.set(inflated, position);
  return out;
};

/**
 * Parse a DICOM object (Part 10 file, or a bare data set without the file meta header).
 * @throws DicomError with a reason: not DICOM, truncated, or missing identifying attributes.
 */
export function parseInstance(input: Uint8Array, opts: { requireIdentity?: boolean } = {}): DicomInstance {
  const bytes = input instanceof Buffer ? new Uint8Array(input.buffer, input.byteOffset, input.length) : input;
  if (bytes.length < 8) throw new DicomError('not-dicom', `only ${bytes.length} bytes: not a DICOM object`);
  let dataSet: dicomParser.DataSet | null = null;
  let headerless = false;
  const hasPreamble = bytes.length >= 132 && String.fromCharCode(bytes[128], bytes[129], bytes[130], bytes[131]) === 'DICM';
  if (hasPreamble) {
    dataSet = tryParse(bytes, { inflater } as dicomParser.ParseDicomOptions);
  } else {
    // a bare data set: guess the encoding from the first element, as dcmtk does
    headerless = true;
    // a bare data set starts with a low, even group number (0008 is usual); text and images do not
    const groupLe = bytes[0] | (bytes[1] << 8);
    const groupBe = (bytes[0] << 8) | bytes[1];
    const plausible = [groupLe, groupBe].some((g) => g >= 0x0002 && g <= 0x0030 && g % 2 === 0);
    if (!plausible) throw new DicomError('not-dicom', 'no DICM prefix at byte 128 and no data set at the start: not a DICOM object');
    for (const ts of guessBareEncodings(bytes)) {
      try {
        const ds = tryParse(bytes, { TransferSyntaxUID: ts } as dicomParser.ParseDicomOptions);
        if (ds.string('x00080018') || ds.string('x0020000d')) {
          dataSet = ds;
          (dataSet as unknown as { bareTs: string }).bareTs = ts;
          break;
        }
      } catch (e) {
        if (e instanceof DicomError && e.code === 'truncated') throw e;
      }
    }
    if (!dataSet) throw new DicomError('not-dicom', 'no DICM prefix at byte 128 and no readable data set: not a DICOM object');
  }
  const tsUid = dataSet.string('x00020010') ?? (dataSet as unknown as { bareTs?: string }).bareTs ?? TransferSyntax.ImplicitVRLittleEndian;
  const inst: DicomInstance = {
    bytes,
    dataSet,
    transferSyntax: transferSyntaxInfo(tsUid.replace(/\0/g, '').trim()),
    headerless,
    sopClassUid: str(dataSet, 'x00080016') ?? str(dataSet, 'x00020002') ?? '',
    sopInstanceUid: str(dataSet, 'x00080018') ?? str(dataSet, 'x00020003') ?? '',
    studyInstanceUid: str(dataSet, 'x0020000d') ?? '',
    seriesInstanceUid: str(dataSet, 'x0020000e') ?? '',
    patientId: str(dataSet, 'x00100020') ?? '',
    patientName: str(dataSet, 'x00100010') ?? '',
    patientBirthDate: str(dataSet, 'x00100030'),
    patientSex: str(dataSet, 'x00100040'),
    studyDate: str(dataSet, 'x00080020'),
    studyTime: str(dataSet, 'x00080030'),
    studyDescription: str(dataSet, 'x00081030'),
    accessionNumber: str(dataSet, 'x00080050'),
    studyId: str(dataSet, 'x00200010'),
    modality: str(dataSet, 'x00080060'),
    seriesNumber: num(dataSet, 'x00200011'),
    seriesDescription: str(dataSet, 'x0008103e'),
    instanceNumber: num(dataSet, 'x00200013'),
    image: readImageAttributes(dataSet),
  };
  if (opts.requireIdentity !== false) {
    const missing = [
      ['SOPInstanceUID (0008,0018)', inst.sopInstanceUid],
      ['StudyInstanceUID (0020,000D)', inst.studyInstanceUid],
      ['SeriesInstanceUID (0020,000E)', inst.seriesInstanceUid],
    ].filter(([, v]) => !v);
    if (missing.length) throw new DicomError('missing-attribute', `missing ${missing.map(([n]) => n).join(', ')}`);
  }
  return inst;
}

function tryParse(bytes: Uint8Array, options: dicomParser.ParseDicomOptions): dicomParser.DataSet {
  try {
    return dicomParser.parseDicom(bytes, options);
  } catch (err) {
    const msg = String((err as { exception?: unknown })?.exception ?? (err as Error)?.message ?? err);
    if (/past end|beyond|overrun|overread|truncat|end of buffer|not enough|maxPosition|greater than or equal to 'byteArray' length/i.test(msg)) {
      throw new DicomError('truncated', `element lengths run past the end of the data: truncated or malformed (${msg.replace(/^dicomParser[.:]\w+: /, '')})`);
    }
    if (/DICM/.test(msg)) throw new DicomError('not-dicom', 'no DICM prefix at byte 128: not a DICOM Part 10 file');
    throw new DicomError('not-dicom', `cannot parse as DICOM: ${msg}`);
  }
}

/** Encodings to try for a data set without a meta header, most likely first. */
function guessBareEncodings(b: Uint8Array): string[] {
  // explicit VR: bytes 4-5 are two upper-case letters
  const isVr = (x: number, y: number) => x >= 65 && x <= 90 && y >= 65 && y <= 90;
  const explicit = isVr(b[4], b[5]);
  const bigEndian = b[0] === 0 && b[1] !== 0; // group 0x0008 written 00 08
  if (explicit && bigEndian) return [TransferSyntax.ExplicitVRBigEndian, TransferSyntax.ExplicitVRLittleEndian];
  if (explicit) return [TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian];
  return [TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian];
}

function readImageAttributes(ds: dicomParser.DataSet): ImageAttributes | undefined {
  const rows = ds.uint16('x00280010');
  const columns = ds.uint16('x00280011');
  if (!rows || !columns) return undefined;
  const pixelRepresentation = ds.uint16('x00280103') ?? 0;
  const readPadding = (tag: string) => {
    const el = ds.elements[tag];
    if (!el || el.length < 2) return undefined;
    return pixelRepresentation === 1 ? ds.int16(tag) : ds.uint16(tag);
  };
  const ipp = floats(ds, 'x00200032');
  const iop = floats(ds, 'x00200037');
  const ps = floats(ds, 'x00280030');
  return {
    rows,
    columns,
    samplesPerPixel: ds.uint16('x00280002') ?? 1,
    photometricInterpretation: str(ds, 'x00280004') ?? 'MONOCHROME2',
    bitsAllocated: ds.uint16('x00280100') ?? 16,
    bitsStored: ds.uint16('x00280101') ?? ds.uint16('x00280100') ?? 16,
    highBit: ds.uint16('x00280102') ?? (ds.uint16('x00280101') ?? 16) - 1,
    pixelRepresentation,
    planarConfiguration: ds.uint16('x00280006') ?? 0,
    numberOfFrames: num(ds, 'x00280008') ?? 1,
    rescaleSlope: num(ds, 'x00281053') ?? 1,
    rescaleIntercept: num(ds, 'x00281052') ?? 0,
    rescaleType: str(ds, 'x00281054'),
    windowCenter: floats(ds, 'x00281050')?.[0],
    windowWidth: floats(ds, 'x00281051')?.[0],
    pixelSpacing: ps && ps.length >= 2 ? [ps[0], ps[1]] : undefined,
    sliceThickness: num(ds, 'x00180050'),
    imagePositionPatient: ipp && ipp.length >= 3 ? [ipp[0], ipp[1], ipp[2]] : undefined,
    imageOrientationPatient: iop && iop.length >= 6 ? (iop.slice(0, 6) as ImageAttributes['imageOrientationPatient']) : undefined,
    pixelPaddingValue: readPadding('x00280120'),
    pixelPaddingRangeLimit: readPadding('x00280121'),
    hasPixelData: !!ds.elements.x7fe00010,
  };
}

export function str(ds: dicomParser.DataSet, tag: string): string | undefined {
  try {
    const v = ds.string(tag);
    return v === undefined || v === '' ? undefined : v.replace(/\0/g, '').trim() || undefined;
  } catch {
    return undefined;
  }
}

function num(ds: dicomParser.DataSet, tag: string): number | undefined {
  const v = str(ds, tag);
  if (v === undefined) return undefined;
  const n = Number(v.split('\\')[0]);
  return Number.isFinite(n) ? n : undefined;
}

function floats(ds: dicomParser.DataSet, tag: string): number[] | undefined {
  const v = str(ds, tag);
  if (v === undefined) return undefined;
  const xs = v.split('\\').map((s) => Number(s.trim()));
  return xs.every(Number.isFinite) ? xs : undefined;
}
