module.exports = { ...require('../../jest.preset.js'), displayName: 'hl7', rootDir: __dirname };
