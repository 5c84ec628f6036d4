/**
 * Validation survey of every real SVD in ../shared/data: for each file the errors and warnings of
 * `validate` (import + rules) on the SVD and on its canonical YAML (SVD → YAML → import), by code.
 * Not a test: run it to measure (`node --import tsx test/oracle/svd-survey.ts [--yaml]`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportNativeYaml } from '../../src/exporters/index.ts';
import { loadAndValidate } from '../../src/pipeline/load-spec.ts';
import { sharedSvdFiles, shortName } from './shared-svd-files.ts';

const withYaml = process.argv.includes('--yaml');
const dir = mkdtempSync(join(tmpdir(), 'specdrive-svd-survey-'));
const totals = { files: 0, failing: 0, errors: 0, warnings: 0, yamlFailing: 0, yamlErrors: 0, yamlWarnings: 0 };
const byCode = new Map<string, number>();
try {
  for (const file of sharedSvdFiles()) {
    const loaded = await loadAndValidate(file);
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    const warnings = loaded.diagnostics.filter((d) => d.severity === 'warning');
    for (const d of errors) byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
    totals.files++;
    totals.errors += errors.length;
    totals.warnings += warnings.length;
    if (errors.length > 0 || loaded.unusable) totals.failing++;
    let yamlNote = '';
    if (withYaml && loaded.device) {
      const out = join(dir, 'spec.yaml');
      writeFileSync(out, exportNativeYaml(loaded.device).value!);
      const again = await loadAndValidate(out);
      const yErrors = again.diagnostics.filter((d) => d.severity === 'error');
      totals.yamlErrors += yErrors.length;
      totals.yamlWarnings += again.diagnostics.filter((d) => d.severity === 'warning').length;
      if (yErrors.length > 0 || again.unusable) totals.yamlFailing++;
      const codes = [...new Set(yErrors.map((d) => d.code))].join(',');
      yamlNote = ` | yaml errors ${yErrors.length}${codes ? ` (${codes})` : ''}`;
    }
    const codes = [...new Set(errors.map((d) => d.code))].join(',');
    console.log(`${shortName(file)}: errors ${errors.length}${codes ? ` (${codes})` : ''}, warnings ${warnings.length}${yamlNote}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify({ ...totals, errorsByCode: Object.fromEntries(byCode) }));
