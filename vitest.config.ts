// Test projects: unit (pure code and services with fakes), integration (real keychain, real
// Kamailio/rtpengine/baresip, real files), e2e (the built renderer in Debian's Chromium against
// the lab) and electron (the packaged app, only where an Electron binary exists).
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

const alias = { '@shared': resolve(import.meta.dirname, 'src-main/shared') };
/** Every test must assert something (a test without an expect fails). */
const expectOptions = { requireAssertions: true };
/**
 * Suites on real servers and browsers wait for events with expect.poll; its 1 s default would
 * turn each wait into a timing assertion on a loaded machine, so the bound is generous.
 */
const eventExpectOptions = { ...expectOptions, poll: { timeout: 15_000 } };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          expect: expectOptions,
          include: ['test/unit/**/*.test.ts'],
          // The dial parser and JsSIP's session code are chunks the app loads before any account
          // starts, the conference and transfer code one it fetches once started; so do the tests.
          setupFiles: [
            'test/unit/load-dial-code.ts',
            'test/unit/load-jssip-sessions.ts',
            'test/unit/load-call-actions.ts',
          ],
          environment: 'node',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          expect: eventExpectOptions,
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          expect: eventExpectOptions,
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'electron',
          expect: eventExpectOptions,
          include: ['test/electron/**/*.test.ts'],
          globalSetup: ['test/electron/setup.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
