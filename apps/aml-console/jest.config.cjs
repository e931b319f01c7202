// Unit tests of the console's pure modules (conditions in words, money-flow layout); the browser
// end-to-end test lives in test/aml-console.
module.exports = { ...require('../../jest.preset.js'), displayName: 'aml-console', rootDir: __dirname, testPathIgnorePatterns: ['/node_modules/', '/dist/'] };
