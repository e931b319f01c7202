-- CreateTable
CREATE TABLE "AmlTransaction" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "timestamp" TIMESTAMP(3) NOT NULL,
    "fromBank" TEXT NOT NULL,
    "fromAccount" TEXT NOT NULL,
    "toBank" TEXT NOT NULL,
    "toAccount" TEXT NOT NULL,
    "amountPaid" DOUBLE PRECISION NOT NULL,
    "paymentCurrency" TEXT NOT NULL,
    "amountReceived" DOUBLE PRECISION NOT NULL,
    "receivingCurrency" TEXT NOT NULL,
    "paymentFormat" TEXT NOT NULL,
    "amountUsd" DOUBLE PRECISION NOT NULL,
    "fromName" TEXT,
    "toName" TEXT,
    "fromCountry" TEXT,
    "toCountry" TEXT,
    "isLaundering" BOOLEAN,
    "source" TEXT NOT NULL,
    "importJobId" TEXT,
    "decision" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "ruleVersion" INTEGER NOT NULL,
    "ruleHits" JSONB NOT NULL,
    "reasons" JSONB NOT NULL,
    "topFeatures" JSONB NOT NULL,
    "facts" JSONB NOT NULL,
    "disagreement" TEXT,
    "alertId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AmlTransaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AmlRuleSetVersion" (
    "version" INTEGER NOT NULL,
    "rules" JSONB NOT NULL,
    "createdBy" TEXT NOT NULL,
    "comment" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AmlRuleSetVersion_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "AmlAlert" (
    "id" TEXT NOT NULL,
    "transactionId" TEXT NOT NULL,
    "caseId" TEXT,
    "decision" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "typologies" TEXT[],
    "accounts" TEXT[],
    "reasons" JSONB NOT NULL,
    "disagreement" TEXT,
    "ruleVersion" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AmlAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AmlCase" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "priority" TEXT NOT NULL,
    "assignee" TEXT,
    "accounts" TEXT[],
    "typologies" TEXT[],
    "disposition" TEXT,
    "dispositionNote" TEXT,
    "slaDueAt" TIMESTAMP(3) NOT NULL,
    "lastAlertAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "AmlCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AmlCaseComment" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AmlCaseComment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AmlCaseAttachment" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "uploadedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AmlCaseAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AmlSar" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "narrative" TEXT NOT NULL,
    "preparedBy" TEXT NOT NULL,
    "approvedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "rejectionReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AmlSar_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AmlSanctionsEntry" (
    "id" TEXT NOT NULL,
    "schema" TEXT NOT NULL,
    "names" TEXT[],
    "countries" TEXT[],
    "programs" TEXT[],
    "birthDates" TEXT[],
    "listName" TEXT NOT NULL,
    "loadedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AmlSanctionsEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AmlTransaction_seq_key" ON "AmlTransaction"("seq");

-- CreateIndex
CREATE INDEX "AmlTransaction_fromBank_fromAccount_idx" ON "AmlTransaction"("fromBank", "fromAccount");

-- CreateIndex
CREATE INDEX "AmlTransaction_toBank_toAccount_idx" ON "AmlTransaction"("toBank", "toAccount");

-- CreateIndex
CREATE INDEX "AmlTransaction_timestamp_idx" ON "AmlTransaction"("timestamp");

-- CreateIndex
CREATE INDEX "AmlTransaction_decision_idx" ON "AmlTransaction"("decision");

-- CreateIndex
CREATE UNIQUE INDEX "AmlAlert_transactionId_key" ON "AmlAlert"("transactionId");

-- CreateIndex
CREATE INDEX "AmlAlert_caseId_idx" ON "AmlAlert"("caseId");

-- CreateIndex
CREATE INDEX "AmlAlert_createdAt_idx" ON "AmlAlert"("createdAt");

-- CreateIndex
CREATE INDEX "AmlAlert_decision_idx" ON "AmlAlert"("decision");

-- CreateIndex
CREATE UNIQUE INDEX "AmlCase_number_key" ON "AmlCase"("number");

-- CreateIndex
CREATE INDEX "AmlCase_status_idx" ON "AmlCase"("status");

-- CreateIndex
CREATE INDEX "AmlCase_assignee_idx" ON "AmlCase"("assignee");

-- CreateIndex
CREATE INDEX "AmlCase_priority_idx" ON "AmlCase"("priority");

-- CreateIndex
CREATE INDEX "AmlCaseComment_caseId_idx" ON "AmlCaseComment"("caseId");

-- CreateIndex
CREATE INDEX "AmlCaseAttachment_caseId_idx" ON "AmlCaseAttachment"("caseId");

-- CreateIndex
CREATE INDEX "AmlSar_caseId_idx" ON "AmlSar"("caseId");
