import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildMultipartRelated, parseInstance, parseMultipartRelated, writeCtSeries } from '@suite/dicom';
import { generatePhantom } from '@suite/imaging';
import { bearer, freePort, reportFacts, serviceStorage, startService, stopAllServices, waitFor, type ServiceProcess, type ServiceStorage } from './service-process';

/**
 * A CT series sent by STOW-RS in several requests to the real imaging service, which is killed with
 * SIGKILL while one request is half ingested. After a restart on the same database and store: every
 * instance a STOW response reported stored is served, once, byte for byte; nothing of the cut request
 * is served half-written; re-sending the cut request stores each of its instances exactly once.
 */
jest.setTimeout(180_000);

const STUDY = '1.2.826.0.1.3680043.10.1417.77.1';
const SERIES = `${STUDY}.1`;
const SLICES = 96;
const PER_REQUEST = 16;

type DicomJson = Record<string, { Value?: unknown[] }>;

const sameBytes = (a: Buffer | undefined, b: Buffer | undefined) => !!a && !!b && Buffer.compare(a, b) === 0;

describe('STOW-RS upload killed mid-request', () => {
  let storage: ServiceStorage;
  let port: number;
  let env: NodeJS.ProcessEnv;
  let svc: ServiceProcess;
  let storeDir: string;

  beforeAll(async () => {
    storage = await serviceStorage('stow');
    port = await freePort();
    storeDir = join(storage.dataDir, 'instances');
    env = storage.env({ IMAGING_PORT: String(port), IMAGING_DEMO: 'off', IMAGING_STORE_DIR: storeDir });
  });

  afterAll(async () => {
    await stopAllServices();
    await storage?.destroy();
  });

  const phantom = generatePhantom({ seed: 77, matrix: 128, fovMm: 350, sliceThicknessMm: 2.5, slices: SLICES, noduleCount: 1 });
  const files = writeCtSeries(phantom.volume, { patientId: 'FAULT-77', patientName: 'Fault^Stow', studyInstanceUid: STUDY, seriesInstanceUid: SERIES, studyDate: '20260301' });
  const sent = new Map(files.map((f) => [f.sopInstanceUid, Buffer.from(f.bytes)]));
  const requests = Array.from({ length: SLICES / PER_REQUEST }, (_, r) => files.slice(r * PER_REQUEST, (r + 1) * PER_REQUEST));

  const stow = (batch: typeof files) => {
    const mp = buildMultipartRelated(
      batch.map((f) => ({ contentType: 'application/dicom', body: f.bytes })),
      'application/dicom',
    );
    return fetch(`${svc.url}/dicomweb/studies/${STUDY}`, { method: 'POST', headers: { ...bearer, 'Content-Type': mp.contentType, Accept: 'application/dicom+json' }, body: mp.body as unknown as BodyInit });
  };
  const storedUids = (json: DicomJson) => ((json['00081199']?.Value ?? []) as DicomJson[]).map((s) => String(s['00081155'].Value?.[0]));

  /** QIDO-RS: the SOP Instance UIDs the service lists for the series (duplicates kept). */
  const listed = async (): Promise<string[]> => {
    const res = await fetch(`${svc.url}/dicomweb/studies/${STUDY}/series/${SERIES}/instances?limit=1000`, { headers: bearer });
    if (res.status === 404) return [];
    const items = (await res.json()) as DicomJson[];
    return items.map((i) => String(i['00080018'].Value?.[0]));
  };

  /** WADO-RS: the series as the service serves it, SOP Instance UID -> bytes. */
  const retrieved = async (): Promise<{ uids: string[]; bytes: Map<string, Buffer> }> => {
    const res = await fetch(`${svc.url}/dicomweb/studies/${STUDY}/series/${SERIES}`, { headers: { ...bearer, Accept: 'multipart/related; type="application/dicom"' } });
    expect(res.status).toBe(200);
    const parts = parseMultipartRelated(Buffer.from(await res.arrayBuffer()), res.headers.get('content-type') ?? '');
    const uids = parts.map((p) => parseInstance(p.body).sopInstanceUid);
    return { uids, bytes: new Map(parts.map((p, i) => [uids[i], p.body])) };
  };

  /** Files in the store by suffix: `.tmp` are writes cut short, `.dcm` stored objects (indexed or not). */
  const filesOnDisk = (suffix: string): number => readdirSync(storeDir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && e.name.endsWith(suffix)).length;

  it('serves every acknowledged instance once and stores the cut request once when re-sent', async () => {
    svc = await startService('imaging', port, env);
    const acknowledged = new Set<string>();
    let cut: typeof files | undefined;
    let storedOfCutAtKill = 0;
    for (const [r, batch] of requests.entries()) {
      if (r < 2) {
        // the first requests go through untouched, so there is acknowledged data to lose
        const res = await stow(batch);
        expect(res.status).toBe(200);
        storedUids((await res.json()) as DicomJson).forEach((u) => acknowledged.add(u));
        continue;
      }
      // send, and watch QIDO: once part of this request is indexed but its answer has not come, kill
      let answered = false;
      const response = stow(batch).then(
        async (res) => {
          answered = true;
          return { status: res.status, uids: storedUids((await res.json()) as DicomJson) };
        },
        () => ({ status: 0, uids: [] as string[] }),
      );
      const killed = await waitFor(
        'the request to be answered or half ingested',
        async () => {
          if (answered) return false;
          const n = (await listed()).filter((u) => !acknowledged.has(u)).length;
          if (n > 0 && n < batch.length && !answered) {
            await svc.stop('SIGKILL');
            storedOfCutAtKill = n;
            return true;
          }
          return undefined;
        },
        60_000,
        10,
      );
      const answer = await response;
      if (killed && answer.status === 0) {
        cut = batch;
        break;
      }
      expect(answer.status).toBe(200);
      answer.uids.forEach((u) => acknowledged.add(u));
      if (killed) break; // the answer beat the kill: nothing was cut
    }
    if (!cut) throw new Error('no request was cut half way (every answer beat the kill)');
    const cutBatch = cut;
    expect(acknowledged.size).toBeGreaterThan(0);

    const leftoverTmp = filesOnDisk('.tmp');
    const dcmAtKill = filesOnDisk('.dcm');
    svc = await startService('imaging', port, env);
    const afterRestart = await listed();
    const served = await retrieved();
    const cutUids = new Set(cutBatch.map((f) => f.sopInstanceUid));
    const missing = [...acknowledged].filter((u) => !afterRestart.includes(u));
    const doubled = afterRestart.length - new Set(afterRestart).size;
    const corrupt = served.uids.filter((u) => !sameBytes(served.bytes.get(u), sent.get(u)));
    const cutServed = afterRestart.filter((u) => cutUids.has(u)).length;

    // the sender re-sends the request whose answer never came
    const resend = await stow(cutBatch);
    const resendStatus = resend.status;
    const resendUids = storedUids((await resend.json()) as DicomJson);
    const final = await listed();
    const finalServed = await retrieved();
    const finalCorrupt = finalServed.uids.filter((u) => !sameBytes(finalServed.bytes.get(u), sent.get(u)));

    reportFacts('stow-kill', {
      slices: SLICES,
      perRequest: PER_REQUEST,
      acknowledgedBeforeKill: acknowledged.size,
      cutRequestIndexedAtKill: storedOfCutAtKill,
      tmpFilesLeftByKill: leftoverTmp,
      // written before the kill but never indexed: not served, overwritten by a re-send
      unindexedFilesAtKill: dcmAtKill - afterRestart.length,
      listedAfterRestart: afterRestart.length,
      cutRequestServedAfterRestart: cutServed,
      missingAcknowledged: missing.length,
      duplicatesAfterRestart: doubled,
      corruptServedAfterRestart: corrupt.length,
      resendStatus,
      listedAfterResend: final.length,
      duplicatesAfterResend: final.length - new Set(final).size,
      corruptServedAfterResend: finalCorrupt.length,
    });
    expect(missing).toEqual([]);
    expect(doubled).toBe(0);
    expect(served.uids.sort()).toEqual([...afterRestart].sort()); // everything listed can be retrieved
    expect(corrupt).toEqual([]);
    // a cut request's instances are either fully stored or not listed at all
    expect(afterRestart.every((u) => acknowledged.has(u) || cutUids.has(u))).toBe(true);

    expect(resendStatus).toBe(200);
    expect(resendUids.sort()).toEqual([...cutUids].sort());
    expect(final.length).toBe(acknowledged.size + cutUids.size);
    expect(new Set(final).size).toBe(final.length);
    expect(finalCorrupt).toEqual([]);
    // and the rest of the series goes in as normal after the fault
    for (const batch of requests) {
      if (batch.every((f) => final.includes(f.sopInstanceUid))) continue;
      expect((await stow(batch)).status).toBe(200);
    }
    const complete = await listed();
    expect(complete.length).toBe(SLICES);
    expect(new Set(complete).size).toBe(SLICES);
    await svc.stop('SIGTERM');
  });
});
