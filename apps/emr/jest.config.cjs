module.exports = { ...require('../../jest.preset.js'), displayName: 'emr', rootDir: __dirname };
