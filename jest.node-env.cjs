// Jest runs each test file in its own V8 context, whose typed-array constructors differ from the
// main context's. Native addons (onnxruntime-node) create output arrays in the main context, and the
// runtime then refuses them with "data must be type of Float32Array". Sharing the constructors keeps
// one realm for binary data.
const { TestEnvironment } = require('jest-environment-node');

const SHARED = ['ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Float32Array', 'Float64Array', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array', 'Buffer'];

class SharedBinaryEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) if (globalThis[name]) this.global[name] = globalThis[name];
  }
}

module.exports = SharedBinaryEnvironment;
