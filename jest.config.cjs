// `npm test` runs every project: libraries, services, models and the cross-service tests under test/.
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const projects = ['libs', 'apps', 'test']
  .flatMap((group) => (existsSync(join(__dirname, group)) ? readdirSync(join(__dirname, group)).map((p) => join(__dirname, group, p, 'jest.config.cjs')) : []))
  .concat(join(__dirname, 'models', 'jest.config.cjs'))
  .filter((p) => existsSync(p) && !p.includes(`${join('test', 'resilience')}`));

// testTimeout is global in jest (per-project values are ignored when run from here)
module.exports = { projects, maxWorkers: 2, testTimeout: 180000 };
