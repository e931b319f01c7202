module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'trading-app',
  rootDir: __dirname,
};
