// jest runs tests in a separate V8 context whose typed-array constructors differ from the host's;
// onnxruntime-node builds its output tensors in the host context and onnxruntime-common then
// refuses them ("A float32 tensor's data must be type of Float32Array"). Sharing the host's
// typed-array constructors with the test context makes `instanceof` agree.
const NodeEnvironment = require('jest-environment-node').TestEnvironment;

const SHARED = ['Float32Array', 'Float64Array', 'Int8Array', 'Uint8Array', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array', 'ArrayBuffer'];

class OnnxTestEnvironment extends NodeEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}
module.exports = OnnxTestEnvironment;
