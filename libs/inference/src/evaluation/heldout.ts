import { readFileSync } from 'node:fs';
import { allocate, sizeOf, type TensorData } from '../backend/tensor';
import type { TensorDType } from '../registry/card';

interface EncodedTensor {
  dtype: TensorDType;
  dims: number[];
  b64: string;
}

export interface HeldoutSet {
  inputs: Record<string, TensorData>;
  labels: TensorData;
  extra: Record<string, TensorData>;
  rows: number;
  /** Group of each row per dimension (e.g. customer country), for the bias report; may be empty. */
  groups: Record<string, string[]>;
}

export function decodeTensor(t: EncodedTensor): TensorData {
  const bytes = Buffer.from(t.b64, 'base64');
  const out = allocate(t.dtype, sizeOf(t.dims));
  // copy: the base64 buffer may not be aligned for the element size
  new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(bytes.subarray(0, out.byteLength));
  if (bytes.length !== out.byteLength) throw new Error(`tensor has ${bytes.length} bytes, dims ${JSON.stringify(t.dims)} need ${out.byteLength}`);
  return { dtype: t.dtype, dims: t.dims, data: out };
}

/** Reads a held-out file written by models/_toolchain/cardkit.py. */
export function readHeldout(path: string): HeldoutSet {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { inputs: Record<string, EncodedTensor>; labels: EncodedTensor; extra?: Record<string, EncodedTensor>; groups?: Record<string, unknown> };
  const inputs = Object.fromEntries(Object.entries(doc.inputs).map(([k, v]) => [k, decodeTensor(v)]));
  const labels = decodeTensor(doc.labels);
  const extra = Object.fromEntries(Object.entries(doc.extra ?? {}).map(([k, v]) => [k, decodeTensor(v)]));
  const rows = labels.dims[0];
  const groups: Record<string, string[]> = {};
  for (const [dimension, values] of Object.entries(doc.groups ?? {})) {
    if (!Array.isArray(values) || values.length !== rows) throw new Error(`${path}: groups.${dimension} must list one group per row (${rows} rows)`);
    groups[dimension] = values.map(String);
  }
  return { inputs, labels, extra, rows, groups };
}

/** Rows [start, end) of a tensor along its first axis, as a view. */
export function sliceRows(t: TensorData, start: number, end: number): TensorData {
  const per = t.data.length / t.dims[0];
  return { dtype: t.dtype, dims: [end - start, ...t.dims.slice(1)], data: t.data.subarray(start * per, end * per) };
}
