/**
 * Compares specdrive's SVD import with cmsis-svd on any files, by hand (the giants, files outside
 * ../shared/data): `node --import tsx test/oracle/svd-oracle-compare.ts FILE.svd[.gz]...`.
 * Prints per file the register count on both sides and the first lines only one side has.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { importFile } from '../../src/importers/index.ts';
import { oracleLines } from './svd-oracle-lines.ts';

const files = process.argv.slice(2);
const oracle = JSON.parse(
  execFileSync('python3', [join(import.meta.dirname, 'svd-cmsis-oracle.py'), ...files], { encoding: 'utf8', maxBuffer: 1 << 28 }),
) as Record<string, { version: string; registers?: string[]; error?: string }>;
let differing = 0;
for (const file of files) {
  const ours = oracleLines(importFile(file).value!);
  if (oracle[file]!.error !== undefined) {
    differing++;
    console.log(`${file}: cmsis-svd ${oracle[file]!.version} cannot read it: ${oracle[file]!.error}`);
    continue;
  }
  const theirs = oracle[file]!.registers!;
  const only = (a: readonly string[], b: readonly string[]): string[] => {
    const set = new Set(b);
    return a.filter((l) => !set.has(l));
  };
  const onlyOurs = only(ours, theirs);
  const onlyTheirs = only(theirs, ours);
  if (onlyOurs.length + onlyTheirs.length > 0 || ours.length !== theirs.length) differing++;
  console.log(
    `${file}: specdrive ${ours.length} registers, cmsis-svd ${oracle[file]!.version} ${theirs.length}; only specdrive ${onlyOurs.length}, only cmsis-svd ${onlyTheirs.length}`,
  );
  for (const l of onlyOurs.slice(0, 3)) console.log(`  specdrive: ${l.slice(0, 240)}`);
  for (const l of onlyTheirs.slice(0, 3)) console.log(`  cmsis-svd: ${l.slice(0, 240)}`);
}
process.exitCode = differing > 0 ? 1 : 0;
