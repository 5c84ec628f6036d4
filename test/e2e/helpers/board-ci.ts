import { afterAll, beforeAll, expect } from 'vitest';
import type { CiReport, RevisionReport } from '../../../src/pipeline/ci-types.ts';
import { copyBoardProject, readJsonReport, removeProject, runSpecdrive, type CliRun } from './project-copy.ts';

/** One `specdrive ci --fresh` of a board project in boards/, run once for the whole test file. */
export interface BoardCi {
  readonly project: string;
  readonly run: CliRun;
  readonly report: CiReport;
}

/** Copies boards/<name>, runs ci on it before the file's tests and removes the copy after them. */
export function useBoardCi(name: string): BoardCi {
  const state = {} as { project: string; run: CliRun; report: CiReport };
  beforeAll(async () => {
    state.project = copyBoardProject(name);
    state.run = await runSpecdrive(['ci', '--fresh'], state.project);
    state.report = readJsonReport(state.project);
  }, 900_000);
  afterAll(() => removeProject(state.project));
  return state;
}

/** Every target of the revision compiled, and its scenarios ran on the interpreter and each target. */
export function expectEveryTargetRan(r: RevisionReport): void {
  expect(r.compiled.map((c) => `${c.target}:${c.status}`).sort(), r.revision).toEqual(['c:passed', 'python:passed', 'typescript:passed']);
  expect([...new Set(r.scenarios.map((s) => s.target))].sort(), r.revision).toEqual(['c', 'interpreted', 'python', 'typescript']);
}
