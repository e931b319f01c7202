import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DicomError } from './dicom-error';
import { parseInstance } from './dicom-instance';
import { decodeFrame, modalityValues } from './pixel-decoder';
import { requirePydicomFiles } from './real-files';

/**
 * Our decoder against pydicom (an independent reader) on pydicom's own test files: the expected
 * values were written by data/imaging/pydicom-expected.py with pydicom's pixel_array and
 * apply_modality_lut, so these tests need no Python.
 */
const expected = JSON.parse(readFileSync(join(__dirname, '../../../data/imaging/pydicom-expected.json'), 'utf8')) as {
  files: Record<string, { transferSyntax?: string; frame1?: { shape: number[]; min: number; max: number; mean: number; sampleIndex: number[]; samples: number[] }; pixelError?: string; parseError?: string }>;
};

const dir = requirePydicomFiles();
const decodedByPydicom = Object.entries(expected.files).filter(([, e]) => e.frame1);

describe('pixel decoding matches pydicom', () => {
  it('covers every transfer syntax pydicom decodes here', () => {
    const syntaxes = new Set(decodedByPydicom.map(([, e]) => e.transferSyntax));
    // implicit LE, explicit LE, explicit BE, deflated, RLE
    expect([...syntaxes].sort()).toEqual(expect.arrayContaining(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.1.99', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.5']));
    expect(decodedByPydicom.length).toBeGreaterThanOrEqual(25);
  });

  it.each(decodedByPydicom)('%s', (name, e) => {
    const inst = parseInstance(readFileSync(join(dir, name)), { requireIdentity: false });
    const frame = decodeFrame(inst, 0);
    const values = modalityValues(frame, inst.image!, Number.NaN);
    const f = e.frame1!;
    expect(values.length).toBe(f.shape.reduce((a, b) => a * b, 1));
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBeCloseTo(f.min, 6);
    expect(max).toBeCloseTo(f.max, 6);
    expect(sum / values.length).toBeCloseTo(f.mean, 3);
    expect(f.sampleIndex.map((i) => values[i])).toEqual(f.samples);
  });

  it('decodes CT_small.dcm to Hounsfield units (rescale applied)', () => {
    const inst = parseInstance(readFileSync(join(dir, 'CT_small.dcm')));
    expect(inst.image).toMatchObject({ rows: 128, columns: 128, pixelRepresentation: 1 });
    const hu = modalityValues(decodeFrame(inst), inst.image!);
    expect(Array.from(hu.slice(0, 3))).toEqual(expected.files['CT_small.dcm'].frame1!.samples.slice(0, 1).concat([hu[1], hu[2]]));
    expect(expected.files['CT_small.dcm'].frame1!.samples[0]).toBe(hu[0]);
  });

  it('decodes JPEG Lossless (pydicom cannot here) to the same pixels as the RLE copy of the image', () => {
    const jpeg = parseInstance(readFileSync(join(dir, 'SC_rgb_jpeg_gdcm.dcm')));
    const rle = parseInstance(readFileSync(join(dir, 'SC_rgb_rle.dcm')));
    expect(jpeg.transferSyntax.encoding).toBe('jpeg-lossless');
    expect(Array.from(decodeFrame(jpeg).stored)).toEqual(Array.from(decodeFrame(rle).stored));
  });

  it('decodes the second frame of multi-frame RLE', () => {
    const two = parseInstance(readFileSync(join(dir, 'SC_rgb_rle_2frame.dcm')));
    expect(two.image!.numberOfFrames).toBe(2);
    const f2 = decodeFrame(two, 1);
    expect(f2.stored.length).toBe(100 * 100 * 3);
    expect(() => decodeFrame(two, 2)).toThrow(/frame 3 requested; the object has 2/);
  });

  it.each([
    ['MR_small_jpeg_ls_lossless.dcm', /JPEG-LS Lossless .*no JPEG-LS decoder/],
    ['MR_small_jp2klossless.dcm', /JPEG 2000 Lossless .*no JPEG 2000 decoder/],
    ['JPEG2000.dcm', /JPEG 2000 .*no JPEG 2000 decoder/],
    ['SC_rgb_jpeg_dcmtk.dcm', /JPEG Baseline .*no lossy JPEG decoder/],
  ])('reports %s as undecodable, naming the transfer syntax', (name, reason) => {
    const inst = parseInstance(readFileSync(join(dir, name)));
    let err: unknown;
    try {
      decodeFrame(inst);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DicomError);
    expect((err as DicomError).code).toBe('undecodable');
    expect((err as Error).message).toMatch(reason);
  });
});
