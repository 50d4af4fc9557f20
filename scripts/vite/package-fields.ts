// A Vite plugin: a dependency's `require('../package.json')` gets only the fields it reads, not
// the whole manifest (its scripts, dependencies and keywords). JsSIP reads its name, title,
// version and homepage for the User-Agent header and its exports; its package.json would
// otherwise be ≈ 1 KB gz of the renderer's startup file (issue 19).
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'vite';

/** Keeps `fields` of each package.json whose path ends with one of `manifests`. */
export function packageFields(manifests: readonly string[], fields: readonly string[]): Plugin {
  return {
    name: 'softphone-package-fields',
    enforce: 'pre',
    async load(id) {
      if (!manifests.some((m) => id.endsWith(m))) {
        return null;
      }
      const manifest = JSON.parse(await readFile(id, 'utf8')) as Record<string, unknown>;
      const kept = Object.fromEntries(fields.map((f) => [f, manifest[f] ?? null]));
      return JSON.stringify(kept);
    },
  };
}
