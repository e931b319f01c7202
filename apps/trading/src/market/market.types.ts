import { Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '../graphql/relay';

@ObjectType({ description: 'An OHLCV bar at its close time. Prices are split/dividend-adjusted unless asked otherwise.' })
export class BarType {
  @Field({ description: 'Instrument symbol.' })
  symbol: string;
  @Field({ description: 'Close time of the bar (UTC). Date-only bars are at 00:00 UTC of their day.' })
  time: Date;
  @Field(() => Float, { description: 'Opening price.' })
  open: number;
  @Field(() => Float, { description: 'Highest price.' })
  high: number;
  @Field(() => Float, { description: 'Lowest price.' })
  low: number;
  @Field(() => Float, { description: 'Closing price.' })
  close: number;
  @Field(() => Float, { description: 'Traded volume (shares/contracts; multiplied by later split ratios when adjusted).' })
  volume: number;
  @Field(() => Float, { nullable: true, description: 'Split ratio effective at this bar (2 = 2-for-1), as ingested.' })
  split: number | null;
  @Field(() => Float, { nullable: true, description: 'Cash dividend per share going ex at this bar, as ingested.' })
  dividend: number | null;
}
export const BarConnection = ConnectionType(BarType, 'Bar');

@ObjectType('Instrument', { description: 'A tradable instrument with its price history.' })
export class InstrumentType {
  @Field(() => ID, { description: 'Ticker symbol (unique).' })
  symbol: string;
  @Field(() => String, { nullable: true, description: 'Display name.' })
  name: string | null;
  @Field(() => String, { nullable: true, description: 'Quote currency.' })
  currency: string | null;
}
export const InstrumentConnection = ConnectionType(InstrumentType, 'Instrument');

@ObjectType({ description: 'How many bars an instrument has and over which span.' })
export class BarSummary {
  @Field(() => Int, { description: 'Number of stored bars.' })
  count: number;
  @Field(() => Date, { nullable: true, description: 'Time of the first bar.' })
  first: Date | null;
  @Field(() => Date, { nullable: true, description: 'Time of the last bar.' })
  last: Date | null;
}

@InputType({ description: 'One bar to ingest. Re-sending a bar (same symbol and time) is idempotent; new values replace old ones.' })
export class BarInput {
  @Field({ description: 'Instrument symbol (1-32 of letters, digits, . _ : - ^ =); unknown symbols create the instrument.' })
  symbol: string;
  @Field({ description: 'Close time of the bar (ISO 8601 date-time, UTC).' })
  time: Date;
  @Field(() => Float, { description: 'Opening price (> 0).' })
  open: number;
  @Field(() => Float, { description: 'Highest price (>= open, close).' })
  high: number;
  @Field(() => Float, { description: 'Lowest price (<= open, close).' })
  low: number;
  @Field(() => Float, { description: 'Closing price (> 0).' })
  close: number;
  @Field(() => Float, { description: 'Volume (>= 0).' })
  volume: number;
  @Field(() => Float, { nullable: true, description: 'Optional split ratio effective at this bar (2 = 2-for-1).' })
  split?: number | null;
  @Field(() => Float, { nullable: true, description: 'Optional cash dividend per share going ex at this bar.' })
  dividend?: number | null;
}

@ObjectType({ description: 'A bar that was not accepted, and why.' })
export class IngestError {
  @Field(() => Int, { nullable: true, description: 'Line of the CSV (1-based, header = line 1) for importBars.' })
  line: number | null;
  @Field(() => Int, { nullable: true, description: 'Index in the `bars` argument (0-based) for ingestBars.' })
  index: number | null;
  @Field({ description: 'What is wrong, naming the field.' })
  message: string;
}

@ObjectType({ description: 'Outcome of a bar ingestion. Accepted bars are committed before this is returned.' })
export class IngestResult {
  @Field(() => Int, { description: 'Bars received (rows for a CSV).' })
  received: number;
  @Field(() => Int, { description: 'New bars stored.' })
  inserted: number;
  @Field(() => Int, { description: 'Existing bars whose values changed.' })
  updated: number;
  @Field(() => Int, { description: 'Bars identical to stored ones (idempotent re-sends), including repeats within the request.' })
  unchanged: number;
  @Field(() => Int, { description: 'Bars refused; see errors.' })
  rejected: number;
  @Field(() => [IngestError], { description: 'Refused bars (at most 100 listed).' })
  errors: IngestError[];
  @Field(() => [String], { description: 'Symbols that received bars.' })
  symbols: string[];
}
