// Vitest wiring for the SIP lab: start before the file's tests, stop after them, keep logs when a test failed.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startLab, type Lab, type StartLabOptions } from '../lab/lab';

/** Handle returned by {@link useLab}; `lab` is available inside tests and hooks after beforeAll. */
export interface LabHandle {
  readonly lab: Lab;
  /** True once any test of the file failed (its logs will be kept). */
  readonly failed: boolean;
}

/**
 * Registers beforeAll/beforeEach/afterAll hooks that start a lab once for the current file (or
 * describe block) and always stop it afterwards. The log dir is kept when a test failed or
 * LAB_KEEP_LOGS=1; otherwise it is deleted.
 */
export function useLab(opts: StartLabOptions = {}): LabHandle {
  let lab: Lab | undefined;
  let failed = false;
  beforeAll(async () => {
    lab = await startLab(opts);
  });
  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      failed = true;
    });
  });
  afterAll(async () => {
    if (lab !== undefined) {
      if (failed) {
        console.error(`lab logs kept in ${lab.logDir}`);
      }
      await lab.stop({ failed });
    }
  });
  return {
    get lab(): Lab {
      if (lab === undefined) {
        throw new Error('useLab: the lab is not started (use it inside tests or hooks)');
      }
      return lab;
    },
    get failed(): boolean {
      return failed;
    },
  };
}
