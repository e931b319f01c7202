module.exports = { ...require('../../jest.preset.js'), displayName: 'aml', rootDir: __dirname };
