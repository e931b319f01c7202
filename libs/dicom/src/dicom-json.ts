import type { DicomInstance } from './dicom-instance';

/** DICOM JSON Model (PS3.18 F.2) for the attributes QIDO-RS returns. */
export type DicomJsonAttribute = { vr: string; Value?: unknown[] };
export type DicomJson = Record<string, DicomJsonAttribute>;

export function attr(vr: string, value: unknown): DicomJsonAttribute {
  if (value === undefined || value === null || value === '') return { vr };
  return { vr, Value: Array.isArray(value) ? value : [value] };
}

export function personName(name: string | undefined): DicomJsonAttribute {
  return name ? { vr: 'PN', Value: [{ Alphabetic: name }] } : { vr: 'PN' };
}

/** Instance-level attributes from a parsed object (for WADO-RS metadata). */
export function instanceMetadata(i: DicomInstance, retrieveUrl?: string): DicomJson {
  const img = i.image;
  const out: DicomJson = {
    '00080016': attr('UI', i.sopClassUid),
    '00080018': attr('UI', i.sopInstanceUid),
    '00080020': attr('DA', i.studyDate),
    '00080060': attr('CS', i.modality),
    '00100010': personName(i.patientName),
    '00100020': attr('LO', i.patientId),
    '0020000D': attr('UI', i.studyInstanceUid),
    '0020000E': attr('UI', i.seriesInstanceUid),
    '00200013': attr('IS', i.instanceNumber),
    '00020010': attr('UI', i.transferSyntax.uid),
  };
  if (img) {
    Object.assign(out, {
      '00280010': attr('US', img.rows),
      '00280011': attr('US', img.columns),
      '00280008': attr('IS', img.numberOfFrames),
      '00280100': attr('US', img.bitsAllocated),
      '00280103': attr('US', img.pixelRepresentation),
      '00280004': attr('CS', img.photometricInterpretation),
      '00281052': attr('DS', img.rescaleIntercept),
      '00281053': attr('DS', img.rescaleSlope),
      '00280030': attr('DS', img.pixelSpacing),
      '00200032': attr('DS', img.imagePositionPatient),
      '00200037': attr('DS', img.imageOrientationPatient),
      '00281050': attr('DS', img.windowCenter),
      '00281051': attr('DS', img.windowWidth),
    });
  }
  if (retrieveUrl) out['00081190'] = attr('UR', retrieveUrl);
  return out;
}
