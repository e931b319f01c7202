// `npm run test:resilience`: generated malformed input at every parser of the suite (fast-check,
// bounded runs), and fault tests against running services.
module.exports = { ...require('../../jest.preset.js'), displayName: 'resilience', rootDir: __dirname, testTimeout: 120000 };
