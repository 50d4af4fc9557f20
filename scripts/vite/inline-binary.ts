// A Vite plugin: `import base64 from './file.bin?base64'` gives the file's bytes as a base64
// string inside the chunk that imports it. Used for the RNNoise wasm and the consent notice, so
// the renderer never fetches them (the CSP's connect-src stays the SIP servers; Vite's own
// `?inline` does not take .wasm files). Shared by the app build and the test page builds.
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'vite';

const QUERY = '?base64';
const PREFIX = '\0base64:';

export function inlineBinary(): Plugin {
  return {
    name: 'softphone-inline-binary',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!source.endsWith(QUERY)) {
        return null;
      }
      const resolved = await this.resolve(source.slice(0, -QUERY.length), importer, {
        skipSelf: true,
      });
      return resolved ? `${PREFIX}${resolved.id}` : null;
    },
    async load(id) {
      if (!id.startsWith(PREFIX)) {
        return null;
      }
      const bytes = await readFile(id.slice(PREFIX.length));
      return `export default ${JSON.stringify(bytes.toString('base64'))};`;
    },
  };
}
