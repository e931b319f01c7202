import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '../graphql/relay';
import { InstrumentType } from '../market/market.types';

@ObjectType({ description: 'A part of a signal: P(up) and expected return.' })
export class SignalPart {
  @Field(() => Float, { description: 'Probability (or, for the sentiment part, change in probability) that the close rises over the horizon.' })
  pUp: number;
  @Field(() => Float, { description: 'Expected simple return over the horizon (or the sentiment part of it).' })
  expectedReturn: number;
}

@ObjectType({ description: 'What price/volume features and news sentiment each add. price + sentiment = the signal.' })
export class SignalContributions {
  @Field(() => SignalPart, { description: 'The model with every sentiment feature at its no-news value.' })
  price: SignalPart;
  @Field(() => SignalPart, { description: 'Signal minus its price part: what the news adds.' })
  sentiment: SignalPart;
}

@ObjectType({ description: 'A named model input.' })
export class FeatureValue {
  @Field({ description: 'Feature name as in the signal model card.' })
  name: string;
  @Field(() => Float, { description: 'Its value at the signal time.' })
  value: number;
}

@ObjectType('Signal', { description: 'The signal model at one bar of one instrument. Uses only bars and news known at that bar close.' })
export class SignalType {
  @Field({ description: 'Instrument symbol.' })
  symbol: string;
  @Field({ description: 'Bar close time the signal is known at.' })
  time: Date;
  @Field(() => Int, { description: 'Horizon in bars.' })
  horizon: number;
  @Field(() => Float, { description: 'P(close at time + horizon bars > close at time).' })
  pUp: number;
  @Field(() => Float, { description: 'Expected simple return over the horizon.' })
  expectedReturn: number;
  @Field(() => SignalContributions, { description: 'Price vs sentiment parts.' })
  contributions: SignalContributions;
  @Field(() => [FeatureValue], { description: 'Model inputs (raw values).' })
  features: FeatureValue[];
  @Field({ description: 'Model that produced it (name@version).' })
  model: string;
  @Field(() => InstrumentType, { nullable: true, description: 'The instrument (batched lookup).' })
  instrument?: InstrumentType | null;
}
export const SignalConnection = ConnectionType(SignalType, 'Signal');
