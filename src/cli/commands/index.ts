import type { Command } from '../command.ts';
import { validateCommand } from './validate.ts';

/** Every CLI command; `specdrive --help` lists them in this order. */
export const commands: readonly Command[] = [validateCommand];
