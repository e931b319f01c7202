import { Inject, Injectable } from '@nestjs/common';
import { DicomInstance, DicomVolume, parseInstance, seriesToVolume } from '@suite/dicom';
import { DATABASE, type Database, NotFoundError, UnprocessableError } from '@suite/platform';
import { INSTANCE_STORE, type InstanceStore } from './instance-store';

export interface LoadedSeries {
  volume: DicomVolume;
  instances: DicomInstance[];
  /** seconds spent reading and parsing files, and assembling the volume */
  parseSeconds: number;
  volumeSeconds: number;
}

/**
 * Reads stored studies back: instance lists, and CT series as volumes. The last few volumes stay in
 * memory, because nodule images re-sample the volume on every request.
 */
@Injectable()
export class StudyFiles {
  private readonly cache = new Map<string, Promise<LoadedSeries>>();
  private readonly cacheSize = Number(process.env.IMAGING_VOLUME_CACHE ?? 2);

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(INSTANCE_STORE) private readonly store: InstanceStore,
  ) {}

  async instanceUids(where: { studyInstanceUid: string; seriesInstanceUid?: string; sopInstanceUid?: string }): Promise<string[]> {
    const rows = await this.db.prisma.imagingInstance.findMany({ where, select: { sopInstanceUid: true }, orderBy: [{ seriesInstanceUid: 'asc' }, { instanceNumber: 'asc' }] });
    return rows.map((r) => r.sopInstanceUid);
  }

  /** The CT series of a study to analyse: the one named, else the decodable CT series with most slices. */
  async pickCtSeries(studyInstanceUid: string, seriesInstanceUid?: string): Promise<string> {
    const series = await this.db.prisma.imagingSeries.findMany({
      where: { studyInstanceUid, ...(seriesInstanceUid ? { seriesInstanceUid } : {}) },
      include: { instances: { select: { decodable: true, rows: true } } },
    });
    if (!series.length) throw new NotFoundError(seriesInstanceUid ? `no series ${seriesInstanceUid} in study ${studyInstanceUid}` : `no study ${studyInstanceUid}`);
    const usable = series
      .filter((s) => (s.modality ?? 'CT') === 'CT')
      .map((s) => ({ uid: s.seriesInstanceUid, n: s.instances.filter((i) => i.decodable && i.rows).length, undecodable: s.instances.filter((i) => !i.decodable).length }))
      .sort((a, b) => b.n - a.n);
    if (!usable.length) throw new UnprocessableError(`study ${studyInstanceUid} has no CT series`);
    if (usable[0].n < 3) {
      throw new UnprocessableError(
        `the CT series has ${usable[0].n} decodable slice(s)${usable[0].undecodable ? ` (${usable[0].undecodable} in a transfer syntax this service cannot decode)` : ''}; a volume needs at least 3`,
      );
    }
    return usable[0].uid;
  }

  loadSeries(seriesInstanceUid: string): Promise<LoadedSeries> {
    const hit = this.cache.get(seriesInstanceUid);
    if (hit) {
      this.cache.delete(seriesInstanceUid);
      this.cache.set(seriesInstanceUid, hit);
      return hit;
    }
    const p = this.read(seriesInstanceUid);
    this.cache.set(seriesInstanceUid, p);
    p.catch(() => this.cache.delete(seriesInstanceUid));
    while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    return p;
  }

  private async read(seriesInstanceUid: string): Promise<LoadedSeries> {
    const rows = await this.db.prisma.imagingInstance.findMany({ where: { seriesInstanceUid, decodable: true } });
    let t = performance.now();
    const instances: DicomInstance[] = [];
    for (const r of rows) instances.push(parseInstance(await this.store.get(r.storageKey)));
    const parseSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const volume = seriesToVolume(instances);
    return { volume, instances, parseSeconds, volumeSeconds: (performance.now() - t) / 1000 };
  }
}
