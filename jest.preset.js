// Shared jest settings: SWC transpiles TypeScript (decorator metadata included, for NestJS DI),
// and the tsconfig path aliases resolve to library sources, so tests never need a build.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = __dirname;
const swc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
delete swc.$schema;
swc.sourceMaps = 'inline';
// keep import() native so ES-module-only packages load under --experimental-vm-modules
swc.module = { ...swc.module, ignoreDynamic: true };
const { paths } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions;
const moduleNameMapper = Object.fromEntries(
  Object.entries(paths).map(([alias, [target]]) => [`^${alias.replace('/', '\\/')}$`, join(root, target)]),
);

module.exports = {
  testEnvironment: join(root, 'jest.node-env.cjs'),
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { ...swc, swcrc: false }] },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  moduleNameMapper,
  testMatch: ['**/?(*.)+(spec|test).ts?(x)'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Keep Nx/jest from confusing the many ORT worker threads with leaks.
  testTimeout: 30000,
};
