-- CreateTable
CREATE TABLE "TradingInstrument" (
    "symbol" TEXT NOT NULL,
    "name" TEXT,
    "currency" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TradingInstrument_pkey" PRIMARY KEY ("symbol")
);

-- CreateTable
CREATE TABLE "TradingBar" (
    "symbol" TEXT NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "open" DOUBLE PRECISION NOT NULL,
    "high" DOUBLE PRECISION NOT NULL,
    "low" DOUBLE PRECISION NOT NULL,
    "close" DOUBLE PRECISION NOT NULL,
    "volume" DOUBLE PRECISION NOT NULL,
    "split" DOUBLE PRECISION,
    "dividend" DOUBLE PRECISION,
    "source" TEXT,

    CONSTRAINT "TradingBar_pkey" PRIMARY KEY ("symbol","time")
);

-- CreateTable
CREATE TABLE "TradingNews" (
    "id" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "headline" TEXT NOT NULL,
    "body" TEXT,
    "source" TEXT NOT NULL,
    "publishedAt" TIMESTAMPTZ(3) NOT NULL,
    "symbols" TEXT[],
    "label" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "pNegative" DOUBLE PRECISION NOT NULL,
    "pNeutral" DOUBLE PRECISION NOT NULL,
    "pPositive" DOUBLE PRECISION NOT NULL,
    "model" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TradingNews_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TradingNewsSymbol" (
    "newsId" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "publishedAt" TIMESTAMPTZ(3) NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "TradingNewsSymbol_pkey" PRIMARY KEY ("symbol","publishedAt","newsId")
);

-- CreateTable
CREATE TABLE "TradingBacktest" (
    "id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "input" JSONB NOT NULL,
    "metrics" JSONB,
    "equityCurve" JSONB,
    "chartSvg" TEXT,
    "error" TEXT,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "TradingBacktest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TradingNews_dedupeKey_key" ON "TradingNews"("dedupeKey");

-- CreateIndex
CREATE INDEX "TradingNews_publishedAt_idx" ON "TradingNews"("publishedAt");
