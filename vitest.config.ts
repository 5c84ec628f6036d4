import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // bin/specdrive.js runs the bundle in dist/: rebuilt here when a source is newer.
    globalSetup: ['test/setup/build-dist.ts'],
  },
});
