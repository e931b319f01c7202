import { z } from 'zod';

/** Element types the library moves between callers and the runtime. */
export const TensorDType = z.enum(['float32', 'int64', 'int32', 'uint8', 'int8', 'bool']);
export type TensorDType = z.infer<typeof TensorDType>;

const TensorSpec = z.object({
  name: z.string().min(1),
  dtype: TensorDType,
  /** -1 or a symbolic name marks a dynamic dimension. */
  shape: z.array(z.union([z.number().int(), z.string()])).min(1),
});
export type TensorSpec = z.infer<typeof TensorSpec>;

const Histogram = z.object({
  edges: z.array(z.number()),
  fractions: z.array(z.number().min(0)),
}).refine((h) => h.fractions.length === h.edges.length + 1, { message: 'fractions must have one more entry than edges' });
export type ReferenceHistogram = z.infer<typeof Histogram>;

const FileEntry = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex sha256'), bytes: z.number().int().nonnegative() });

const Evaluation = z.object({
  kind: z.enum(['binary', 'multiclass', 'token-multiclass', 'regression']),
  output: z.string(),
  threshold: z.number().optional(),
  positiveColumn: z.number().int().optional(),
  ignoreLabel: z.number().int().optional(),
  tolerance: z.number().nonnegative(),
});
export type Evaluation = z.infer<typeof Evaluation>;

const Int8 = z.object({
  file: z.string(),
  /** Largest allowed drop per metric versus fp32 on the held-out set. */
  tolerance: z.record(z.string(), z.number().nonnegative()),
  measured: z
    .object({
      sizeBytes: z.number(),
      fp32SizeBytes: z.number(),
      rowsPerSecond: z.number(),
      fp32RowsPerSecond: z.number(),
      batch: z.number(),
      metrics: z.record(z.string(), z.number()),
      fp32Metrics: z.record(z.string(), z.number()),
      withinTolerance: z.boolean(),
    })
    .partial()
    .optional(),
});

/** The model card (models/README.md documents each field). */
export const ModelCardSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a lower-case folder name'),
    version: z.string().regex(/^\d+\.\d+\.\d+/, 'must be a semantic version'),
    task: z.string().min(1),
    description: z.string().min(1),
    files: z.record(z.string(), FileEntry).refine((f) => 'model.onnx' in f, { message: 'must list model.onnx' }),
    inputs: z.array(TensorSpec).min(1),
    outputs: z.array(TensorSpec).min(1),
    labels: z.array(z.string()).optional(),
    preprocessing: z.record(z.string(), z.unknown()).optional(),
    heldout: z.object({ path: z.string(), rows: z.number().int().optional(), description: z.string().optional() }).optional(),
    evaluation: Evaluation.optional(),
    metrics: z.record(z.string(), z.unknown()).and(z.object({ heldout: z.record(z.string(), z.number()).optional() })),
    reference: z
      .object({ inputs: z.record(z.string(), Histogram).optional(), outputs: z.record(z.string(), Histogram).optional() })
      .optional(),
    int8: Int8.optional(),
    training: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();

export type ModelCard = z.infer<typeof ModelCardSchema>;

export class ModelCardError extends Error {
  constructor(
    readonly model: string,
    message: string,
  ) {
    super(`Model ${model} refused: ${message}`);
    this.name = 'ModelCardError';
  }
}

/** Parses a card, naming every field that is wrong. */
export function parseCard(model: string, json: unknown): ModelCard {
  const parsed = ModelCardSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `card.json ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ModelCardError(model, problems.join('; '));
  }
  if (parsed.data.name !== model) throw new ModelCardError(model, `card.json name is "${parsed.data.name}", expected "${model}"`);
  return parsed.data;
}
