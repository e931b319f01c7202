/**
 * The slice of @suite/inference's ServedModel that trading uses: batched inference over rows
 * without a batch dimension, and the model card. Declared here so domain code and its tests can
 * run against the registry's models without Nest.
 */
export type TensorRow = Record<string, Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array>;

export interface ModelRunner {
  card: { name: string; version: string; labels?: string[]; preprocessing: Record<string, unknown> };
  inferMany(rows: TensorRow[]): Promise<Record<string, ArrayLike<number>>[]>;
  /** drift monitor for statistics the library cannot see by itself (e.g. token counts) */
  drift?: { observe(key: string, value: number): void };
}
