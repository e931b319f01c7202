-- CreateIndex
CREATE INDEX "ImagingStudy_createdAt_idx" ON "ImagingStudy"("createdAt");
