module.exports = { ...require('../../jest.preset.js'), displayName: 'clinical-nlp', rootDir: __dirname };
