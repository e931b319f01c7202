import type { TensorData } from './tensor';

export type ExecutionDevice = 'auto' | 'cpu' | 'cuda';

/** One loaded model on one backend. */
export interface BackendSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** The execution provider actually in use ('cpu', 'cuda', or a remote endpoint). */
  readonly provider: string;
  run(feeds: Record<string, TensorData>): Promise<Record<string, TensorData>>;
  release(): Promise<void>;
}

/**
 * Where models run: in-process ONNX Runtime, or a remote KServe v2 / Triton server. Backends are
 * registered by name and chosen by configuration; nothing here knows about any domain.
 */
export interface InferenceBackend {
  readonly name: string;
  createSession(model: { name: string; path: string; bytes?: Uint8Array }, options: { device: ExecutionDevice; threads?: number }): Promise<BackendSession>;
}
