// Builds test pages of real app components (e.g. test/bench/pages/history-contacts) with Vite's
// JS API into a temporary directory, for e2e tests and benchmarks to serve with serveStatic.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build } from 'vite';
import { inlineBinary } from '../../scripts/vite/inline-binary';

const ROOT = resolve(import.meta.dirname, '../..');

/** A built page: its directory and how to remove it. */
export interface BuiltPage {
  dir: string;
  remove(): Promise<void>;
}

/** Builds the page; the caller removes it when done. */
export function buildHistoryContactsPage(): Promise<BuiltPage> {
  return buildTestPage(resolve(import.meta.dirname, 'pages/history-contacts'));
}

/** Builds a test page (a folder with index.html) of real app components into a temp dir. */
export async function buildTestPage(root: string): Promise<BuiltPage> {
  const dir = await mkdtemp(join(tmpdir(), 'test-page-'));
  await build({
    configFile: false,
    root,
    base: './',
    logLevel: 'warn',
    resolve: { alias: { '@shared': join(ROOT, 'src-main/shared') } },
    plugins: [inlineBinary(), svelte({ configFile: join(ROOT, 'svelte.config.js') })],
    build: {
      outDir: dir,
      emptyOutDir: true,
      sourcemap: false,
      minify: true,
      chunkSizeWarningLimit: 4096,
    },
  });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
