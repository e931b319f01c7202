# Exports the real price series that ship with R (datasets, timeSeries, tseries) to small CSVs.
#
#   Rscript data/trading/export-r-datasets.R        (run from the repository root)
#
# Needs r-base-core, r-cran-timeseries and r-cran-tseries (Debian). The CSVs are committed, so
# nothing at run time needs R. Column layout is the one `importBars` accepts:
#   symbol,time,open,high,low,close,volume[,split,dividend]
suppressMessages({
  library(timeSeries)
  library(tseries)
})

out <- "data/trading"

# Weekdays (Mon-Fri) starting at `start`: R's daily index series are "business time" with
# weekends and holidays dropped and no dates attached, so we assign weekdays and say so.
business_days <- function(start, n) {
  days <- seq(as.Date(start), by = "day", length.out = ceiling(n * 7 / 5) + 14)
  wd <- as.POSIXlt(days)$wday
  days[wd != 0 & wd != 6][seq_len(n)]
}

write_bars <- function(df, file) {
  write.csv(df, file.path(out, file), row.names = FALSE, quote = FALSE)
  cat(sprintf("%s: %d rows\n", file, nrow(df)))
}

# 1. EuStockMarkets: daily closes of DAX, SMI, CAC, FTSE, 1991-1998 (1860 rows, no dates).
#    Close only: open = high = low = close, volume = 0.
data(EuStockMarkets)
dates <- business_days("1991-07-01", nrow(EuStockMarkets))
eu <- do.call(rbind, lapply(colnames(EuStockMarkets), function(sym) {
  close <- as.numeric(EuStockMarkets[, sym])
  data.frame(symbol = sym, time = format(dates, "%Y-%m-%d"), open = close, high = close,
             low = close, close = close, volume = 0)
}))
write_bars(eu, "eu-stock-markets.csv")

# 2. timeSeries::MSFT: Microsoft daily OHLCV, 2000-09-27 .. 2001-09-27 (real dates).
data(MSFT)
m <- as.data.frame(MSFT)
msft <- data.frame(symbol = "MSFT", time = rownames(m), open = m$Open, high = m$High,
                   low = m$Low, close = m$Close, volume = m$Volume)
write_bars(msft, "msft.csv")

# 3. timeSeries::USDCHF: 30-minute USD/CHF quotes; the first 20 trading days of April 1996 as
#    intraday bars (a single quote per bar: open = high = low = close, volume = 0).
data(USDCHF)
u <- as.data.frame(USDCHF)
ut <- as.POSIXct(rownames(u), tz = "UTC")
keep <- ut < as.POSIXct("1996-04-27", tz = "UTC")
usd <- data.frame(symbol = "USDCHF", time = format(ut[keep], "%Y-%m-%dT%H:%M:%SZ"),
                  open = u$USDCHF[keep], high = u$USDCHF[keep], low = u$USDCHF[keep],
                  close = u$USDCHF[keep], volume = 0)
write_bars(usd, "usdchf-30min.csv")

# 4. tseries::tcmd: daily US Treasury constant-maturity yields (percent), 1962-2000, business
#    days without dates. Used as a risk-free rate source (tcm1yd), not as a tradable instrument.
#    Dates assigned as weekdays from 1962-01-02.
data(tcmd)
yd <- business_days("1962-01-02", nrow(tcmd))
tc <- data.frame(time = format(yd, "%Y-%m-%d"), tcm1yd = as.numeric(tcmd[, "tcm1yd"]),
                 tcm3yd = as.numeric(tcmd[, "tcm3yd"]), tcm5yd = as.numeric(tcmd[, "tcm5yd"]),
                 tcm10yd = as.numeric(tcmd[, "tcm10yd"]))
tc <- tc[as.Date(tc$time) >= as.Date("1990-01-01"), ]
write.csv(tc, file.path(out, "tcmd-yields.csv"), row.names = FALSE, quote = FALSE)
cat(sprintf("tcmd-yields.csv: %d rows\n", nrow(tc)))
