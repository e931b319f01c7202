import { Injectable } from '@nestjs/common';
import { FEATURE_NAMES, contributionsFrom, occlusionRows, type FeatureContribution } from '@suite/aml';
import { ModelRegistry, type ServedModel } from '@suite/inference';

export const AML_MODEL = 'aml-txn';

/**
 * The model track: P(laundering) from the aml-txn model through libs/inference, and occlusion
 * attributions for the payments that get an alert. Checks at load that the card's feature list is
 * the one libs/aml computes, so a retrained model with other features is refused, not misfed.
 */
@Injectable()
export class ModelTrack {
  private model?: Promise<ServedModel>;

  constructor(private readonly registry: ModelRegistry) {}

  load(): Promise<ServedModel> {
    this.model ??= this.registry.get(AML_MODEL).then((m) => {
      const features = (m.card.preprocessing as { features?: string[] } | undefined)?.features;
      if (!features || features.join(',') !== FEATURE_NAMES.join(',')) {
        throw new Error(`${AML_MODEL} card preprocessing.features does not match libs/aml FEATURE_NAMES; retrain or update both`);
      }
      return m;
    });
    return this.model;
  }

  async threshold(): Promise<number> {
    return (await this.load()).card.evaluation?.threshold ?? 0.5;
  }

  async version(): Promise<string> {
    return (await this.load()).version;
  }

  /**
   * Scores rows in order in one batched call. Concurrent requests are already gathered into one
   * decision run upstream, so even a single row skips the dynamic batcher's gathering delay.
   */
  async score(vectors: Float64Array[]): Promise<number[]> {
    const model = await this.load();
    const outs = await model.inferMany(vectors.map((v) => ({ features: Float32Array.from(v) })));
    return outs.map((o) => (o.prob as Float32Array)[0]);
  }

  /** Top contributing features of each row: the score drop when the feature is set to its training mean. */
  async contributions(vectors: Float64Array[]): Promise<FeatureContribution[][]> {
    if (!vectors.length) return [];
    const model = await this.load();
    const means = ((model.card.preprocessing as { standardisation?: { mean: number[] } }).standardisation?.mean ?? []) as number[];
    const rows = vectors.flatMap((v) => occlusionRows(v, means));
    // a direct run: the occluded copies are not traffic and must not feed the drift monitor
    const raw = await model.runRaw({ features: { dtype: 'float32', dims: [rows.length, FEATURE_NAMES.length], data: concat(rows) } });
    const probs = raw.prob.data as Float32Array;
    const per = FEATURE_NAMES.length + 1;
    return vectors.map((v, i) => contributionsFrom(probs.subarray(i * per, (i + 1) * per), v, FEATURE_NAMES).slice(0, 5));
  }
}

function concat(rows: Float32Array[]): Float32Array {
  const out = new Float32Array(rows.length * (rows[0]?.length ?? 0));
  rows.forEach((r, i) => out.set(r, i * r.length));
  return out;
}
