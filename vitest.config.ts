import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Hang guards, not speed limits: the suite must pass beside a CPU hog, where the largest real
    // files (the STM32H563 YAML round trip) take several times their quiet-machine duration.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // bin/specdrive.js runs the bundle in dist/: rebuilt here when a source is newer.
    globalSetup: ['test/setup/build-dist.ts'],
  },
});
