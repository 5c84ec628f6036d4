/** One revision's cached result: `<output>/.cache/<board>/<revision>.json`, written atomically. */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { projectPath, type Project } from '../project/index.ts';
import type { RevisionReport } from './ci-types.ts';

export const cacheFile = (output: string, board: string, revision: string): string => join(output, '.cache', board, `${revision}.json`);

export function readCache(project: Project, file: string, key: string, siblingsKey: string): RevisionReport | undefined {
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as RevisionReport;
    if (cached.inputsKey !== key) return undefined;
    if (cached.siblingsKey !== undefined && cached.siblingsKey !== siblingsKey) return undefined;
    if (!cached.generated.every((g) => existsSync(projectPath(project, g.dir)))) return undefined;
    return { ...cached, cached: true };
  } catch {
    return undefined;
  }
}

export function writeCache(file: string, report: RevisionReport): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(report) + '\n');
  renameSync(temp, file);
}
