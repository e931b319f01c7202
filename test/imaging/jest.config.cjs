module.exports = { ...require('../../jest.preset.js'), displayName: 'imaging-e2e', rootDir: __dirname, testTimeout: 300000 };
