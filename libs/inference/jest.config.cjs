module.exports = { ...require('../../jest.preset.js'), displayName: 'inference', rootDir: __dirname };
