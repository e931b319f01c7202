import { Injectable } from '@nestjs/common';
import { ModelRegistry } from '@suite/inference';
import { ModelRunner, SentimentScorer, SignalModel } from '@suite/trading';

/** The two models of the service, loaded once from the shared registry (card and sha256 checked). */
@Injectable()
export class TradingModels {
  private sentimentP?: Promise<SentimentScorer>;
  private signalP?: Promise<SignalModel>;

  constructor(private readonly registry: ModelRegistry) {}

  sentiment(): Promise<SentimentScorer> {
    this.sentimentP ??= this.registry.get('news-sentiment').then((m) => new SentimentScorer(m as unknown as ModelRunner));
    this.sentimentP.catch(() => (this.sentimentP = undefined));
    return this.sentimentP;
  }

  signal(): Promise<SignalModel> {
    this.signalP ??= this.registry.get('signal').then((m) => new SignalModel(m as unknown as ModelRunner));
    this.signalP.catch(() => (this.signalP = undefined));
    return this.signalP;
  }
}
