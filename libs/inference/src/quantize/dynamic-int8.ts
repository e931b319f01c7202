import { onnx } from 'onnx-proto';

/**
 * Dynamic int8 quantization of MatMul/Gemm weights over the ONNX protobuf: each weight becomes
 * per-output-channel symmetric int8, and the product runs as
 * DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul(scale) [-> Add(bias)], the pattern ONNX
 * Runtime fuses into DynamicQuantizeMatMul. Activations are quantized per batch at run time.
 */
export interface QuantizeReport {
  quantized: string[];
  skipped: string[];
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT8 = onnx.TensorProto.DataType.INT8;

function floatsOf(t: onnx.ITensorProto): Float32Array {
  if (t.rawData && t.rawData.length) {
    const copy = new Uint8Array(t.rawData); // align
    return new Float32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4);
  }
  return Float32Array.from(t.floatData ?? []);
}

function attr(node: onnx.INodeProto, name: string): onnx.IAttributeProto | undefined {
  return node.attribute?.find((a) => a.name === name);
}

/** Quantizes a [K, N] weight per column n: scale_n = max|W[:, n]| / 127. */
export function quantizeColumns(w: Float32Array, k: number, n: number): { q: Int8Array; scales: Float32Array } {
  const scales = new Float32Array(n);
  for (let c = 0; c < n; c++) {
    let m = 0;
    for (let r = 0; r < k; r++) m = Math.max(m, Math.abs(w[r * n + c]));
    scales[c] = m > 0 ? m / 127 : 1;
  }
  const q = new Int8Array(k * n);
  for (let r = 0; r < k; r++) for (let c = 0; c < n; c++) q[r * n + c] = Math.max(-127, Math.min(127, Math.round(w[r * n + c] / scales[c])));
  return { q, scales };
}

function transpose(w: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c];
  return t;
}

const tensor = (name: string, dataType: number, dims: number[], bytes: Uint8Array) =>
  onnx.TensorProto.create({ name, dataType, dims, rawData: bytes });
const bytesOf = (a: Float32Array | Int8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export function quantizeModel(modelBytes: Uint8Array, minWeights = 0): { bytes: Uint8Array; report: QuantizeReport } {
  const model = onnx.ModelProto.decode(modelBytes);
  const graph = model.graph as onnx.GraphProto;
  const inits = new Map(graph.initializer.map((t) => [t.name as string, t]));
  const report: QuantizeReport = { quantized: [], skipped: [] };
  const nodes: onnx.INodeProto[] = [];
  const usedInits = new Set<string>();
  for (const node of graph.node) {
    const isGemm = node.opType === 'Gemm';
    const isMatMul = node.opType === 'MatMul';
    const weight = (isGemm || isMatMul) && node.input?.[1] ? inits.get(node.input[1]) : undefined;
    const ok =
      weight &&
      weight.dataType === FLOAT &&
      weight.dims?.length === 2 &&
      (!isGemm || ((attr(node, 'transA')?.i ?? 0).toString() === '0' && (attr(node, 'alpha')?.f ?? 1) === 1 && (attr(node, 'beta')?.f ?? 1) === 1));
    if (!ok || !weight) {
      if (isGemm || isMatMul) report.skipped.push(node.name || node.output?.[0] || node.opType || '?');
      nodes.push(node);
      continue;
    }
    const [d0, d1] = weight.dims!.map(Number);
    const transB = isGemm && String(attr(node, 'transB')?.i ?? 0) === '1';
    const k = transB ? d1 : d0;
    const n = transB ? d0 : d1;
    if (k * n < minWeights) {
      report.skipped.push(node.name || node.opType!);
      nodes.push(node);
      continue;
    }
    const w = floatsOf(weight);
    const { q, scales } = quantizeColumns(transB ? transpose(w, d0, d1) : w, k, n);
    const base = (node.name || node.output![0]).replace(/[^A-Za-z0-9_]/g, '_');
    const names = {
      q: `${base}_W_int8`, scale: `${base}_W_scale`, zp: `${base}_W_zp`,
      aq: `${base}_A_q`, as: `${base}_A_scale`, az: `${base}_A_zp`,
      y: `${base}_Y_int32`, yf: `${base}_Y_f`, s: `${base}_scale`, ys: `${base}_Y_scaled`,
    };
    graph.initializer.push(
      tensor(names.q, INT8, [k, n], bytesOf(q)),
      tensor(names.scale, FLOAT, [n], bytesOf(scales)),
      tensor(names.zp, INT8, [n], new Uint8Array(n)),
    );
    const bias = isGemm ? node.input![2] : undefined;
    const out = node.output![0];
    nodes.push(
      onnx.NodeProto.create({ opType: 'DynamicQuantizeLinear', name: `${base}_quant`, input: [node.input![0]], output: [names.aq, names.as, names.az] }),
      onnx.NodeProto.create({ opType: 'MatMulInteger', name: `${base}_matmul`, input: [names.aq, names.q, names.az, names.zp], output: [names.y] }),
      onnx.NodeProto.create({ opType: 'Cast', name: `${base}_cast`, input: [names.y], output: [names.yf], attribute: [onnx.AttributeProto.create({ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: FLOAT })] }),
      onnx.NodeProto.create({ opType: 'Mul', name: `${base}_scale_mul`, input: [names.as, names.scale], output: [names.s] }),
      onnx.NodeProto.create({ opType: 'Mul', name: `${base}_rescale`, input: [names.yf, names.s], output: [bias ? names.ys : out] }),
    );
    if (bias) nodes.push(onnx.NodeProto.create({ opType: 'Add', name: `${base}_bias`, input: [names.ys, bias], output: [out] }));
    report.quantized.push(node.name || out);
    usedInits.add(weight.name as string);
  }
  graph.node = nodes as onnx.NodeProto[];
  // Drop fp32 weights nothing reads any more.
  const stillRead = new Set(nodes.flatMap((nd) => nd.input ?? []));
  graph.initializer = graph.initializer.filter((t) => !usedInits.has(t.name as string) || stillRead.has(t.name as string));
  return { bytes: onnx.ModelProto.encode(model).finish(), report };
}
