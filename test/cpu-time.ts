/**
 * CPU time of this process, for hang and blow-up guards. Wall-clock time depends on what else the
 * machine runs (the suite must pass beside a CPU hog); the CPU time a computation needs does not.
 */
export function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs `work` and returns its value and the CPU milliseconds it took. */
export function withCpuTime<T>(work: () => T): { value: T; cpuMs: number } {
  const start = cpuNow();
  const value = work();
  return { value, cpuMs: cpuNow() - start };
}

/**
 * The one hang guard of the suite: fails when a computation took more CPU time than `guardMs`,
 * which must sit at least 10× above its normal cost (said next to each guard). CPU time, never
 * wall-clock time: under a loaded machine only the wall clock grows. Speed itself belongs in
 * `npm run bench`.
 */
export function expectWithinHangGuard(cpuMs: number, guardMs: number, what: string): void {
  if (!(cpuMs < guardMs)) throw new Error(`${what} took ${Math.round(cpuMs)} ms of CPU time; its hang guard is ${guardMs} ms`);
}
