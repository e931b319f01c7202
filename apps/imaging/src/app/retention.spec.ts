import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMultipartRelated, writeCtSeries } from '@suite/dicom';
import { generatePhantom } from '@suite/imaging';
import { RetentionService } from '@suite/platform';
import { createTestApp, type TestApp } from '@suite/platform/testing';
import { AppModule } from './app.module';

const DAY = 86_400_000;
const body = (b: Uint8Array): BodyInit => b as unknown as BodyInit;

describe('imaging retention: RETENTION_IMAGING_STUDIES_DAYS', () => {
  let t: TestApp;
  let url: string;
  let store: string;

  beforeAll(async () => {
    store = mkdtempSync(join(tmpdir(), 'imaging-retention-'));
    Object.assign(process.env, { IMAGING_DEMO: 'off', IMAGING_STORE_DIR: store, RETENTION_IMAGING_STUDIES_DAYS: '90' });
    t = await createTestApp(AppModule);
    url = await t.app.getUrl();
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    for (const k of ['IMAGING_DEMO', 'IMAGING_STORE_DIR', 'RETENTION_IMAGING_STUDIES_DAYS']) delete process.env[k];
  });

  async function stow(studyUid: string, patientId: string) {
    const phantom = generatePhantom({ seed: 5, matrix: 32, fovMm: 350, sliceThicknessMm: 5, slices: 3, nodules: [] });
    const files = writeCtSeries(phantom.volume, { patientId, patientName: 'Retention^Test', studyInstanceUid: studyUid, seriesInstanceUid: `${studyUid}.1`, studyDate: '20250101' });
    const mp = buildMultipartRelated(files.map((f) => ({ contentType: 'application/dicom', body: f.bytes })), 'application/dicom');
    const res = await fetch(`${url}/dicomweb/studies/${studyUid}`, { method: 'POST', headers: { ...(await t.bearer('integration')), 'Content-Type': mp.contentType }, body: body(mp.body) });
    expect(res.ok).toBe(true);
    return files.length;
  }

  it('deletes an expired study with its series, instances, DICOM files and analyses; keeps a recent one', async () => {
    const oldUid = '1.2.826.0.1.3680043.10.999.1';
    const newUid = '1.2.826.0.1.3680043.10.999.2';
    const slices = await stow(oldUid, 'RET-OLD');
    await stow(newUid, 'RET-NEW');
    const oldKeys = (await t.db.prisma.imagingInstance.findMany({ where: { studyInstanceUid: oldUid } })).map((i) => i.storageKey);
    expect(oldKeys).toHaveLength(slices);
    expect(oldKeys.every((k) => existsSync(join(store, k)))).toBe(true);
    // an analysis of the old study with one nodule (cascades from the analysis)
    const analysis = await t.db.prisma.imagingAnalysis.create({ data: { studyInstanceUid: oldUid, seriesInstanceUid: `${oldUid}.1`, status: 'done' } });
    await t.db.prisma.imagingNodule.create({
      data: {
        analysisId: analysis.id, studyInstanceUid: oldUid, seriesInstanceUid: `${oldUid}.1`, patientId: 'RET-OLD', index: 0, centerX: 0, centerY: 0, centerZ: 0, diameterMm: 6,
        longAxisMm: 6, shortAxisMm: 5, volumeMm3: 110, meanHu: 20, type: 'solid', lobe: 'RUL', juxtapleural: false, probability: 0.9, typeProbabilities: {}, lungRads: '3', radiusHintMm: 3,
      },
    });
    await t.db.prisma.imagingStudy.update({ where: { studyInstanceUid: oldUid }, data: { createdAt: new Date(Date.now() - 120 * DAY) } });

    const [sweep] = await t.app.get(RetentionService).sweep();
    expect(sweep).toMatchObject({ policy: 'imaging.studies', deleted: 1, children: { ImagingAnalysis: 1 }, outside: { files: slices } });

    expect(await t.db.prisma.imagingStudy.findUnique({ where: { studyInstanceUid: oldUid } })).toBeNull();
    expect(await t.db.prisma.imagingSeries.count({ where: { studyInstanceUid: oldUid } })).toBe(0);
    expect(await t.db.prisma.imagingInstance.count({ where: { studyInstanceUid: oldUid } })).toBe(0);
    expect(await t.db.prisma.imagingNodule.count({ where: { studyInstanceUid: oldUid } })).toBe(0);
    expect(oldKeys.some((k) => existsSync(join(store, k)))).toBe(false);
    expect(existsSync(join(store, oldUid))).toBe(false); // emptied folders go too
    // the recent study is untouched, files included
    expect(readdirSync(store)).toEqual([newUid]);
    const recent = await t.db.prisma.imagingInstance.findMany({ where: { studyInstanceUid: newUid } });
    expect(recent.length).toBe(slices);
    expect(recent.every((i) => existsSync(join(store, i.storageKey)))).toBe(true);
    const qido = await fetch(`${url}/dicomweb/studies?PatientID=RET-OLD`, { headers: await t.bearer('admin') });
    expect(qido.status === 204 || ((await qido.json()) as unknown[]).length === 0).toBe(true);
  });
});
