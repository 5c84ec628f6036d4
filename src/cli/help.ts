import type { Command } from './command.ts';

/** The exit codes every command shares (docs/cli.md). */
export const COMMON_EXIT_CODES = ['0  clean', '1  findings at or above --fail-on', '2  unusable input or a usage error'];

/** `specdrive COMMAND --help`: usage, every option with its default, examples and exit codes. */
export function commandHelp(command: Command): string {
  const options = Object.entries(command.options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ' VALUE' : ''}`;
    const notes = [o.multiple ? 'repeatable' : '', o.default !== undefined && o.default !== false ? `default: ${String(o.default)}` : '']
      .filter(Boolean)
      .join(', ');
    return `  ${flag.padEnd(30)}${notes}`.trimEnd();
  });
  return [
    `usage: specdrive ${command.usage}`,
    '',
    'options:',
    ...options,
    '  -h, --help',
    '',
    'examples:',
    ...command.examples.map((e) => `  ${e}`),
    '',
    'exit codes:',
    ...(command.exitCodes ?? COMMON_EXIT_CODES).map((e) => `  ${e}`),
    '',
  ].join('\n');
}
