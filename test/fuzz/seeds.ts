/**
 * Real input files for the fuzz and hostile suites, read from ../shared/data (never copied into the
 * repository). Free of vitest imports: the hostile child processes use it too.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { projectRoot, sharedData } from '../project-root.ts';

export const DATA = `${sharedData}/`;

export function readData(relative: string): string {
  const bytes = readFileSync(DATA + relative);
  return (relative.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

/** A file of this project (e.g. the demo board's specs), located from the project root. */
export function readProjectFile(relative: string): string {
  return readFileSync(`${projectRoot}/${relative}`, 'utf8');
}

/**
 * A small but real SVD: the header and the first `count` peripherals of a vendor file. Whole vendor
 * SVDs take hundreds of milliseconds each; fuzzing wants many cases on real structure.
 */
export function svdSlice(relative: string, count: number, skip = 0): string {
  const text = readData(relative);
  const open = text.indexOf('<peripherals>');
  if (open < 0) throw new Error(`${relative} has no <peripherals>`);
  const blocks: string[] = [];
  let at = open;
  for (let i = 0; i < skip + count; i++) {
    const start = text.indexOf('<peripheral', at + 1);
    const end = text.indexOf('</peripheral>', start);
    if (start < 0 || end < 0) break;
    if (i >= skip) blocks.push(text.slice(start, end + '</peripheral>'.length));
    at = end;
  }
  return `${text.slice(0, open)}<peripherals>\n${blocks.join('\n')}\n</peripherals>\n</device>\n`;
}
