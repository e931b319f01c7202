import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMultipartRelated, parseInstance, parseMultipartRelated, writeCtSeries } from '@suite/dicom';
import { generatePhantom } from '@suite/imaging';
import { createTestApp, type TestApp } from '@suite/platform/testing';
import { AppModule } from '../../apps/imaging/src/app/app.module';

/**
 * The imaging service over real HTTP with real files: pydicom's test files (Debian python3-pydicom),
 * a generated CT series sent by STOW-RS, analysis through the `nodule` model, the SR checked by
 * dcmtk's dsrdump (Debian dcmtk), and a pull from a second instance over DICOMweb.
 */
const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const file = (name: string) => {
  try {
    return readFileSync(join(PYDICOM, name));
  } catch {
    throw new Error(`${PYDICOM}/${name} is missing: install the Debian package python3-pydicom`);
  }
};

/** fetch's BodyInit typing does not take Node Buffers directly */
const body = (b: Uint8Array | string): BodyInit => b as unknown as BodyInit;

let a: TestApp;
let url: string;
let auth: { Authorization: string };

async function waitForJob(base: string, headers: Record<string, string>, id: string) {
  for (let i = 0; i < 600; i++) {
    let job: { status: string; error?: string; result?: unknown };
    try {
      job = (await (await fetch(`${base}/api/jobs/${id}`, { headers })).json()) as typeof job;
    } catch (e) {
      // under jest the in-process server can stall for seconds during analysis (see the report);
      // a reset keep-alive connection is retried, a real failure shows up as a failed job
      if (!/fetch failed/.test(String((e as Error)?.message))) throw e; // TypeError of another realm: no instanceof
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`job ${id} did not finish`);
}

beforeAll(async () => {
  process.env.IMAGING_DEMO = 'off';
  process.env.IMAGING_STORE_DIR = mkdtempSync(join(tmpdir(), 'imaging-store-'));
  a = await createTestApp(AppModule);
  url = await a.app.getUrl();
  auth = await a.bearer('integration');
});

afterAll(async () => {
  await a?.close();
});

describe('ingest', () => {
  it('stores a real CT slice once: 201, then 200 on a re-send', async () => {
    const post = () => fetch(`${url}/api/instances`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/dicom' }, body: body(file('CT_small.dcm')) });
    const first = await post();
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ outcome: 'stored', sopInstanceUid: '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322' });
    const again = await post();
    expect(again.status).toBe(200);
    expect((await again.json()).outcome).toBe('already-stored');
  });

  it('answers garbage, truncated and empty bodies with a clear 4xx and stays up', async () => {
    const send = (b: Uint8Array | string) => fetch(`${url}/api/instances`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/dicom' }, body: body(b) });
    const garbage = await send('x'.repeat(400));
    expect(garbage.status).toBe(422);
    expect((await garbage.json()).detail).toMatch(/not a DICOM/);
    const truncated = await send(file('MR_truncated.dcm'));
    expect(truncated.status).toBe(422);
    expect((await truncated.json()).detail).toMatch(/truncated or malformed/);
    const cut = await send(file('CT_small.dcm').subarray(0, 3000));
    expect(cut.status).toBe(422);
    const empty = await fetch(`${url}/api/instances`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/dicom' } });
    expect(empty.status).toBe(400);
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it('STOW-RS: stores what it can, stores undecodable syntaxes with a warning, fails garbage with a reason', async () => {
    const mp = buildMultipartRelated(
      [
        { contentType: 'application/dicom', body: file('MR_small_RLE.dcm') },
        { contentType: 'application/dicom', body: file('JPEG2000.dcm') },
        { contentType: 'application/dicom', body: Buffer.from('not dicom at all '.repeat(20)) },
      ],
      'application/dicom',
    );
    const res = await fetch(`${url}/dicomweb/studies`, { method: 'POST', headers: { ...auth, 'Content-Type': mp.contentType, Accept: 'application/dicom+json' }, body: body(mp.body) });
    expect(res.status).toBe(202);
    expect(res.headers.get('content-type')).toMatch(/application\/dicom\+json/);
    const json = await res.json();
    const stored = json['00081199'].Value as Record<string, { Value?: unknown[] }>[];
    const failed = json['00081198'].Value as Record<string, { Value?: unknown[] }>[];
    expect(stored).toHaveLength(2);
    const j2k = stored.find((s) => s['00081196']);
    expect(j2k?.['00081196'].Value).toEqual([0xb000]);
    expect(String(j2k?.['00000902'].Value?.[0])).toMatch(/JPEG 2000/);
    expect(failed).toHaveLength(1);
    expect(failed[0]['00081197'].Value).toEqual([0xc000]);
  });

  it('refuses STOW without multipart/related (415)', async () => {
    const res = await fetch(`${url}/dicomweb/studies`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/dicom' }, body: body(file('CT_small.dcm')) });
    expect(res.status).toBe(415);
  });
});

describe('QIDO-RS and WADO-RS', () => {
  it('finds studies by PatientID, StudyDate range and modality', async () => {
    const ct = parseInstance(file('CT_small.dcm'));
    const q = async (qs: string) => (await (await fetch(`${url}/dicomweb/studies?${qs}`, { headers: auth })).json()) as Record<string, { Value?: unknown[] }>[];
    const byPatient = await q(`PatientID=${encodeURIComponent(ct.patientId)}`);
    expect(byPatient.map((s) => s['0020000D'].Value?.[0])).toContain(ct.studyInstanceUid);
    expect(byPatient[0]['00080061'].Value).toEqual(['CT']);
    const inRange = await q(`StudyDate=${ct.studyDate}-${ct.studyDate}&ModalitiesInStudy=CT`);
    expect(inRange.map((s) => s['0020000D'].Value?.[0])).toContain(ct.studyInstanceUid);
    expect(await q('ModalitiesInStudy=XA')).toEqual([]);
    const bad = await fetch(`${url}/dicomweb/studies?StudyDate=yesterday`, { headers: auth });
    expect(bad.status).toBe(400);
  });

  it('retrieves the instance byte for byte and renders a frame with a window', async () => {
    const ct = parseInstance(file('CT_small.dcm'));
    const base = `${url}/dicomweb/studies/${ct.studyInstanceUid}/series/${ct.seriesInstanceUid}/instances/${ct.sopInstanceUid}`;
    const res = await fetch(base, { headers: { ...auth, Accept: 'multipart/related; type="application/dicom"' } });
    expect(res.status).toBe(200);
    const parts = parseMultipartRelated(Buffer.from(await res.arrayBuffer()), res.headers.get('content-type') ?? '');
    expect(parts).toHaveLength(1);
    expect(Buffer.compare(parts[0].body, file('CT_small.dcm'))).toBe(0);
    const png = await fetch(`${base}/frames/1/rendered?window=40,400`, { headers: { ...auth, Accept: 'image/png' } });
    expect(png.status).toBe(200);
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(bytes.readUInt32BE(16)).toBe(128);
    const instances = await (await fetch(`${url}/dicomweb/studies/${ct.studyInstanceUid}/instances`, { headers: auth })).json();
    expect(instances).toHaveLength(1);
  });
});

describe('a CT study from STOW to nodules, SR, pictures and questions', () => {
  const phantom = generatePhantom({
    seed: 31,
    matrix: 192,
    fovMm: 350,
    sliceThicknessMm: 2.5,
    slices: 112,
    nodules: [
      { type: 'solid', diameterMm: 11, site: 'isolated' },
      { type: 'part-solid', diameterMm: 16, site: 'isolated', solidFraction: 0.5 },
    ],
  });
  const studyUid = '1.2.826.0.1.3680043.10.1417.31.1';
  const files = writeCtSeries(phantom.volume, { patientId: 'E2E-31', patientName: 'Phantom^E2E', studyInstanceUid: studyUid, seriesInstanceUid: `${studyUid}.1`, studyDate: '20260301' });
  let nodules: { id: string; centerMm: number[]; diameterMm: number; type: string; lobe: string; lungRads: string }[] = [];

  it('takes the series by STOW-RS (slices sent in shuffled order)', async () => {
    const order = files.map((_, k) => k).sort((x, y) => ((x * 37) % files.length) - ((y * 37) % files.length));
    const mp = buildMultipartRelated(order.map((k) => ({ contentType: 'application/dicom', body: files[k].bytes })), 'application/dicom');
    const res = await fetch(`${url}/dicomweb/studies/${studyUid}`, { method: 'POST', headers: { ...auth, 'Content-Type': mp.contentType }, body: body(mp.body) });
    expect(res.status).toBe(200);
    expect((await res.json())['00081199'].Value).toHaveLength(files.length);
  });

  it('analyses in the background and finds the nodules in patient coordinates', async () => {
    const clinician = await a.bearer('clinician');
    const res = await fetch(`${url}/api/studies/${studyUid}/analyze`, { method: 'POST', headers: { ...clinician, 'Content-Type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(202);
    const { jobId } = await res.json();
    const job = await waitForJob(url, clinician, jobId);
    expect({ status: job.status, error: job.error ?? null }).toEqual({ status: 'done', error: null });
    nodules = await (await fetch(`${url}/api/studies/${studyUid}/nodules`, { headers: clinician })).json();
    for (const truth of phantom.nodules) {
      const found = nodules.find((n) => Math.hypot(n.centerMm[0] - truth.centerMm[0], n.centerMm[1] - truth.centerMm[1], n.centerMm[2] - truth.centerMm[2]) < Math.max(4, truth.diameterMm / 2));
      expect({ truth: truth.type, found: !!found }).toEqual({ truth: truth.type, found: true });
      expect(Math.abs(found!.diameterMm - truth.diameterMm)).toBeLessThan(3.5);
      // the lobe comes from a geometric fissure model on the segmented lungs: the side must be right,
      // the lobe may differ near a fissure (see README)
      expect(found!.lobe[0]).toBe(truth.lobe[0]);
    }
    const solid = nodules.find((n) => Math.hypot(n.centerMm[0] - phantom.nodules[0].centerMm[0], n.centerMm[1] - phantom.nodules[0].centerMm[1], n.centerMm[2] - phantom.nodules[0].centerMm[2]) < 5)!;
    expect(solid.type).toBe('solid');
    expect(solid.lungRads).toBe('4A');
  });

  it('exports a TID 1500 SR that dcmtk reads', async () => {
    const res = await fetch(`${url}/api/studies/${studyUid}/sr`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/dicom/);
    const dir = mkdtempSync(join(tmpdir(), 'sr-e2e-'));
    writeFileSync(join(dir, 'sr.dcm'), Buffer.from(await res.arrayBuffer()));
    const r = spawnSync('dsrdump', [join(dir, 'sr.dcm')], { encoding: 'utf8' });
    if ((r.error as { code?: string } | undefined)?.code === 'ENOENT') throw new Error('dsrdump not found: install the Debian package dcmtk');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Imaging Measurement Report/);
    expect(r.stdout.match(/Measurement Group/g)?.length).toBe(nodules.length);
  });

  it('draws each nodule and the study', async () => {
    const png = await fetch(`${url}${'/api/nodules/'}${nodules[0].id}/image.png`, { headers: auth });
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(bytes.readUInt32BE(16)).toBe(3 * 192 + 4); // three planes side by side
    const study = await fetch(`${url}/api/studies/${studyUid}/image.png`, { headers: auth });
    expect(study.status).toBe(200);
  });

  it('answers a question in words with the parsed filter and reports unknown words', async () => {
    const ask = async (text: string) =>
      (await (await fetch(`${url}/api/query`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ text }) })).json()) as {
        count: number;
        nodules: { type: string; diameterMm: number; patientId: string }[];
        understood: string[];
        unknownWords: string[];
      };
    const r = await ask('solid nodules larger than 6 mm for patient E2E-31');
    expect(r.understood).toEqual(['type: solid', 'mean diameter > 6 mm', 'patient: E2E-31']);
    expect(r.count).toBeGreaterThanOrEqual(1);
    expect(r.nodules.every((n) => n.type === 'solid' && n.diameterMm > 6 && n.patientId === 'E2E-31')).toBe(true);
    const odd = await ask('spiculated nodules near the hilum');
    expect(odd.unknownWords).toEqual(['spiculated', 'near', 'hilum']);
    const empty = await fetch(`${url}/api/query`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{}' });
    expect(empty.status).toBe(400);
  });

  it('a second instance pulls the study over DICOMweb (WADO-RS), idempotently', async () => {
    process.env.IMAGING_STORE_DIR = mkdtempSync(join(tmpdir(), 'imaging-store-b-'));
    const b = await createTestApp(AppModule);
    try {
      const bUrl = await b.app.getUrl();
      const bAuth = await b.bearer('integration');
      const pull = async () => {
        const res = await fetch(`${bUrl}/api/pull`, {
          method: 'POST',
          headers: { ...bAuth, 'Content-Type': 'application/json' },
          body: JSON.stringify({ url: `${url}/dicomweb`, studyInstanceUid: studyUid, authorization: auth.Authorization }),
        });
        expect(res.status).toBe(202);
        return waitForJob(bUrl, bAuth, (await res.json()).jobId);
      };
      const first = await pull();
      expect(first.result).toMatchObject({ received: files.length, stored: files.length, alreadyStored: 0, failed: [] });
      const second = await pull();
      expect(second.result).toMatchObject({ stored: 0, alreadyStored: files.length });
      const series = await (await fetch(`${bUrl}/dicomweb/studies/${studyUid}/series`, { headers: bAuth })).json();
      expect(series[0]['00201209'].Value).toEqual([files.length]);
      const bad = await fetch(`${bUrl}/api/pull`, { method: 'POST', headers: { ...bAuth, 'Content-Type': 'application/json' }, body: JSON.stringify({ url: 'ftp://x', studyInstanceUid: studyUid }) });
      expect(bad.status).toBe(400);
    } finally {
      await b.close();
    }
  });
});
