module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'trading-app',
  rootDir: __dirname,
  // onnxruntime-node needs the host's typed arrays inside jest's context (see the file)
  testEnvironment: require.resolve('../../libs/trading/onnx-test-environment.cjs'),
};
