import type { RetentionPolicy } from '@suite/platform';

/**
 * Studies by the date they were received, with everything derived from them: series and instances
 * (foreign keys cascade), analyses (nodules cascade from them) and the stored DICOM files.
 * Files are removed after the rows are committed: a crash in between leaves unreachable files for
 * the next sweep's operator to see in the logs, never rows pointing at missing files.
 * @param removeStoredFiles - deletes stored objects by storage key; returns how many it removed.
 */
export function imagingStudyRetention(removeStoredFiles: (storageKeys: string[]) => Promise<number>): RetentionPolicy<string[]> {
  return {
    name: 'imaging.studies',
    description: 'studies with their series, instances, stored DICOM files, analyses and nodules, counted from receipt',
    periodVariable: 'RETENTION_IMAGING_STUDIES_DAYS',
    table: 'ImagingStudy',
    key: 'studyInstanceUid',
    timestampColumn: 'createdAt',
    children: [{ table: 'ImagingAnalysis', column: 'studyInstanceUid' }],
    cascades: ['ImagingSeries', 'ImagingInstance', 'ImagingNodule'],
    beforeDelete: async (tx, studyUids) =>
      (await tx.imagingInstance.findMany({ where: { studyInstanceUid: { in: studyUids } }, select: { storageKey: true } })).map((r) => r.storageKey),
    afterCommit: async (storageKeys) => ({ files: await removeStoredFiles(storageKeys) }),
  };
}
