import { writeCtSeries } from './ct-series-writer';
import { parseInstance } from './dicom-instance';
import { el, writePart10 } from './dicom-writer';
import { seriesToVolume } from './series-to-volume';

/** A small synthetic CT volume with a known value at every voxel. */
function volume(nz = 6) {
  const dims: [number, number, number] = [8, 6, nz];
  const hu = new Int16Array(8 * 6 * nz);
  for (let k = 0; k < nz; k++) for (let j = 0; j < 6; j++) for (let i = 0; i < 8; i++) hu[i + 8 * (j + 6 * k)] = -1000 + 100 * k + 10 * j + i;
  return { dims, spacing: [0.7, 0.8, 2.5] as [number, number, number], origin: [-10, -20, 30] as [number, number, number], rowDir: [1, 0, 0] as [number, number, number], colDir: [0, 1, 0] as [number, number, number], sliceDir: [0, 0, 1] as [number, number, number], hu };
}

const id = { patientId: 'P', patientName: 'Test^Patient', studyInstanceUid: '1.2.3', seriesInstanceUid: '1.2.3.4', studyDate: '20260101' };

describe('seriesToVolume', () => {
  it('rebuilds the written volume from shuffled slices (sorted by position, not by file order)', () => {
    const v = volume();
    const files = writeCtSeries(v, id);
    const shuffled = [3, 0, 5, 1, 4, 2].map((k) => parseInstance(files[k].bytes));
    const out = seriesToVolume(shuffled);
    expect(out.dims).toEqual([8, 6, 6]);
    expect(out.spacing[0]).toBeCloseTo(0.7);
    expect(out.spacing[1]).toBeCloseTo(0.8);
    expect(out.spacing[2]).toBeCloseTo(2.5);
    expect(out.origin).toEqual([-10, -20, 30]);
    expect(Array.from(out.hu)).toEqual(Array.from(v.hu));
    expect(out.geometry).toMatchObject({ uniformSpacing: true, gaps: [], tiltDeg: 0 });
  });

  it('sorts by position even when InstanceNumber says otherwise, and says so', () => {
    const files = writeCtSeries(volume(), id).map((f) => parseInstance(f.bytes));
    // swap instance numbers of two slices
    files[1].instanceNumber = 5;
    files[4].instanceNumber = 2;
    const out = seriesToVolume(files);
    expect(out.geometry.instanceNumberOrderDiffers).toBe(true);
    expect(out.hu[8 * 6 * 1]).toBe(-900);
  });

  it('reports a missing slice as a gap', () => {
    const files = writeCtSeries(volume(), id).map((f) => parseInstance(f.bytes));
    const out = seriesToVolume(files.filter((_, k) => k !== 3));
    expect(out.geometry.uniformSpacing).toBe(false);
    expect(out.geometry.gaps).toEqual([{ afterSlice: 2, stepMm: 5 }]);
    expect(out.geometry.warnings.join(' ')).toMatch(/not uniform/);
  });

  it('detects gantry tilt and keeps the sheared slice direction', () => {
    const v = volume();
    // each slice shifted 0.5 mm in y per 2.5 mm in z: atan(0.5 / 2.5) = 11.3 degrees
    const tilted = { ...v, sliceDir: [0, 0.5 / Math.hypot(0.5, 2.5), 2.5 / Math.hypot(0.5, 2.5)] as [number, number, number], spacing: [0.7, 0.8, Math.hypot(0.5, 2.5)] as [number, number, number] };
    const out = seriesToVolume(writeCtSeries(tilted, id).map((f) => parseInstance(f.bytes)));
    expect(out.geometry.tiltDeg).toBeCloseTo(11.31, 1);
    expect(out.sliceDir[1]).toBeCloseTo(0.196, 2);
    expect(out.geometry.warnings.join(' ')).toMatch(/gantry tilt/);
  });

  it('applies slope, intercept and pixel padding, signed pixels included', () => {
    const pixels = Int16Array.from([-2000, -1, 0, 100]);
    const mk = (z: number, uid: string) =>
      parseInstance(
        writePart10(
          [
            el(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.2'),
            el(0x00080018, 'UI', uid),
            el(0x0020000d, 'UI', '1.2'),
            el(0x0020000e, 'UI', '1.2.3'),
            el(0x00200032, 'DS', [0, 0, z]),
            el(0x00200037, 'DS', [1, 0, 0, 0, 1, 0]),
            el(0x00280002, 'US', 1),
            el(0x00280004, 'CS', 'MONOCHROME2'),
            el(0x00280010, 'US', 2),
            el(0x00280011, 'US', 2),
            el(0x00280030, 'DS', [1, 1]),
            el(0x00280100, 'US', 16),
            el(0x00280101, 'US', 16),
            el(0x00280102, 'US', 15),
            el(0x00280103, 'US', 1),
            el(0x00280120, 'SS', -2000),
            el(0x00281052, 'DS', -24),
            el(0x00281053, 'DS', 2),
            el(0x7fe00010, 'OW', pixels),
          ],
          '1.2.840.10008.5.1.4.1.1.2',
          uid,
        ),
      );
    const out = seriesToVolume([mk(0, '1.2.3.1'), mk(1, '1.2.3.2')]);
    expect(Array.from(out.hu.slice(0, 4))).toEqual([-1024, -26, -24, 176]);
  });

  it('refuses mixed orientations and missing positions with the slice named', () => {
    const files = writeCtSeries(volume(), id).map((f) => parseInstance(f.bytes));
    files[2].image!.imageOrientationPatient = [0, 1, 0, 0, 0, -1];
    expect(() => seriesToVolume(files)).toThrow(/different ImageOrientationPatient/);
  });
});
