import { dicomDate, dicomTime, DicomElement, el, uidFrom, writePart10 } from './dicom-writer';
import type { Vec3 } from './series-to-volume';

export const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';

export interface CtSeriesInput {
  dims: Vec3;
  spacing: Vec3;
  origin: Vec3;
  rowDir: Vec3;
  colDir: Vec3;
  sliceDir: Vec3;
  hu: Int16Array;
}

export interface StudyIdentity {
  patientId: string;
  patientName: string;
  patientBirthDate?: string;
  patientSex?: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  frameOfReferenceUid?: string;
  studyDate: string;
  studyTime?: string;
  studyDescription?: string;
  accessionNumber?: string;
  seriesDescription?: string;
  seriesNumber?: number;
}

/**
 * A CT volume as a DICOM series, one CT Image Storage object per slice, stored unsigned with
 * RescaleIntercept -1024 as most scanners do. SOP Instance UIDs derive from the series UID and the
 * slice index, so writing the same volume twice gives the same objects (idempotent re-sends).
 */
export function writeCtSeries(v: CtSeriesInput, id: StudyIdentity): { sopInstanceUid: string; bytes: Uint8Array }[] {
  const [nx, ny, nz] = v.dims;
  const frameOfRef = id.frameOfReferenceUid ?? uidFrom(`for:${id.studyInstanceUid}`);
  const now = new Date();
  const out: { sopInstanceUid: string; bytes: Uint8Array }[] = [];
  for (let k = 0; k < nz; k++) {
    const sop = uidFrom(`${id.seriesInstanceUid}/${k}`);
    const pos = [0, 1, 2].map((a) => v.origin[a] + k * v.spacing[2] * v.sliceDir[a]);
    const pixels = new Uint16Array(nx * ny);
    const off = k * nx * ny;
    for (let p = 0; p < pixels.length; p++) {
      const s = v.hu[off + p] + 1024;
      pixels[p] = s < 0 ? 0 : s > 4095 ? 4095 : s;
    }
    const ds: DicomElement[] = [
      el(0x00080005, 'CS', 'ISO_IR 100'),
      el(0x00080008, 'CS', ['ORIGINAL', 'PRIMARY', 'AXIAL']),
      el(0x00080012, 'DA', dicomDate(now)),
      el(0x00080013, 'TM', dicomTime(now)),
      el(0x00080016, 'UI', CT_IMAGE_STORAGE),
      el(0x00080018, 'UI', sop),
      el(0x00080020, 'DA', id.studyDate),
      el(0x00080030, 'TM', id.studyTime ?? '090000'),
      el(0x00080050, 'SH', id.accessionNumber ?? ''),
      el(0x00080060, 'CS', 'CT'),
      el(0x00080070, 'LO', 'Suite phantom generator'),
      el(0x00080090, 'PN', ''),
      el(0x00081030, 'LO', id.studyDescription ?? 'CT chest'),
      el(0x0008103e, 'LO', id.seriesDescription ?? 'Chest phantom'),
      el(0x00100010, 'PN', id.patientName),
      el(0x00100020, 'LO', id.patientId),
      el(0x00100030, 'DA', id.patientBirthDate ?? ''),
      el(0x00100040, 'CS', id.patientSex ?? ''),
      el(0x00180050, 'DS', v.spacing[2]),
      el(0x00180060, 'DS', 120),
      el(0x0020000d, 'UI', id.studyInstanceUid),
      el(0x0020000e, 'UI', id.seriesInstanceUid),
      el(0x00200010, 'SH', '1'),
      el(0x00200011, 'IS', id.seriesNumber ?? 1),
      el(0x00200013, 'IS', k + 1),
      el(0x00200032, 'DS', pos),
      el(0x00200037, 'DS', [...v.rowDir, ...v.colDir]),
      el(0x00200052, 'UI', frameOfRef),
      el(0x00201041, 'DS', pos[2]),
      el(0x00280002, 'US', 1),
      el(0x00280004, 'CS', 'MONOCHROME2'),
      el(0x00280010, 'US', ny),
      el(0x00280011, 'US', nx),
      // PixelSpacing: between rows (j), then between columns (i)
      el(0x00280030, 'DS', [v.spacing[1], v.spacing[0]]),
      el(0x00280100, 'US', 16),
      el(0x00280101, 'US', 12),
      el(0x00280102, 'US', 11),
      el(0x00280103, 'US', 0),
      el(0x00281050, 'DS', -600),
      el(0x00281051, 'DS', 1500),
      el(0x00281052, 'DS', -1024),
      el(0x00281053, 'DS', 1),
      el(0x00281054, 'LO', 'HU'),
      el(0x7fe00010, 'OW', pixels),
    ];
    out.push({ sopInstanceUid: sop, bytes: writePart10(ds, CT_IMAGE_STORAGE, sop) });
  }
  return out;
}
