-- CreateIndex
CREATE INDEX "EmrDeadLetter_noteId_idx" ON "EmrDeadLetter"("noteId");

-- CreateIndex
CREATE INDEX "EmrMessage_receivedAt_idx" ON "EmrMessage"("receivedAt");

-- CreateIndex
CREATE INDEX "EmrMessage_noteId_idx" ON "EmrMessage"("noteId");

-- CreateIndex
CREATE INDEX "EmrNote_createdAt_idx" ON "EmrNote"("createdAt");

-- CreateIndex
CREATE INDEX "EmrOutbound_noteId_idx" ON "EmrOutbound"("noteId");

-- CreateIndex
CREATE INDEX "EmrPatient_updatedAt_idx" ON "EmrPatient"("updatedAt");
