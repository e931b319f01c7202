import type { RetentionPolicy } from '@suite/platform';

/**
 * PHI kept by the EMR service, each with its own period (unset = kept forever). The audit log
 * (who read which note) is not among them: it is never deleted by retention.
 */
export const emrRetentionPolicies: RetentionPolicy[] = [
  {
    name: 'emr.notes',
    description: 'clinical notes with their extraction results, the HL7 messages that carried them and their outbound results',
    periodVariable: 'RETENTION_EMR_NOTES_DAYS',
    table: 'EmrNote',
    key: 'id',
    timestampColumn: 'createdAt',
    children: [
      { table: 'EmrMessage', column: 'noteId' },
      { table: 'EmrOutbound', column: 'noteId' },
      { table: 'EmrDeadLetter', column: 'noteId' },
    ],
  },
  {
    name: 'emr.messages',
    description: 'every HL7 v2 message received (raw text and the ACK sent), including ADT and rejected ones',
    periodVariable: 'RETENTION_EMR_MESSAGES_DAYS',
    table: 'EmrMessage',
    key: 'controlId',
    timestampColumn: 'receivedAt',
  },
  {
    name: 'emr.patients',
    description: 'patient demographics from ADT, counted from their last update',
    periodVariable: 'RETENTION_EMR_PATIENTS_DAYS',
    table: 'EmrPatient',
    key: 'identifier',
    timestampColumn: 'updatedAt',
  },
];
