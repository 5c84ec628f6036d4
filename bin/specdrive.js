#!/usr/bin/env node
// specdrive is written in TypeScript and run through tsx, so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli, processContext } = await import('../src/cli/main.ts');
try {
  process.exitCode = await runCli(process.argv.slice(2), processContext());
} catch (error) {
  process.stderr.write(`specdrive: internal error: ${error?.stack ?? error}\n`);
  process.exitCode = 2;
}
