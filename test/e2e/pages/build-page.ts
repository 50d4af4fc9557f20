// Builds a component test page (a folder under test/e2e/pages with index.html + main.ts) with
// Vite's JS API and the app's Svelte config, into `outDir`, for serveStatic(outDir).
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build } from 'vite';
import { inlineBinary } from '../../../scripts/vite/inline-binary';

const REPO = resolve(import.meta.dirname, '../../..');

/** Builds test/e2e/pages/<name> into outDir. */
export async function buildTestPage(name: string, outDir: string): Promise<void> {
  await build({
    root: resolve(import.meta.dirname, name),
    configFile: false,
    logLevel: 'warn',
    resolve: { alias: { '@shared': resolve(REPO, 'src-main/shared') } },
    plugins: [inlineBinary(), svelte({ configFile: resolve(REPO, 'svelte.config.js') })],
    build: { outDir, emptyOutDir: true, sourcemap: false },
  });
}
