-- CreateIndex
CREATE INDEX "TradingNewsSymbol_newsId_idx" ON "TradingNewsSymbol"("newsId");
