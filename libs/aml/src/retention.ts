import type { RetentionPolicy } from '@suite/platform';

/**
 * A case is under legal hold while it is not closed or once a SAR was prepared for it (whatever
 * the SAR's status): regulators may ask for it, so retention never deletes it or its payments.
 */
const caseUnderHold = (c: string) => `(${c}.status <> 'closed' OR EXISTS (SELECT 1 FROM "AmlSar" s WHERE s."caseId" = ${c}.id))`;

/** Scored payments with their alerts, by the payment's own date (`timestamp`, indexed). */
export const amlTransactionRetention: RetentionPolicy = {
  name: 'aml.transactions',
  description: 'scored payments and their alerts, counted from the payment date',
  periodVariable: 'RETENTION_AML_TRANSACTIONS_DAYS',
  table: 'AmlTransaction',
  key: 'id',
  timestampColumn: 'timestamp',
  hold: {
    description: 'its alert is waiting for a case, or its case is open or has a SAR',
    sql: `EXISTS (SELECT 1 FROM "AmlAlert" a LEFT JOIN "AmlCase" c ON c.id = a."caseId"
                  WHERE a."transactionId" = r.id AND (a."caseId" IS NULL OR ${caseUnderHold('c')}))`,
  },
  children: [{ table: 'AmlAlert', column: 'transactionId' }],
};

/**
 * Closed cases without a SAR, by their last change (`updatedAt`: closing is a change), with their
 * comments, attachments and alerts. Their payments stay for their own policy; the link from a
 * payment to the deleted alert is cleared first so nothing points at a missing row.
 */
export const amlCaseRetention: RetentionPolicy = {
  name: 'aml.cases',
  description: 'closed cases with their comments, attachments and alerts, counted from the last change',
  periodVariable: 'RETENTION_AML_CASES_DAYS',
  table: 'AmlCase',
  key: 'id',
  timestampColumn: 'updatedAt',
  hold: { description: 'the case is not closed, or a SAR was prepared for it', sql: caseUnderHold('r') },
  children: [
    { table: 'AmlCaseComment', column: 'caseId' },
    { table: 'AmlCaseAttachment', column: 'caseId' },
    { table: 'AmlAlert', column: 'caseId' },
  ],
  beforeDelete: async (tx, caseIds) => {
    await tx.$executeRawUnsafe(
      `UPDATE "AmlTransaction" SET "alertId" = NULL WHERE "alertId" IN (SELECT id FROM "AmlAlert" WHERE "caseId" = ANY($1::text[]))`,
      caseIds,
    );
  },
};

/** The AML service's retention policies (periods from RETENTION_AML_*_DAYS; unset = kept forever). */
export const amlRetentionPolicies = (): RetentionPolicy[] => [amlTransactionRetention, amlCaseRetention];
