module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'trading-e2e',
  rootDir: __dirname,
  // onnxruntime-node needs the host's typed arrays inside jest's context
  testEnvironment: require.resolve('../../libs/trading/onnx-test-environment.cjs'),
};
