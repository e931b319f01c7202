-- CreateTable
CREATE TABLE "ImagingStudy" (
    "studyInstanceUid" TEXT NOT NULL,
    "patientId" TEXT NOT NULL,
    "patientName" TEXT NOT NULL,
    "patientBirthDate" TEXT,
    "patientSex" TEXT,
    "studyDate" TEXT,
    "studyTime" TEXT,
    "accessionNumber" TEXT,
    "studyId" TEXT,
    "description" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ImagingStudy_pkey" PRIMARY KEY ("studyInstanceUid")
);

-- CreateTable
CREATE TABLE "ImagingSeries" (
    "seriesInstanceUid" TEXT NOT NULL,
    "studyInstanceUid" TEXT NOT NULL,
    "modality" TEXT,
    "seriesNumber" INTEGER,
    "description" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImagingSeries_pkey" PRIMARY KEY ("seriesInstanceUid")
);

-- CreateTable
CREATE TABLE "ImagingInstance" (
    "sopInstanceUid" TEXT NOT NULL,
    "seriesInstanceUid" TEXT NOT NULL,
    "studyInstanceUid" TEXT NOT NULL,
    "sopClassUid" TEXT NOT NULL,
    "transferSyntaxUid" TEXT NOT NULL,
    "instanceNumber" INTEGER,
    "rows" INTEGER,
    "columns" INTEGER,
    "numberOfFrames" INTEGER NOT NULL DEFAULT 1,
    "storageKey" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "decodable" BOOLEAN NOT NULL,
    "undecodableReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImagingInstance_pkey" PRIMARY KEY ("sopInstanceUid")
);

-- CreateTable
CREATE TABLE "ImagingAnalysis" (
    "id" TEXT NOT NULL,
    "studyInstanceUid" TEXT NOT NULL,
    "seriesInstanceUid" TEXT,
    "jobId" TEXT,
    "status" TEXT NOT NULL,
    "lungRads" TEXT,
    "candidates" INTEGER,
    "modelVersion" TEXT,
    "threshold" DOUBLE PRECISION,
    "timings" JSONB,
    "geometry" JSONB,
    "warnings" JSONB,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ImagingAnalysis_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImagingNodule" (
    "id" TEXT NOT NULL,
    "analysisId" TEXT NOT NULL,
    "studyInstanceUid" TEXT NOT NULL,
    "seriesInstanceUid" TEXT NOT NULL,
    "patientId" TEXT NOT NULL,
    "studyDate" TEXT,
    "index" INTEGER NOT NULL,
    "centerX" DOUBLE PRECISION NOT NULL,
    "centerY" DOUBLE PRECISION NOT NULL,
    "centerZ" DOUBLE PRECISION NOT NULL,
    "diameterMm" DOUBLE PRECISION NOT NULL,
    "longAxisMm" DOUBLE PRECISION NOT NULL,
    "shortAxisMm" DOUBLE PRECISION NOT NULL,
    "volumeMm3" DOUBLE PRECISION NOT NULL,
    "meanHu" DOUBLE PRECISION NOT NULL,
    "type" TEXT NOT NULL,
    "solidComponentMm" DOUBLE PRECISION,
    "lobe" TEXT NOT NULL,
    "juxtapleural" BOOLEAN NOT NULL,
    "probability" DOUBLE PRECISION NOT NULL,
    "typeProbabilities" JSONB NOT NULL,
    "lungRads" TEXT NOT NULL,
    "radiusHintMm" DOUBLE PRECISION NOT NULL,
    "growth" TEXT,
    "priorNoduleId" TEXT,
    "doublingTimeDays" DOUBLE PRECISION,
    "diameterChangeMm" DOUBLE PRECISION,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImagingNodule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ImagingStudy_patientId_idx" ON "ImagingStudy"("patientId");

-- CreateIndex
CREATE INDEX "ImagingStudy_studyDate_idx" ON "ImagingStudy"("studyDate");

-- CreateIndex
CREATE INDEX "ImagingSeries_studyInstanceUid_idx" ON "ImagingSeries"("studyInstanceUid");

-- CreateIndex
CREATE INDEX "ImagingInstance_seriesInstanceUid_idx" ON "ImagingInstance"("seriesInstanceUid");

-- CreateIndex
CREATE INDEX "ImagingInstance_studyInstanceUid_idx" ON "ImagingInstance"("studyInstanceUid");

-- CreateIndex
CREATE INDEX "ImagingAnalysis_studyInstanceUid_idx" ON "ImagingAnalysis"("studyInstanceUid");

-- CreateIndex
CREATE INDEX "ImagingNodule_analysisId_idx" ON "ImagingNodule"("analysisId");

-- CreateIndex
CREATE INDEX "ImagingNodule_studyInstanceUid_idx" ON "ImagingNodule"("studyInstanceUid");

-- CreateIndex
CREATE INDEX "ImagingNodule_patientId_idx" ON "ImagingNodule"("patientId");

-- AddForeignKey
ALTER TABLE "ImagingSeries" ADD CONSTRAINT "ImagingSeries_studyInstanceUid_fkey" FOREIGN KEY ("studyInstanceUid") REFERENCES "ImagingStudy"("studyInstanceUid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImagingInstance" ADD CONSTRAINT "ImagingInstance_seriesInstanceUid_fkey" FOREIGN KEY ("seriesInstanceUid") REFERENCES "ImagingSeries"("seriesInstanceUid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImagingNodule" ADD CONSTRAINT "ImagingNodule_analysisId_fkey" FOREIGN KEY ("analysisId") REFERENCES "ImagingAnalysis"("id") ON DELETE CASCADE ON UPDATE CASCADE;
