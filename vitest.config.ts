import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests import the package by its name, as a library user does, and get the current source.
  resolve: { alias: { mxtls: fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    // Unit and integration tests see the same build: dist/ is brought up to date first.
    globalSetup: ['test/helpers/build-dist.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'default', include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'], sequence: { groupOrder: 0 } } },
      {
        extends: true,
        test: {
          name: 'interop',
          include: ['test/interop/**/*.test.ts'],
          // Real MTAs on fixed 127.0.0.x:25 and the fake DNS on port 53: one file at a time,
          // after the other tests, so nothing else competes for ports or CPU.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          // Postfix's start script takes a few seconds per instance.
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
