import * as ort from 'onnxruntime-node';
import { readFile } from 'node:fs/promises';
import type { BackendSession, ExecutionDevice, InferenceBackend } from './inference-backend';
import type { TensorData } from './tensor';

ort.env.logLevel = 'fatal'; // the runtime's own stderr line duplicates our error

export class CudaUnavailableError extends Error {
  constructor(model: string, cause: string) {
    super(`INFERENCE_DEVICE=cuda but the CUDA execution provider could not be loaded for ${model}: ${cause}. ` +
      'Install onnxruntime-node with ONNXRUNTIME_NODE_INSTALL=cuda12 on a machine with an NVIDIA GPU and CUDA 12, or use INFERENCE_DEVICE=auto|cpu.');
    this.name = 'CudaUnavailableError';
  }
}

export interface ProviderChoice {
  provider: 'cpu' | 'cuda';
  /** Why CUDA was not used under `auto` (absent when it was, or not asked). */
  fallbackReason?: string;
}

/** In-process ONNX Runtime. `auto` tries CUDA then falls back to CPU; `cuda` fails loudly. */
export class OnnxRuntimeBackend implements InferenceBackend {
  readonly name = 'onnxruntime';

  constructor(private readonly log: (msg: string, fields?: Record<string, unknown>) => void = () => undefined) {}

  async createSession(model: { name: string; path: string; bytes?: Uint8Array }, options: { device: ExecutionDevice; threads?: number }): Promise<BackendSession> {
    const bytes = model.bytes ?? new Uint8Array(await readFile(model.path));
    const base: ort.InferenceSession.SessionOptions = {
      graphOptimizationLevel: 'all',
      intraOpNumThreads: options.threads ?? 1,
      interOpNumThreads: 1,
    };
    let session: ort.InferenceSession;
    let choice: ProviderChoice;
    if (options.device === 'cpu') {
      session = await ort.InferenceSession.create(bytes, { ...base, executionProviders: ['cpu'] });
      choice = { provider: 'cpu' };
    } else {
      try {
        session = await ort.InferenceSession.create(bytes, { ...base, executionProviders: ['cuda'] });
        choice = { provider: 'cuda' };
      } catch (err) {
        const reason = (err as Error).message.split('\n')[0];
        if (options.device === 'cuda') throw new CudaUnavailableError(model.name, reason);
        session = await ort.InferenceSession.create(bytes, { ...base, executionProviders: ['cpu'] });
        choice = { provider: 'cpu', fallbackReason: reason };
      }
    }
    this.log(`model ${model.name} runs on ${choice.provider}`, { model: model.name, provider: choice.provider, requested: options.device, fallbackReason: choice.fallbackReason });
    return new OrtSession(session, choice.provider);
  }
}

class OrtSession implements BackendSession {
  constructor(
    private readonly session: ort.InferenceSession,
    readonly provider: string,
  ) {}

  get inputNames() {
    return this.session.inputNames;
  }
  get outputNames() {
    return this.session.outputNames;
  }

  async run(feeds: Record<string, TensorData>): Promise<Record<string, TensorData>> {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(t.dtype as 'float32', t.data as Float32Array, t.dims);
    const out = await this.session.run(ortFeeds);
    const result: Record<string, TensorData> = {};
    for (const [name, t] of Object.entries(out)) result[name] = { dtype: t.type as TensorData['dtype'], dims: t.dims, data: t.data as TensorData['data'] };
    return result;
  }

  release() {
    return this.session.release();
  }
}
