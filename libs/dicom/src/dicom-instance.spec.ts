import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DicomError } from './dicom-error';
import { parseInstance } from './dicom-instance';
import { requirePydicomFiles } from './real-files';

const dir = requirePydicomFiles();
const read = (name: string) => readFileSync(join(dir, name));

function refusal(bytes: Uint8Array): DicomError {
  try {
    parseInstance(bytes);
  } catch (e) {
    if (e instanceof DicomError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('parseInstance', () => {
  it('reads identity, geometry and pixel attributes of a real CT slice', () => {
    const ct = parseInstance(read('CT_small.dcm'));
    expect(ct.transferSyntax.name).toBe('Explicit VR Little Endian');
    expect(ct.modality).toBe('CT');
    expect(ct.sopInstanceUid).toBe('1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322');
    expect(ct.image).toMatchObject({ rows: 128, columns: 128, bitsAllocated: 16, rescaleSlope: 1, rescaleIntercept: -1024 });
    expect(ct.image!.imagePositionPatient).toEqual([-158.135803, -179.035797, -75.699997]);
    expect(ct.image!.pixelSpacing).toEqual([0.661468, 0.661468]);
  });

  it.each([
    ['MR_small_implicit.dcm', 'Implicit VR Little Endian'],
    ['MR_small_bigendian.dcm', 'Explicit VR Big Endian'],
    ['image_dfl.dcm', 'Deflated Explicit VR Little Endian'],
    ['MR_small_RLE.dcm', 'RLE Lossless'],
    ['MR_small_jpeg_ls_lossless.dcm', 'JPEG-LS Lossless'],
    ['JPEG2000.dcm', 'JPEG 2000'],
  ])('parses %s (%s)', (name, syntax) => {
    expect(parseInstance(read(name), { requireIdentity: false }).transferSyntax.name).toBe(syntax);
  });

  it('reads a data set without the Part 10 header (explicit VR little endian)', () => {
    const inst = parseInstance(read('ExplVR_LitEndNoMeta.dcm'), { requireIdentity: false });
    expect(inst.headerless).toBe(true);
    expect(inst.modality).toBe('RTPLAN');
  });

  it('refuses a truncated file with a reason', () => {
    const e = refusal(read('MR_truncated.dcm'));
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(/truncated or malformed/);
  });

  it('refuses garbage, an empty body and a cut-off header as not DICOM', () => {
    expect(refusal(Buffer.from('this is not a DICOM file at all, just some text that goes on and on'.repeat(3))).code).toBe('not-dicom');
    expect(refusal(new Uint8Array(0)).code).toBe('not-dicom');
    const ct = read('CT_small.dcm');
    expect(['truncated', 'not-dicom']).toContain(refusal(ct.subarray(0, 200)).code);
  });

  it('refuses objects without the UIDs needed to store them', () => {
    const e = refusal(read('no_meta_group_length.dcm'));
    expect(e.code).toBe('missing-attribute');
    expect(e.message).toMatch(/StudyInstanceUID/);
  });
});
