// The packaging checks (`npm run package:check`, after `npm run build`): electron-builder runs
// for real on a placeholder Electron, plus config, icon and installer-script checks, and the
// real-binary check where an Electron distribution exists. Kept out of the default projects.
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: resolve(import.meta.dirname, '../..'),
    include: ['test/packaging/**/*.test.ts'],
    environment: 'node',
    // Every test must assert something (a test without an expect fails).
    expect: { requireAssertions: true },
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
