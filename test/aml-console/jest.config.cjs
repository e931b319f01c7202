// The AML console in a real browser (Debian's chromium through playwright-core) against the real
// AML service and database. Builds the console first when apps/aml-console/dist is missing or stale.
module.exports = { ...require('../../jest.preset.js'), displayName: 'aml-console-e2e', rootDir: __dirname, testTimeout: 120000 };
