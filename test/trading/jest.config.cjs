module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'trading-e2e',
  rootDir: __dirname,
};
