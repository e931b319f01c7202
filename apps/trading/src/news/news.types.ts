import { Field, Float, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { SentimentLabel } from '@suite/trading';
import { ConnectionType } from '../graphql/relay';
import { InstrumentType } from '../market/market.types';

registerEnumType(SentimentLabel, {
  name: 'SentimentLabel',
  description: 'Direction of a text for the instrument it mentions.',
  valuesMap: { NEGATIVE: { description: 'Bad news.' }, NEUTRAL: { description: 'No clear direction.' }, POSITIVE: { description: 'Good news.' } },
});

@ObjectType({ description: 'Class probabilities of the news-sentiment model.' })
export class SentimentProbabilities {
  @Field(() => Float, { description: 'P(NEGATIVE).' })
  negative: number;
  @Field(() => Float, { description: 'P(NEUTRAL).' })
  neutral: number;
  @Field(() => Float, { description: 'P(POSITIVE).' })
  positive: number;
}

@ObjectType({ description: 'Sentiment of one text from the news-sentiment model.' })
export class Sentiment {
  @Field(() => SentimentLabel, { description: 'Most probable class.' })
  label: SentimentLabel;
  @Field(() => Float, { description: 'P(POSITIVE) - P(NEGATIVE), in [-1, 1].' })
  score: number;
  @Field(() => SentimentProbabilities, { description: 'All class probabilities.' })
  probabilities: SentimentProbabilities;
}

@ObjectType('News', { description: 'A news item, scored by news-sentiment when it arrived.' })
export class NewsType {
  @Field(() => ID, { description: 'Server-assigned id.' })
  id: string;
  @Field({ description: 'Headline (what the model scores, with the body appended when given).' })
  headline: string;
  @Field(() => String, { nullable: true, description: 'Body text, if sent.' })
  body: string | null;
  @Field({ description: 'Where it came from (wire, feed name).' })
  source: string;
  @Field({ description: 'Publication time (UTC). It counts for signals at the first bar at or after this time.' })
  publishedAt: Date;
  @Field(() => [String], { description: 'Symbols the item is about.' })
  symbols: string[];
  @Field(() => Sentiment, { description: 'Sentiment at ingestion.' })
  sentiment: Sentiment;
  @Field({ description: 'Model that scored it (name@version).' })
  model: string;
  @Field(() => [InstrumentType], { description: 'Instruments of `symbols` that exist (batched lookup).' })
  instruments?: InstrumentType[];
}
export const NewsConnection = ConnectionType(NewsType, 'News');

@InputType({ description: 'A news item to ingest. The same source, publishedAt and headline is stored once (idempotent).' })
export class NewsInput {
  @Field({ description: 'Headline, 1-1000 characters.' })
  headline: string;
  @Field(() => String, { nullable: true, description: 'Optional body; its first sentence is scored with the headline.' })
  body?: string | null;
  @Field({ description: 'Source name, 1-100 characters.' })
  source: string;
  @Field({ description: 'Publication time (ISO 8601, UTC).' })
  publishedAt: Date;
  @Field(() => [String], { description: 'Symbols it is about (at least one).' })
  symbols: string[];
}
