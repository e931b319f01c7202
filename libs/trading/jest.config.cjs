module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'trading',
  rootDir: __dirname,
  testEnvironment: require.resolve('./onnx-test-environment.cjs'),
};
