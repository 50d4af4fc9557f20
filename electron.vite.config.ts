// Build of the three bundles: main (ESM), preload (CommonJS: sandboxed preloads cannot be ESM)
// and the Svelte renderer. The renderer is a plain web build, so the same output runs in
// Electron and, for the end-to-end tests, in Debian's Chromium. SOFTPHONE_TEST_HOOKS=1 builds
// the test variant into out-test/ with the Playwright `_electron` hooks compiled in; the normal
// build (out/) never contains them.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { inlineBinary } from './scripts/vite/inline-binary';
import { devCsp } from './scripts/vite/dev-csp';
import { packageFields } from './scripts/vite/package-fields';
import { jssipDeferred } from './scripts/vite/jssip-deferred';
import { startupShared } from './scripts/vite/startup-shared';

const shared = resolve(import.meta.dirname, 'src-main/shared');
const testHooks = process.env.SOFTPHONE_TEST_HOOKS === '1';
const outRoot = testHooks ? 'out-test' : 'out';
// Besides the startup file, the renderer's accounts wait for the parts and the dial code before
// they register (state/root.ts): the code those two share is one chunk (startup-shared.ts).
const afterStartup = startupShared(
  /src[\\/]lib[\\/](state[\\/]parts|phone[\\/]dial-code-impl)\.ts$/,
);

export default defineConfig({
  main: {
    resolve: { alias: { '@shared': shared } },
    define: { __SOFTPHONE_TEST_HOOKS__: JSON.stringify(testHooks) },
    build: {
      outDir: `${outRoot}/main`,
      externalizeDeps: { exclude: [] },
      sourcemap: false,
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'src-main/index.ts') },
      },
    },
  },
  preload: {
    resolve: { alias: { '@shared': shared } },
    build: {
      outDir: `${outRoot}/preload`,
      externalizeDeps: false,
      // Sandboxed preloads cannot require a chunk of their own: each one is a single file.
      isolatedEntries: true,
      sourcemap: false,
      rolldownOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src-main/preload/index.ts'),
          popup: resolve(import.meta.dirname, 'src-main/preload/popup.ts'),
        },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src-renderer'),
    resolve: {
      alias: {
        '@shared': shared,
        // JsSIP's logs go through `debug`; a small stand-in with the same surface keeps it
        // (and `ms`) out of the startup bundle (issue 19).
        debug: resolve(import.meta.dirname, 'src-renderer/src/lib/phone/jssip-debug.cjs'),
        // …and its classes extend Node's EventEmitter: a smaller one with the same behaviour.
        events: resolve(import.meta.dirname, 'src-renderer/src/lib/phone/jssip-events.cjs'),
      },
    },
    plugins: [
      inlineBinary(),
      packageFields(['node_modules/jssip/package.json'], ['name', 'title', 'version', 'homepage']),
      // JsSIP's session, MESSAGE and subscription classes are a chunk of their own (issue 19).
      jssipDeferred(resolve(import.meta.dirname, 'src-renderer/src/lib/phone/jssip-deferred.ts')),
      svelte({ configFile: resolve(import.meta.dirname, 'svelte.config.js') }),
      devCsp(),
      afterStartup.plugin,
    ],
    build: {
      outDir: resolve(import.meta.dirname, `${outRoot}/renderer`),
      // electron-vite leaves the renderer unminified by default; the startup budget (issue 19)
      // counts minified, gzipped JS. Views off the first screen are separate chunks (lazy()).
      minify: true,
      sourcemap: false,
      // Chromium preloads modules itself: no polyfill in the startup file.
      modulePreload: { polyfill: false },
      // The startup chunk is one file on purpose (≈ 345 KB raw, 96 KB gz; see codeSplitting).
      chunkSizeWarningLimit: 600,
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'src-renderer/index.html') },
        // Svelte's custom-element support defines a class at load (a side effect the bundler
        // keeps, with the legacy component API it imports); no component here is a custom
        // element, so it is dropped (≈ 1 KB gz of the startup file).
        treeshake: {
          moduleSideEffects: [
            {
              test: /svelte[\\/]src[\\/]internal[\\/]client[\\/]dom[\\/]elements[\\/]custom-element\.js$/,
              sideEffects: false,
            },
          ],
        },
        // What the first load needs is one file (each small chunk gzips on its own and costs
        // its own request), and what the parts and the dial code share one more; lazy chunks
        // stay split.
        output: {
          codeSplitting: {
            groups: [
              { name: 'startup', tags: ['$initial'], priority: 2 },
              { name: 'shared', test: afterStartup.test, priority: 1 },
            ],
          },
        },
      },
    },
  },
});
