import { dicomDate, dicomTime, DicomElement, DicomItem, el, uidFrom, writePart10 } from './dicom-writer';

/** Comprehensive 3D SR: TID 1500 with SCOORD3D centre points in the CT's frame of reference. */
export const COMPREHENSIVE_3D_SR_STORAGE = '1.2.840.10008.5.1.4.1.1.88.34';

type Code = [value: string, scheme: string, meaning: string];

const CODES = {
  report: ['126000', 'DCM', 'Imaging Measurement Report'],
  language: ['121049', 'DCM', 'Language of Content Item and Descendants'],
  english: ['en-US', 'RFC5646', 'English (United States)'],
  observerType: ['121005', 'DCM', 'Observer Type'],
  device: ['121007', 'DCM', 'Device'],
  deviceUid: ['121012', 'DCM', 'Device Observer UID'],
  deviceName: ['121013', 'DCM', 'Device Observer Name'],
  procedure: ['121058', 'DCM', 'Procedure reported'],
  ctChest: ['169069000', 'SCT', 'Computed tomography of chest'],
  imageLibrary: ['111028', 'DCM', 'Image Library'],
  imageLibraryGroup: ['126200', 'DCM', 'Image Library Group'],
  measurements: ['126010', 'DCM', 'Imaging Measurements'],
  group: ['125007', 'DCM', 'Measurement Group'],
  trackingId: ['112039', 'DCM', 'Tracking Identifier'],
  trackingUid: ['112040', 'DCM', 'Tracking Unique Identifier'],
  finding: ['121071', 'DCM', 'Finding'],
  nodule: ['27925004', 'SCT', 'Nodule'],
  findingSite: ['363698007', 'SCT', 'Finding Site'],
  imageRegion: ['111030', 'DCM', 'Image Region'],
  longAxis: ['103339001', 'SCT', 'Long Axis'],
  shortAxis: ['103340004', 'SCT', 'Short Axis'],
  diameter: ['81827009', 'SCT', 'Diameter'],
  volume: ['118565006', 'SCT', 'Volume'],
  attenuation: ['112031', 'DCM', 'Attenuation Coefficient'],
  derivation: ['121401', 'DCM', 'Derivation'],
  mean: ['373098007', 'SCT', 'Mean'],
  comment: ['121106', 'DCM', 'Comment'],
  mm: ['mm', 'UCUM', 'millimeter'],
  mm3: ['mm3', 'UCUM', 'cubic millimeter'],
  hu: ["[hnsf'U]", 'UCUM', 'Hounsfield unit'],
} satisfies Record<string, Code>;

/** SNOMED CT codes of the lobes */
export const LOBE_CODES: Record<string, Code> = {
  RUL: ['45653009', 'SCT', 'Upper lobe of right lung'],
  RML: ['72481006', 'SCT', 'Middle lobe of right lung'],
  RLL: ['90572001', 'SCT', 'Lower lobe of right lung'],
  LUL: ['44714003', 'SCT', 'Upper lobe of left lung'],
  LLL: ['41224006', 'SCT', 'Lower lobe of left lung'],
};

export interface SrFinding {
  trackingId: string;
  centerMm: [number, number, number];
  longAxisMm: number;
  shortAxisMm: number;
  diameterMm: number;
  volumeMm3: number;
  meanHu: number;
  lobe: string;
  /** free-text qualitative findings (type, Lung-RADS, juxtapleural...) */
  comment: string;
}

export interface SrInput {
  patientId: string;
  patientName: string;
  patientBirthDate?: string;
  patientSex?: string;
  studyInstanceUid: string;
  studyDate?: string;
  studyTime?: string;
  accessionNumber?: string;
  studyId?: string;
  referringPhysicianName?: string;
  frameOfReferenceUid: string;
  /** the CT images the findings were made on */
  referencedSeriesUid: string;
  referencedInstances: { sopClassUid: string; sopInstanceUid: string }[];
  findings: SrFinding[];
  /** deterministic identity: the same analysis gives the same SR UIDs */
  analysisId: string;
  summary?: string;
}

/** Build the SR as a Part 10 file. */
export function writeMeasurementReport(input: SrInput): { sopInstanceUid: string; seriesInstanceUid: string; bytes: Uint8Array } {
  const sop = uidFrom(`sr:${input.analysisId}`);
  const series = uidFrom(`sr-series:${input.analysisId}`);
  const now = new Date();
  const content: DicomItem[] = [
    codeItem('HAS CONCEPT MOD', CODES.language, CODES.english),
    codeItem('HAS OBS CONTEXT', CODES.observerType, CODES.device),
    uidItem('HAS OBS CONTEXT', CODES.deviceUid, uidFrom('device:suite-imaging')),
    textItem('HAS OBS CONTEXT', CODES.deviceName, 'suite imaging nodule analysis'),
    codeItem('HAS CONCEPT MOD', CODES.procedure, CODES.ctChest),
    containerItem('CONTAINS', CODES.imageLibrary, [
      containerItem(
        'CONTAINS',
        CODES.imageLibraryGroup,
        input.referencedInstances.slice(0, 1).map((r) => imageItem('CONTAINS', r.sopClassUid, r.sopInstanceUid)),
      ),
    ]),
    containerItem(
      'CONTAINS',
      CODES.measurements,
      input.findings.map((f) =>
        containerItem('CONTAINS', CODES.group, [
          textItem('HAS OBS CONTEXT', CODES.trackingId, f.trackingId),
          uidItem('HAS OBS CONTEXT', CODES.trackingUid, uidFrom(`track:${input.analysisId}:${f.trackingId}`)),
          codeItem('HAS CONCEPT MOD', CODES.finding, CODES.nodule),
          codeItem('HAS CONCEPT MOD', CODES.findingSite, LOBE_CODES[f.lobe] ?? ['39607008', 'SCT', 'Lung structure']),
          scoordItem('CONTAINS', CODES.imageRegion, f.centerMm, input.frameOfReferenceUid),
          numItem('CONTAINS', CODES.longAxis, f.longAxisMm, CODES.mm),
          numItem('CONTAINS', CODES.shortAxis, f.shortAxisMm, CODES.mm),
          numItem('CONTAINS', CODES.diameter, f.diameterMm, CODES.mm),
          numItem('CONTAINS', CODES.volume, f.volumeMm3, CODES.mm3),
          numItem('CONTAINS', CODES.attenuation, f.meanHu, CODES.hu, [codeItem('HAS CONCEPT MOD', CODES.derivation, CODES.mean)]),
          textItem('CONTAINS', CODES.comment, f.comment),
        ]),
      ),
    ),
  ];
  if (input.summary) content.push(textItem('CONTAINS', CODES.comment, input.summary));

  const ds: DicomElement[] = [
    el(0x00080005, 'CS', 'ISO_IR 100'),
    el(0x00080012, 'DA', dicomDate(now)),
    el(0x00080013, 'TM', dicomTime(now)),
    el(0x00080016, 'UI', COMPREHENSIVE_3D_SR_STORAGE),
    el(0x00080018, 'UI', sop),
    el(0x00080020, 'DA', input.studyDate ?? ''),
    el(0x00080023, 'DA', dicomDate(now)),
    el(0x00080030, 'TM', input.studyTime ?? ''),
    el(0x00080033, 'TM', dicomTime(now)),
    el(0x00080050, 'SH', input.accessionNumber ?? ''),
    el(0x00080060, 'CS', 'SR'),
    el(0x00080070, 'LO', 'Suite'),
    el(0x00080090, 'PN', input.referringPhysicianName ?? ''),
    el(0x0008103e, 'LO', 'Lung nodule measurements'),
    el(0x00081111, 'SQ', []),
    el(0x00100010, 'PN', input.patientName),
    el(0x00100020, 'LO', input.patientId),
    el(0x00100030, 'DA', input.patientBirthDate ?? ''),
    el(0x00100040, 'CS', input.patientSex ?? ''),
    el(0x0020000d, 'UI', input.studyInstanceUid),
    el(0x0020000e, 'UI', series),
    el(0x00200010, 'SH', input.studyId ?? ''),
    el(0x00200011, 'IS', 900),
    el(0x00200013, 'IS', 1),
    el(0x0040a040, 'CS', 'CONTAINER'),
    el(0x0040a043, 'SQ', [codeSeqItem(CODES.report)]),
    el(0x0040a050, 'CS', 'SEPARATE'),
    el(0x0040a372, 'SQ', []),
    el(0x0040a375, 'SQ', [
      [
        el(0x00081115, 'SQ', [
          [
            el(0x00081199, 'SQ', input.referencedInstances.map((r) => [el(0x00081150, 'UI', r.sopClassUid), el(0x00081155, 'UI', r.sopInstanceUid)])),
            el(0x0020000e, 'UI', input.referencedSeriesUid),
          ],
        ]),
        el(0x0020000d, 'UI', input.studyInstanceUid),
      ],
    ]),
    el(0x0040a491, 'CS', 'COMPLETE'),
    el(0x0040a493, 'CS', 'UNVERIFIED'),
    el(0x0040a504, 'SQ', [[el(0x00080105, 'CS', 'DCMR'), el(0x0040db00, 'CS', '1500')]]),
    el(0x0040a730, 'SQ', content),
  ];
  return { sopInstanceUid: sop, seriesInstanceUid: series, bytes: writePart10(ds, COMPREHENSIVE_3D_SR_STORAGE, sop) };
}

function codeSeqItem(c: Code): DicomItem {
  return [el(0x00080100, 'SH', c[0]), el(0x00080102, 'SH', c[1]), el(0x00080104, 'LO', c[2])];
}

function base(rel: string, type: string, name: Code): DicomElement[] {
  return [el(0x0040a010, 'CS', rel), el(0x0040a040, 'CS', type), el(0x0040a043, 'SQ', [codeSeqItem(name)])];
}

function containerItem(rel: string, name: Code, children: DicomItem[]): DicomItem {
  const item = [...base(rel, 'CONTAINER', name), el(0x0040a050, 'CS', 'SEPARATE')];
  if (children.length) item.push(el(0x0040a730, 'SQ', children));
  return item;
}

function codeItem(rel: string, name: Code, value: Code): DicomItem {
  return [...base(rel, 'CODE', name), el(0x0040a168, 'SQ', [codeSeqItem(value)])];
}

function textItem(rel: string, name: Code, text: string): DicomItem {
  return [...base(rel, 'TEXT', name), el(0x0040a160, 'UT', text)];
}

function uidItem(rel: string, name: Code, uid: string): DicomItem {
  return [...base(rel, 'UIDREF', name), el(0x0040a124, 'UI', uid)];
}

function imageItem(rel: string, sopClass: string, sopInstance: string): DicomItem {
  return [el(0x0040a010, 'CS', rel), el(0x0040a040, 'CS', 'IMAGE'), el(0x00081199, 'SQ', [[el(0x00081150, 'UI', sopClass), el(0x00081155, 'UI', sopInstance)]])];
}

function numItem(rel: string, name: Code, value: number, unit: Code, children: DicomItem[] = []): DicomItem {
  const item = [
    ...base(rel, 'NUM', name),
    el(0x0040a300, 'SQ', [[el(0x004008ea, 'SQ', [codeSeqItem(unit)]), el(0x0040a30a, 'DS', Math.round(value * 100) / 100)]]),
  ];
  if (children.length) item.push(el(0x0040a730, 'SQ', children));
  return item;
}

function scoordItem(rel: string, name: Code, point: [number, number, number], frameOfReferenceUid: string): DicomItem {
  return [
    ...base(rel, 'SCOORD3D', name),
    el(0x00700022, 'FL', point),
    el(0x00700023, 'CS', 'POINT'),
    el(0x30060024, 'UI', frameOfReferenceUid),
  ];
}
