import { Inject, Injectable } from '@nestjs/common';
import { attr, DicomJson, personName } from '@suite/dicom';
import { DATABASE, type Database, ValidationError } from '@suite/platform';

export interface QidoParams {
  [key: string]: string | undefined;
}

/**
 * QIDO-RS searches over the index. Matching follows PS3.4 C.2.2.2: exact values, `*` and `?`
 * wildcards for PatientID, and date ranges (`20250101-20251231`, `-20251231`, `20250101-`).
 */
@Injectable()
export class QidoService {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async studies(q: QidoParams, base: string): Promise<DicomJson[]> {
    const where: Record<string, unknown> = {};
    const pid = param(q, 'PatientID', '00100020');
    if (pid) where.patientId = wildcard(pid);
    const date = param(q, 'StudyDate', '00080020');
    if (date) where.studyDate = dateRange(date);
    const uid = param(q, 'StudyInstanceUID', '0020000D');
    if (uid) where.studyInstanceUid = { in: uid.split(',') };
    const acc = param(q, 'AccessionNumber', '00080050');
    if (acc) where.accessionNumber = wildcard(acc);
    const mods = param(q, 'ModalitiesInStudy', '00080061');
    if (mods) where.series = { some: { modality: { in: mods.split(/[,\\]/) } } };
    const { take, skip } = paging(q);
    const rows = await this.db.prisma.imagingStudy.findMany({
      where,
      include: { series: { select: { modality: true, _count: { select: { instances: true } } } } },
      orderBy: [{ studyDate: 'desc' }, { studyInstanceUid: 'asc' }],
      take,
      skip,
    });
    return rows.map((s) => ({
      '00080020': attr('DA', s.studyDate),
      '00080030': attr('TM', s.studyTime),
      '00080050': attr('SH', s.accessionNumber),
      '00080061': attr('CS', [...new Set(s.series.map((x) => x.modality).filter(Boolean))]),
      '00081030': attr('LO', s.description),
      '00081190': attr('UR', `${base}/studies/${s.studyInstanceUid}`),
      '00100010': personName(s.patientName),
      '00100020': attr('LO', s.patientId),
      '00100030': attr('DA', s.patientBirthDate),
      '00100040': attr('CS', s.patientSex),
      '0020000D': attr('UI', s.studyInstanceUid),
      '00200010': attr('SH', s.studyId),
      '00201206': attr('IS', s.series.length),
      '00201208': attr('IS', s.series.reduce((n, x) => n + x._count.instances, 0)),
    }));
  }

  async series(q: QidoParams, base: string, studyUid?: string): Promise<DicomJson[]> {
    const where: Record<string, unknown> = {};
    const study = studyUid ?? param(q, 'StudyInstanceUID', '0020000D');
    if (study) where.studyInstanceUid = study;
    const modality = param(q, 'Modality', '00080060');
    if (modality) where.modality = { in: modality.split(/[,\\]/) };
    const uid = param(q, 'SeriesInstanceUID', '0020000E');
    if (uid) where.seriesInstanceUid = { in: uid.split(',') };
    const pid = param(q, 'PatientID', '00100020');
    if (pid) where.study = { patientId: wildcard(pid) };
    const { take, skip } = paging(q);
    const rows = await this.db.prisma.imagingSeries.findMany({
      where,
      include: { _count: { select: { instances: true } }, study: true },
      orderBy: [{ seriesNumber: 'asc' }, { seriesInstanceUid: 'asc' }],
      take,
      skip,
    });
    return rows.map((s) => ({
      '00080060': attr('CS', s.modality),
      '0008103E': attr('LO', s.description),
      '00081190': attr('UR', `${base}/studies/${s.studyInstanceUid}/series/${s.seriesInstanceUid}`),
      '00100020': attr('LO', s.study.patientId),
      '0020000D': attr('UI', s.studyInstanceUid),
      '0020000E': attr('UI', s.seriesInstanceUid),
      '00200011': attr('IS', s.seriesNumber),
      '00201209': attr('IS', s._count.instances),
    }));
  }

  async instances(q: QidoParams, base: string, studyUid?: string, seriesUid?: string): Promise<DicomJson[]> {
    const where: Record<string, unknown> = {};
    const study = studyUid ?? param(q, 'StudyInstanceUID', '0020000D');
    if (study) where.studyInstanceUid = study;
    const series = seriesUid ?? param(q, 'SeriesInstanceUID', '0020000E');
    if (series) where.seriesInstanceUid = series;
    const sop = param(q, 'SOPInstanceUID', '00080018');
    if (sop) where.sopInstanceUid = { in: sop.split(',') };
    const { take, skip } = paging(q);
    const rows = await this.db.prisma.imagingInstance.findMany({ where, orderBy: [{ instanceNumber: 'asc' }, { sopInstanceUid: 'asc' }], take, skip });
    return rows.map((i) => ({
      '00080016': attr('UI', i.sopClassUid),
      '00080018': attr('UI', i.sopInstanceUid),
      '00081190': attr('UR', `${base}/studies/${i.studyInstanceUid}/series/${i.seriesInstanceUid}/instances/${i.sopInstanceUid}`),
      '0020000D': attr('UI', i.studyInstanceUid),
      '0020000E': attr('UI', i.seriesInstanceUid),
      '00200013': attr('IS', i.instanceNumber),
      '00280008': attr('IS', i.numberOfFrames),
      '00280010': attr('US', i.rows),
      '00280011': attr('US', i.columns),
      '00083002': attr('UI', i.transferSyntaxUid),
    }));
  }
}

/** A QIDO attribute by keyword or tag. */
function param(q: QidoParams, keyword: string, tag: string): string | undefined {
  const v = q[keyword] ?? q[tag] ?? q[tag.toLowerCase()];
  return v === undefined || v === '' ? undefined : String(v);
}

function wildcard(v: string): unknown {
  if (!/[*?]/.test(v)) return v;
  if (/^[^*?]*\*$/.test(v)) return { startsWith: v.slice(0, -1) };
  throw new ValidationError(`only a trailing * wildcard is supported in matching values, got ${v}`);
}

function dateRange(v: string): unknown {
  if (!/^(\d{8})?-?(\d{8})?$/.test(v) || v === '-') throw new ValidationError(`StudyDate must be YYYYMMDD or a range YYYYMMDD-YYYYMMDD, got ${v}`);
  if (!v.includes('-')) return v;
  const [from, to] = v.split('-');
  return { ...(from ? { gte: from } : {}), ...(to ? { lte: to } : {}) };
}

function paging(q: QidoParams): { take: number; skip: number } {
  const take = Math.min(1000, Math.max(1, Number(q.limit ?? 100) || 100));
  const skip = Math.max(0, Number(q.offset ?? 0) || 0);
  return { take, skip };
}
