/**
 * Accept/reject per SystemRDL file, systemrdl-compiler against `specdrive validate` (import + every
 * validation rule), on the shared corpus and the issue-20 class fixtures. Prints one line per file
 * and the totals; disagreements are marked.
 *
 *   node --import tsx test/unit/systemrdl/oracle/verdicts.ts
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSystemRdl } from '../../../../src/importers/systemrdl/index.ts';
import { validateDevice } from '../../../../src/validate/index.ts';
import { listFiles, RDL_DIR, runOracle } from '../helpers.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const classes = listFiles(fileURLToPath(new URL('../classes/', import.meta.url)), '.rdl');
// Files only ever included by others, and all.rdl (a multi-file job), are not standalone inputs.
const skip = new Set(['pci_enums.rdl', 'pci_bar.rdl', 'sata_constants.rdl', 'all.rdl']);
const files = [...listFiles(RDL_DIR, '.rdl').filter((f) => !skip.has(basename(f))), ...classes];
const oracle = runOracle(files.map((f) => ({ files: [f] })));
const version = execFileSync('python3', ['-c', 'import systemrdl; print(systemrdl.__version__)'], { encoding: 'utf8' }).trim();

const totals = { theyAccept: 0, weAccept: 0, bothAccept: 0, falseRejects: 0, falseAccepts: 0, perl: 0 };
for (const [k, file] of files.entries()) {
  const text = readFileSync(file, 'utf8');
  const compiled = compileSystemRdl(text, file);
  const device = compiled.value?.device;
  const errors = [...compiled.diagnostics, ...(device ? validateDevice(device) : [])].filter((d) => d.severity === 'error');
  const we = errors.length === 0;
  const they = oracle[k]!.ok;
  const perl = text.includes('<%');
  if (they) totals.theyAccept++;
  if (we) totals.weAccept++;
  if (we && they) totals.bothAccept++;
  if (they && !we) {
    if (perl) totals.perl++;
    else totals.falseRejects++;
  }
  if (!they && we) totals.falseAccepts++;
  const mark = they === we ? '' : they ? (perl ? '  (false reject: embedded Perl, refused by design)' : '  FALSE REJECT') : '  FALSE ACCEPT';
  console.log(
    `${they ? 'accept' : 'reject'} ${we ? 'accept' : 'reject'}  ${relative(root, file)}${mark}${!we ? `  [${[...new Set(errors.map((e) => e.code))].join(', ')}]` : ''}`,
  );
}
console.log(`\nsystemrdl-compiler ${version} vs specdrive on ${files.length} files (${classes.length} class fixtures):`);
console.log(`  reference accepts ${totals.theyAccept}, specdrive accepts ${totals.weAccept}, both ${totals.bothAccept}`);
console.log(`  false rejects ${totals.falseRejects} (+ ${totals.perl} embedded-Perl files, refused by design), false accepts ${totals.falseAccepts}`);
