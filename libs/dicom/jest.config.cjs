module.exports = { ...require('../../jest.preset.js'), displayName: 'dicom', rootDir: __dirname };
