-- CreateIndex
CREATE INDEX "AmlCase_updatedAt_idx" ON "AmlCase"("updatedAt");
