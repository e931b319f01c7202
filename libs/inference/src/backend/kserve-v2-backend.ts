import type { BackendSession, ExecutionDevice, InferenceBackend } from './inference-backend';
import { allocate, type TensorData, type TypedArray } from './tensor';
import type { TensorDType } from '../registry/card';

/** KServe v2 / Triton datatype names. */
const TO_V2: Record<TensorDType, string> = { float32: 'FP32', int64: 'INT64', int32: 'INT32', uint8: 'UINT8', int8: 'INT8', bool: 'BOOL' };
const FROM_V2: Record<string, TensorDType> = Object.fromEntries(Object.entries(TO_V2).map(([k, v]) => [v, k as TensorDType]));

interface V2Tensor {
  name: string;
  shape: number[];
  datatype: string;
  data: (number | string | boolean)[];
}

export class RemoteInferenceError extends Error {
  constructor(url: string, message: string) {
    super(`Remote inference at ${url} failed: ${message}`);
    this.name = 'RemoteInferenceError';
  }
}

/**
 * A model served by a remote KServe v2 / Triton server over HTTP/JSON (the Open Inference
 * Protocol), so a model that outgrows one machine moves without touching domain code. Selected
 * per model: INFERENCE_REMOTE="aml-txn=http://triton:8000,nodule=http://gpu-pool:8000".
 */
export class KServeV2Backend implements InferenceBackend {
  readonly name = 'kserve-v2';

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async createSession(model: { name: string }, _options: { device: ExecutionDevice }): Promise<BackendSession> {
    const url = `${this.baseUrl.replace(/\/$/, '')}/v2/models/${encodeURIComponent(model.name)}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) }).catch((e) => {
      throw new RemoteInferenceError(url, (e as Error).message);
    });
    if (!res.ok) throw new RemoteInferenceError(url, `model metadata answered ${res.status}`);
    const meta = (await res.json()) as { inputs: { name: string }[]; outputs: { name: string }[] };
    return new KServeSession(url, meta.inputs.map((i) => i.name), meta.outputs.map((o) => o.name), this.timeoutMs);
  }
}

class KServeSession implements BackendSession {
  readonly provider: string;
  constructor(
    private readonly url: string,
    readonly inputNames: string[],
    readonly outputNames: string[],
    private readonly timeoutMs: number,
  ) {
    this.provider = `kserve-v2 ${url}`;
  }

  async run(feeds: Record<string, TensorData>): Promise<Record<string, TensorData>> {
    const body = {
      inputs: Object.entries(feeds).map(([name, t]) => ({
        name,
        shape: [...t.dims],
        datatype: TO_V2[t.dtype],
        data: t.dtype === 'int64' ? Array.from(t.data as BigInt64Array, Number) : Array.from(t.data as Float32Array),
      })),
      outputs: this.outputNames.map((name) => ({ name })),
    };
    const res = await fetch(`${this.url}/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    }).catch((e) => {
      throw new RemoteInferenceError(this.url, (e as Error).message);
    });
    if (!res.ok) throw new RemoteInferenceError(this.url, `infer answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    const answer = (await res.json()) as { outputs: V2Tensor[] };
    const out: Record<string, TensorData> = {};
    for (const t of answer.outputs) {
      const dtype = FROM_V2[t.datatype];
      if (!dtype) throw new RemoteInferenceError(this.url, `unsupported datatype ${t.datatype}`);
      const data: TypedArray = allocate(dtype, t.data.length);
      if (dtype === 'int64') (data as BigInt64Array).set(t.data.map((v) => BigInt(v as number)));
      else (data as Float32Array).set(t.data.map(Number));
      out[t.name] = { dtype, dims: t.shape, data };
    }
    return out;
  }

  async release() {
    /* nothing held locally */
  }
}

/** Parses INFERENCE_REMOTE ("model=url,model2=url2"). */
export function parseRemoteModels(spec: string | undefined): Record<string, string> {
  if (!spec) return {};
  return Object.fromEntries(
    spec
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((pair) => {
        const [name, url] = pair.split('=');
        if (!name || !url || !/^https?:\/\//.test(url)) throw new Error(`INFERENCE_REMOTE entry "${pair}" must be <model>=<http(s) url>`);
        return [name.trim(), url.trim()];
      }),
  );
}
