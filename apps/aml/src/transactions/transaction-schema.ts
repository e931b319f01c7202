import { z } from 'zod';

/** A transaction as the REST API takes it (currencies by AMLworld name or ISO code). */
export const TransactionBody = z
  .object({
    id: z.string().min(1).max(200),
    timestamp: z.union([z.string(), z.number()]).transform((v, ctx) => {
      const ms = typeof v === 'number' ? v : Date.parse(v);
      if (!Number.isFinite(ms)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be an ISO 8601 date-time or epoch milliseconds' });
        return z.NEVER;
      }
      return ms;
    }),
    fromBank: z.string().min(1).max(64),
    fromAccount: z.string().min(1).max(64),
    toBank: z.string().min(1).max(64),
    toAccount: z.string().min(1).max(64),
    amountPaid: z.number().nonnegative().finite(),
    paymentCurrency: z.string().min(1),
    amountReceived: z.number().nonnegative().finite(),
    receivingCurrency: z.string().min(1),
    paymentFormat: z.string().min(1).max(32),
    fromName: z.string().max(300).optional(),
    toName: z.string().max(300).optional(),
    fromCountry: z.string().max(64).optional(),
    toCountry: z.string().max(64).optional(),
    isLaundering: z.boolean().optional(),
  })
  .strict();

export const TransactionArray = z.array(TransactionBody).min(1).max(10_000);

/** OpenAPI description of a transaction (the zod schema above is what validates). */
export const TRANSACTION_OPENAPI = {
  type: 'object',
  required: ['id', 'timestamp', 'fromBank', 'fromAccount', 'toBank', 'toAccount', 'amountPaid', 'paymentCurrency', 'amountReceived', 'receivingCurrency', 'paymentFormat'],
  properties: {
    id: { type: 'string', example: 'tx-000123', description: 'caller id; resubmitting returns the stored decision' },
    timestamp: { type: 'string', format: 'date-time', example: '2022-09-01T10:15:00Z' },
    fromBank: { type: 'string', example: '010' },
    fromAccount: { type: 'string', example: '8000EBD30' },
    toBank: { type: 'string', example: '011' },
    toAccount: { type: 'string', example: '8000F4580' },
    amountPaid: { type: 'number', example: 9500 },
    paymentCurrency: { type: 'string', example: 'US Dollar', description: 'AMLworld name or ISO 4217 code' },
    amountReceived: { type: 'number', example: 9500 },
    receivingCurrency: { type: 'string', example: 'US Dollar' },
    paymentFormat: { type: 'string', enum: ['ACH', 'Bitcoin', 'Cash', 'Cheque', 'Credit Card', 'Reinvestment', 'Wire'] },
    fromName: { type: 'string' },
    toName: { type: 'string' },
    fromCountry: { type: 'string' },
    toCountry: { type: 'string' },
    isLaundering: { type: 'boolean', description: 'known label (labelled history for backtests); never used to decide' },
  },
};

export const DECISION_OPENAPI = {
  type: 'object',
  properties: {
    transactionId: { type: 'string' },
    decision: { type: 'string', enum: ['ALLOW', 'REVIEW', 'BLOCK'] },
    score: { type: 'number', description: 'model P(laundering)' },
    ruleHits: { type: 'array', items: { type: 'object', properties: { ruleId: { type: 'string' }, name: { type: 'string' }, typology: { type: 'string' }, severity: { type: 'string' } } } },
    reasons: { type: 'array', items: { type: 'string' } },
    alertId: { type: 'string' },
  },
};
