import type { Command } from '../command.ts';
import { validateCommand } from './validate.ts';
import { checkCommand } from './check.ts';
import { ciCommand } from './ci.ts';
import { demoCommand } from './demo.ts';
import { initCommand, newRevisionCommand } from './init.ts';
import { schemaCommand } from './schema.ts';
import { generateCommand } from './generate.ts';
import { simCommand } from './sim.ts';
import { importCommand } from './import.ts';
import { diffCommand } from './diff.ts';

/** Every CLI command; `specdrive --help` lists them in this order. */
export const commands: readonly Command[] = [validateCommand, checkCommand, ciCommand, demoCommand, initCommand, newRevisionCommand, schemaCommand, generateCommand, simCommand, importCommand, diffCommand];
