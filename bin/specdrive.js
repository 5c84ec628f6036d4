#!/usr/bin/env node
// The installed command: runs the bundle built by `npm run build` (the repository's `prepare` builds
// it on `npm install`). Repository scripts and tests may run the TypeScript sources through tsx.
import { runCli, processContext } from '../dist/specdrive.js';

try {
  process.exitCode = await runCli(process.argv.slice(2), processContext());
} catch (error) {
  process.stderr.write(`specdrive: internal error: ${error?.stack ?? error}\n`);
  process.exitCode = 2;
}
