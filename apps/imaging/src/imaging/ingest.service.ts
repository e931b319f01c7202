import { Inject, Injectable, Logger } from '@nestjs/common';
import { decodeFrame, DicomError, DicomInstance, parseInstance } from '@suite/dicom';
import { DATABASE, type Database } from '@suite/platform';
import { createHash } from 'node:crypto';
import { INSTANCE_STORE, type InstanceStore, storageKey } from './instance-store';

export interface StoredInstance {
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  /** stored now, or already there from an earlier send (idempotent) */
  outcome: 'stored' | 'already-stored';
  /** e.g. pixel data in a syntax this service cannot decode */
  warning?: string;
}

/** STOW failure reasons (PS3.18 / PS3.4 status codes) */
export const FailureReason = {
  cannotUnderstand: 0xc000,
  dataSetDoesNotMatchSopClass: 0xa900,
  processingFailure: 0x0110,
  studyUidMismatch: 0xa900,
} as const;

export class IngestFailure extends Error {
  constructor(
    readonly reason: number,
    message: string,
    readonly sopClassUid?: string,
    readonly sopInstanceUid?: string,
  ) {
    super(message);
  }
}

/**
 * Receives DICOM objects: parse, write the file, then index it in one transaction. A caller is told
 * "stored" only after both the file and the index row are committed; re-sending the same SOP
 * Instance UID answers "already-stored" and changes nothing.
 */
@Injectable()
export class IngestService {
  private readonly log = new Logger('imaging-ingest');

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(INSTANCE_STORE) private readonly store: InstanceStore,
  ) {}

  async ingest(bytes: Uint8Array, opts: { expectStudyUid?: string } = {}): Promise<StoredInstance> {
    let inst: DicomInstance;
    try {
      inst = parseInstance(bytes);
    } catch (e) {
      if (e instanceof DicomError) throw new IngestFailure(e.code === 'missing-attribute' ? FailureReason.dataSetDoesNotMatchSopClass : FailureReason.cannotUnderstand, e.message);
      throw new IngestFailure(FailureReason.processingFailure, `cannot read the object: ${(e as Error).message}`);
    }
    const ids = { sopClassUid: inst.sopClassUid, sopInstanceUid: inst.sopInstanceUid, studyInstanceUid: inst.studyInstanceUid, seriesInstanceUid: inst.seriesInstanceUid };
    if (opts.expectStudyUid && opts.expectStudyUid !== inst.studyInstanceUid) {
      throw new IngestFailure(FailureReason.studyUidMismatch, `the object belongs to study ${inst.studyInstanceUid}, not ${opts.expectStudyUid} named in the URL`, inst.sopClassUid, inst.sopInstanceUid);
    }
    let key: string;
    try {
      key = storageKey(inst.studyInstanceUid, inst.seriesInstanceUid, inst.sopInstanceUid);
    } catch (e) {
      throw new IngestFailure(FailureReason.cannotUnderstand, (e as Error).message, inst.sopClassUid, inst.sopInstanceUid);
    }
    const existing = await this.db.prisma.imagingInstance.findUnique({ where: { sopInstanceUid: inst.sopInstanceUid } });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (existing) {
      const warning = existing.sha256 === sha256 ? undefined : 'an object with this SOP Instance UID is already stored with different content; the first one is kept';
      return { ...ids, outcome: 'already-stored', warning };
    }
    const { decodable, reason } = probePixels(inst);
    await this.store.put(key, bytes);
    const prisma = this.db.prisma;
    await prisma.$transaction(async (tx) => {
      await tx.imagingStudy.upsert({
        where: { studyInstanceUid: inst.studyInstanceUid },
        create: {
          studyInstanceUid: inst.studyInstanceUid,
          patientId: inst.patientId,
          patientName: inst.patientName,
          patientBirthDate: inst.patientBirthDate,
          patientSex: inst.patientSex,
          studyDate: inst.studyDate,
          studyTime: inst.studyTime,
          accessionNumber: inst.accessionNumber,
          studyId: inst.studyId,
          description: inst.studyDescription,
        },
        update: {},
      });
      await tx.imagingSeries.upsert({
        where: { seriesInstanceUid: inst.seriesInstanceUid },
        create: {
          seriesInstanceUid: inst.seriesInstanceUid,
          studyInstanceUid: inst.studyInstanceUid,
          modality: inst.modality,
          seriesNumber: inst.seriesNumber,
          description: inst.seriesDescription,
        },
        update: {},
      });
      await tx.imagingInstance.upsert({
        where: { sopInstanceUid: inst.sopInstanceUid },
        create: {
          sopInstanceUid: inst.sopInstanceUid,
          seriesInstanceUid: inst.seriesInstanceUid,
          studyInstanceUid: inst.studyInstanceUid,
          sopClassUid: inst.sopClassUid,
          transferSyntaxUid: inst.transferSyntax.uid,
          instanceNumber: inst.instanceNumber,
          rows: inst.image?.rows,
          columns: inst.image?.columns,
          numberOfFrames: inst.image?.numberOfFrames ?? 1,
          storageKey: key,
          sizeBytes: bytes.length,
          sha256,
          decodable,
          undecodableReason: reason,
        },
        update: {},
      });
    });
    if (!decodable && inst.image?.hasPixelData) this.log.warn(`stored ${inst.sopInstanceUid} with undecodable pixels: ${reason}`);
    return { ...ids, outcome: 'stored', warning: decodable || !inst.image?.hasPixelData ? undefined : `stored, but pixel data cannot be decoded here: ${reason}` };
  }

  async read(sopInstanceUid: string): Promise<{ bytes: Buffer; row: { studyInstanceUid: string; seriesInstanceUid: string; sopClassUid: string; transferSyntaxUid: string } } | null> {
    const row = await this.db.prisma.imagingInstance.findUnique({ where: { sopInstanceUid } });
    if (!row) return null;
    return { bytes: await this.store.get(row.storageKey), row };
  }
}

/** Try to decode the first frame, so the index says up front whether the pixels are usable. */
function probePixels(inst: DicomInstance): { decodable: boolean; reason?: string } {
  if (!inst.image?.hasPixelData) return { decodable: false, reason: 'no pixel data' };
  try {
    decodeFrame(inst, 0);
    return { decodable: true };
  } catch (e) {
    return { decodable: false, reason: (e as Error).message };
  }
}
