// Compile-time flags set by electron.vite.config.ts (`define`). Undefined outside that build
// (vitest), so code reads them as `typeof X !== 'undefined' && X`.

/** True only in the test build (SOFTPHONE_TEST_HOOKS=1 → out-test/): exposes test hooks. */
declare const __SOFTPHONE_TEST_HOOKS__: boolean;
