import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { CiReport } from '../pipeline/ci-types.ts';
import { diagnosticsToSarif } from '../diagnostics/sarif.ts';
import { ciHtml } from './html.ts';
import { ciMarkdown } from './markdown.ts';

/** Every diagnostic of the run, project-level and per revision, for SARIF. */
export function allDiagnostics(report: CiReport): CiReport['diagnostics'] {
  return [...report.diagnostics, ...report.revisions.flatMap((r) => r.diagnostics)];
}

export function reportFiles(report: CiReport): Record<string, string> {
  return {
    'index.html': ciHtml(report),
    'report.md': ciMarkdown(report),
    'report.json': JSON.stringify(report, null, 2) + '\n',
    'report.sarif': diagnosticsToSarif(allDiagnostics(report)),
  };
}

/**
 * Writes the report folder in one swap: the files go to a staging folder beside it, which then
 * replaces the old folder, so a reader never sees half a report.
 */
export function writeReport(dir: string, report: CiReport): string {
  const target = resolve(dir);
  const staging = join(dirname(target), `.report.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(staging, { recursive: true });
  for (const [name, contents] of Object.entries(reportFiles(report))) writeFileSync(join(staging, name), contents);
  const old = `${target}.old-${process.pid}`;
  if (existsSync(target)) renameSync(target, old);
  renameSync(staging, target);
  rmSync(old, { recursive: true, force: true });
  return target;
}
