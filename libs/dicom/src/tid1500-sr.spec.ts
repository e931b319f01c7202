import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseInstance } from './dicom-instance';
import { COMPREHENSIVE_3D_SR_STORAGE, writeMeasurementReport } from './tid1500-sr';

const input = {
  patientId: 'P-7',
  patientName: 'Doe^Jane',
  studyInstanceUid: '1.2.826.0.1.3680043.10.1417.7',
  studyDate: '20260101',
  frameOfReferenceUid: '1.2.826.0.1.3680043.10.1417.8',
  referencedSeriesUid: '1.2.826.0.1.3680043.10.1417.9',
  referencedInstances: [{ sopClassUid: '1.2.840.10008.5.1.4.1.1.2', sopInstanceUid: '1.2.826.0.1.3680043.10.1417.9.1' }],
  analysisId: 'analysis-1',
  findings: [
    { trackingId: 'Nodule 1', centerMm: [-50.5, 10.25, 120] as [number, number, number], longAxisMm: 9.4, shortAxisMm: 7.1, diameterMm: 8.3, volumeMm3: 290, meanHu: 22, lobe: 'RUL', comment: 'type solid; Lung-RADS 4A' },
    { trackingId: 'Nodule 2', centerMm: [60, -5, 90] as [number, number, number], longAxisMm: 14, shortAxisMm: 12, diameterMm: 13, volumeMm3: 1100, meanHu: -420, lobe: 'LLL', comment: 'type part-solid; Lung-RADS 4A' },
  ],
};

/** dcmtk's dsrdump must be installed (Debian package dcmtk); the test fails, not skips, without it. */
function dsrdump(file: string): { stdout: string; stderr: string } {
  const r = spawnSync('dsrdump', [file], { encoding: 'utf8' });
  if (r.error && (r.error as { code?: string }).code === 'ENOENT') throw new Error('dsrdump not found: install the Debian package dcmtk (apt-get install -y dcmtk)');
  if (r.status !== 0) throw new Error(`dsrdump rejected the SR (exit ${r.status}): ${r.stderr}${r.stdout}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

describe('TID 1500 measurement report', () => {
  const sr = writeMeasurementReport(input);
  const dir = mkdtempSync(join(tmpdir(), 'sr-'));
  const file = join(dir, 'sr.dcm');
  writeFileSync(file, sr.bytes);

  it('is read by dcmtk dsrdump with every measurement and location, without warnings', () => {
    const { stdout: out, stderr } = dsrdump(file);
    expect(stderr).toBe('');
    expect(out).toMatch(/Comprehensive 3D SR Document/);
    expect(out).toMatch(/Imaging Measurement Report/);
    expect(out).toMatch(/"Long Axis"\)="9.4" \(mm,UCUM/);
    expect(out).toMatch(/"Volume"\)="1100" \(mm3,UCUM/);
    expect(out).toMatch(/Finding Site"\)=\(90572001|Finding Site"\)=\(41224006,SCT,"Lower lobe of left lung"\)/);
    expect(out).toMatch(/SCOORD3D.*POINT.*-50.5\/10.25\/120/);
    expect(out).not.toMatch(/^(W|E):/m);
  });

  it('parses back as a Comprehensive 3D SR of the right study, with deterministic UIDs', () => {
    const inst = parseInstance(sr.bytes);
    expect(inst.sopClassUid).toBe(COMPREHENSIVE_3D_SR_STORAGE);
    expect(inst.studyInstanceUid).toBe(input.studyInstanceUid);
    expect(inst.modality).toBe('SR');
    expect(writeMeasurementReport(input).sopInstanceUid).toBe(sr.sopInstanceUid);
  });
});
