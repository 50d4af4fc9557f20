// Serves the built renderer (out/renderer) on a free loopback port, as a browser build.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.json': 'application/json',
};

export const RENDERER_DIR = resolve(import.meta.dirname, '../../out/renderer');

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `root` (default: the built renderer); `/` is index.html; `headers` go on every reply.
 * Listens on `host` (default the loopback; e.g. a lab namespace's veth address).
 */
export async function serveStatic(
  root = RENDERER_DIR,
  headers: Record<string, string> = {},
  host = '127.0.0.1',
): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/'));
    const file = join(root, path === '/' ? 'index.html' : path);
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file)
      .then((body) => {
        res.writeHead(200, {
          ...headers,
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        });
        res.end(body);
      })
      .catch(() => res.writeHead(404).end());
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
