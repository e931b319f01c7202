import type { TensorDType } from '../registry/card';

export type TypedArray = Float32Array | BigInt64Array | Int32Array | Uint8Array | Int8Array;

/** A tensor as the runtime sees it: a flat typed array with explicit dims (row-major). */
export interface TensorData {
  dtype: TensorDType;
  dims: readonly number[];
  data: TypedArray;
}

const CTORS = {
  float32: Float32Array,
  int64: BigInt64Array,
  int32: Int32Array,
  uint8: Uint8Array,
  int8: Int8Array,
  bool: Uint8Array,
} as const;

export function allocate(dtype: TensorDType, length: number): TypedArray {
  return new CTORS[dtype](length);
}

export function dtypeOf(data: TypedArray): TensorDType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Int8Array) return 'int8';
  return 'uint8';
}

export const sizeOf = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);
