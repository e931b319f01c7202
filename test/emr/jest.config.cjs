module.exports = { ...require('../../jest.preset.js'), displayName: 'emr-e2e', rootDir: __dirname, testTimeout: 180000 };
