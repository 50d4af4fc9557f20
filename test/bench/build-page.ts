// Builds the history/contacts test page (test/bench/pages/history-contacts) with Vite's JS API
// into a temporary directory, for the e2e test and the benchmark to serve with serveStatic.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build } from 'vite';

const ROOT = resolve(import.meta.dirname, '../..');

/** A built page: its directory and how to remove it. */
export interface BuiltPage {
  dir: string;
  remove(): Promise<void>;
}

/** Builds the page; the caller removes it when done. */
export async function buildHistoryContactsPage(): Promise<BuiltPage> {
  const dir = await mkdtemp(join(tmpdir(), 'history-contacts-page-'));
  await build({
    configFile: false,
    root: resolve(import.meta.dirname, 'pages/history-contacts'),
    base: './',
    logLevel: 'warn',
    resolve: { alias: { '@shared': join(ROOT, 'src-main/shared') } },
    plugins: [svelte({ configFile: join(ROOT, 'svelte.config.js') })],
    build: { outDir: dir, emptyOutDir: true, sourcemap: false, minify: true },
  });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
