// Shapes of the AML service's answers that the console reads (see /api/docs on the service).

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export type CaseStatus = 'open' | 'in_review' | 'escalated' | 'closed';
export type CasePriority = 'low' | 'medium' | 'high' | 'critical';
export type Disposition = 'false_positive' | 'suspicious_sar_filed' | 'not_suspicious_monitored';

export interface AmlCase {
  id: string;
  number: number;
  title: string;
  status: CaseStatus;
  priority: CasePriority;
  assignee: string | null;
  accounts: string[];
  typologies: string[];
  disposition: Disposition | null;
  dispositionNote: string | null;
  slaDueAt: string;
  lastAlertAt: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  overdue: boolean;
}

export interface FeatureContribution {
  feature: string;
  value: number;
  contribution: number;
}

export interface RuleHitBrief {
  ruleId: string;
  name: string;
  typology: string;
  severity: 'review' | 'block';
}

export interface AmlTransaction {
  id: string;
  seq: string;
  timestamp: string;
  fromBank: string;
  fromAccount: string;
  toBank: string;
  toAccount: string;
  amountPaid: number;
  paymentCurrency: string;
  amountReceived: number;
  receivingCurrency: string;
  paymentFormat: string;
  amountUsd: number;
  fromName: string | null;
  toName: string | null;
  fromCountry: string | null;
  toCountry: string | null;
  source: string;
  decision: 'ALLOW' | 'REVIEW' | 'BLOCK';
  score: number;
  ruleVersion: number;
  ruleHits: RuleHitBrief[];
  reasons: string[];
  topFeatures: FeatureContribution[];
  disagreement: 'MODEL_ONLY' | 'RULES_ONLY' | null;
  alertId: string | null;
}

export interface AmlAlert {
  id: string;
  transactionId: string;
  caseId: string | null;
  decision: 'REVIEW' | 'BLOCK';
  score: number;
  typologies: string[];
  accounts: string[];
  reasons: string[];
  disagreement: 'MODEL_ONLY' | 'RULES_ONLY' | null;
  ruleVersion: number;
  createdAt: string;
}

export interface CaseComment {
  id: string;
  author: string;
  body: string;
  createdAt: string;
}

export interface Sar {
  id: string;
  caseId: string;
  status: 'pending_approval' | 'approved' | 'rejected';
  narrative: string;
  preparedBy: string;
  approvedBy: string | null;
  decidedAt: string | null;
  rejectionReason: string | null;
  createdAt: string;
}

export interface CaseFile extends AmlCase {
  alerts: AmlAlert[];
  transactions: AmlTransaction[];
  comments: CaseComment[];
  attachments: Array<{ id: string; filename: string; size: number; uploadedBy: string; createdAt: string }>;
  sars: Sar[];
}

export interface AuditEntry {
  seq: string;
  at: string;
  actor: string;
  action: string;
  subject: string;
  reason: string | null;
  detail: unknown;
}

export interface AmlRule {
  id: string;
  name: string;
  typology: string;
  severity: 'review' | 'block';
  description: string;
  enabled: boolean;
  conditions: unknown;
}

export interface RuleSetVersion {
  version: number;
  createdBy: string;
  comment: string | null;
  createdAt: string;
  ruleCount: number;
}

export interface BacktestMetrics {
  version: number;
  rows: number;
  positives: number;
  alerts: number;
  truePositives: number;
  precision: number;
  recall: number;
  perRule: Record<string, { alerts: number; truePositives: number }>;
}

export interface BacktestResult {
  jobId: string;
  candidate: BacktestMetrics;
  active: BacktestMetrics;
  change: { alerts: number; precision: number; recall: number };
}

export interface Job<R = unknown> {
  id: string;
  kind: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: number;
  result: R | null;
  error: string | null;
}

export interface ImportSummary {
  filename: string;
  rows: number;
  decided: number;
  duplicates: number;
  decisions: Record<string, number>;
  alerts: number;
  badLines: number;
  errors: Array<{ line: number; message: string }>;
}

export interface WeeklyPrecision {
  week: string;
  alerts: number;
  dispositioned: number;
  suspicious: number;
  precision: number | null;
}

export interface MonitoringSummary {
  ruleVersion: number;
  model: { name: string; version: string; provider: string; precision: string; threshold: number; cardMetrics: Record<string, number> | null };
  decisions: Record<string, number>;
  disagreements: Record<string, number>;
  cases: Record<string, number>;
  alertPrecisionByWeek: WeeklyPrecision[];
  drift: Array<{ feature: string; kind: string; psi: number; observations: number }>;
  /** Precision of model-raised alerts from case dispositions (rolling), null before any. */
  liveModelPrecision?: number | null;
  /** The model monitor's drift and quality alerts. */
  modelAlerts?: Array<{ kind: string; level: string; feature?: string; value: number; threshold: number; at: string; message: string }>;
}

export interface ScreeningMatch {
  entryId: string;
  schema: string;
  matchedName: string;
  primaryName: string;
  score: number;
  programs: string[];
  countries: string[];
  why: string[];
}

export interface ScreeningResult {
  list: unknown;
  results: Array<{ name: string; matches: ScreeningMatch[] }>;
}

export interface User {
  id: string;
  username: string;
  displayName: string | null;
  role: string;
  active: boolean;
  createdAt: string;
}
