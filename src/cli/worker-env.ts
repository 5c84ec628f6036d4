/** Set (to `1`) in the environment of the worker process a supervised command runs in (src/cli/signals.ts). */
export const WORKER_ENV = 'SPECDRIVE_WORKER';
