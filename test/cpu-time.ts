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
