// The AML service as `npm start` runs it: a real process on the embedded database, demo bank seeded.
module.exports = { ...require('../../jest.preset.js'), displayName: 'aml-e2e', rootDir: __dirname };
