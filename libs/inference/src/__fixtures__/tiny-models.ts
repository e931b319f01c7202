import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';

const FLOAT = onnx.TensorProto.DataType.FLOAT;

function valueInfo(name: string, dims: (number | string)[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: FLOAT,
        shape: onnx.TensorShapeProto.create({ dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) }),
      }),
    }),
  });
}

function floatTensor(name: string, dims: number[], values: number[]) {
  const data = Float32Array.from(values);
  return onnx.TensorProto.create({ name, dataType: FLOAT, dims, rawData: new Uint8Array(data.buffer) });
}

function model(nodes: onnx.INodeProto[], inputs: onnx.IValueInfoProto[], outputs: onnx.IValueInfoProto[], inits: onnx.ITensorProto[] = []) {
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'suite-tests',
      opsetImport: [{ domain: '', version: 17 }],
      graph: onnx.GraphProto.create({ name: 'g', node: nodes, input: inputs, output: outputs, initializer: inits }),
    }),
  ).finish();
}

/** y = sigmoid(x · w + b) with x [N, 4]: a logistic regression with known weights. */
export const LOGISTIC_W = [0.5, -1.0, 2.0, 0.25];
export const LOGISTIC_B = -0.1;
export function logisticModel(): Uint8Array {
  return model(
    [
      onnx.NodeProto.create({ opType: 'Gemm', input: ['x', 'w', 'b'], output: ['z'], name: 'gemm', attribute: [{ name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] }),
      onnx.NodeProto.create({ opType: 'Sigmoid', input: ['z'], output: ['prob'], name: 'sig' }),
    ],
    [valueInfo('x', ['batch', 4])],
    [valueInfo('prob', ['batch', 1])],
    [floatTensor('w', [1, 4], LOGISTIC_W), floatTensor('b', [1], [LOGISTIC_B])],
  );
}
export const logistic = (x: ArrayLike<number>) => 1 / (1 + Math.exp(-(LOGISTIC_W.reduce((s, w, i) => s + w * x[i], 0) + LOGISTIC_B)));

/** y = 2x over a variable-length row x [N, L]; s = sum over L. Exercises padding and trimming. */
export function sequenceModel(): Uint8Array {
  return model(
    [
      onnx.NodeProto.create({ opType: 'Mul', input: ['x', 'two'], output: ['doubled'], name: 'mul' }),
      onnx.NodeProto.create({ opType: 'ReduceSum', input: ['x', 'axes'], output: ['total'], name: 'sum', attribute: [{ name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] }),
    ],
    [valueInfo('x', ['batch', 'len'])],
    [valueInfo('doubled', ['batch', 'len']), valueInfo('total', ['batch', 1])],
    [floatTensor('two', [1], [2]), onnx.TensorProto.create({ name: 'axes', dataType: onnx.TensorProto.DataType.INT64, dims: [1], int64Data: [1] })],
  );
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Writes a registry folder with one model and a valid card; returns the models dir. */
export function writeRegistry(name: string, bytes: Uint8Array, card: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'models-'));
  mkdirSync(join(dir, name));
  writeFileSync(join(dir, name, 'model.onnx'), bytes);
  const full = {
    name,
    version: '1.0.0',
    task: 'test',
    description: 'a model built by the test',
    files: { 'model.onnx': { sha256: sha(bytes), bytes: bytes.length } },
    metrics: {},
    ...card,
  };
  writeFileSync(join(dir, name, 'card.json'), JSON.stringify(full, null, 2));
  return dir;
}

export const logisticCard = {
  inputs: [{ name: 'x', dtype: 'float32', shape: [-1, 4] }],
  outputs: [{ name: 'prob', dtype: 'float32', shape: [-1, 1] }],
  preprocessing: { features: ['a', 'b', 'c', 'd'] },
  reference: {
    inputs: { a: { edges: [-0.5, 0, 0.5], fractions: [0.25, 0.25, 0.25, 0.25] } },
    outputs: { prob: { edges: [0.5], fractions: [0.5, 0.5] } },
  },
};

export const sequenceCard = {
  inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 'len'] }],
  outputs: [
    { name: 'doubled', dtype: 'float32', shape: ['batch', 'len'] },
    { name: 'total', dtype: 'float32', shape: ['batch', 1] },
  ],
};
