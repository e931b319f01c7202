// Writes apps/trading/schema.graphql from the code:  node scripts/run-ts.cjs apps/trading/src/cli/print-schema.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTradingSdl } from '../graphql/schema-sdl';

void buildTradingSdl().then((sdl) => {
  const path = join(__dirname, '../../schema.graphql');
  writeFileSync(path, sdl);
  console.log(`wrote ${path} (${sdl.length} bytes)`);
});
