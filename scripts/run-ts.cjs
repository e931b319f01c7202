#!/usr/bin/env node
// Runs a TypeScript entry point without a build: SWC transpiles on the fly (decorator metadata
// included) and the tsconfig path aliases resolve to library sources.
const { join, resolve } = require('node:path');
process.env.SWC_NODE_PROJECT ??= join(__dirname, '..', 'tsconfig.base.json');
require('@swc-node/register');
const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.cjs <file.ts> [args...]');
  process.exit(2);
}
process.argv = [process.argv[0], resolve(entry), ...rest];
require(resolve(entry));
