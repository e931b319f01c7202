-- CreateTable
CREATE TABLE "EmrNote" (
    "id" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "patientId" TEXT,
    "encounterId" TEXT,
    "source" TEXT NOT NULL,
    "controlId" TEXT,
    "result" JSONB NOT NULL,
    "modelVersion" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmrNote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EmrMessage" (
    "controlId" TEXT NOT NULL,
    "messageType" TEXT NOT NULL,
    "triggerEvent" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "sendingApplication" TEXT NOT NULL,
    "sendingFacility" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "raw" TEXT NOT NULL,
    "ackCode" TEXT NOT NULL,
    "ack" TEXT NOT NULL,
    "error" TEXT,
    "noteId" TEXT,
    "patientId" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmrMessage_pkey" PRIMARY KEY ("controlId")
);

-- CreateTable
CREATE TABLE "EmrPatient" (
    "identifier" TEXT NOT NULL,
    "assigningAuthority" TEXT,
    "family" TEXT,
    "given" TEXT,
    "birthDate" TEXT,
    "sex" TEXT,
    "address" JSONB,
    "phone" TEXT,
    "lastControlId" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EmrPatient_pkey" PRIMARY KEY ("identifier")
);

-- CreateTable
CREATE TABLE "EmrOutbound" (
    "id" TEXT NOT NULL,
    "controlId" TEXT NOT NULL,
    "sourceControlId" TEXT,
    "noteId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmrOutbound_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EmrDeadLetter" (
    "id" TEXT NOT NULL,
    "controlId" TEXT NOT NULL,
    "sourceControlId" TEXT,
    "noteId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "lastError" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmrDeadLetter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "EmrNote_controlId_key" ON "EmrNote"("controlId");

-- CreateIndex
CREATE INDEX "EmrNote_patientId_idx" ON "EmrNote"("patientId");

-- CreateIndex
CREATE UNIQUE INDEX "EmrOutbound_controlId_key" ON "EmrOutbound"("controlId");

-- CreateIndex
CREATE INDEX "EmrOutbound_status_nextAttemptAt_idx" ON "EmrOutbound"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "EmrDeadLetter_controlId_key" ON "EmrDeadLetter"("controlId");
