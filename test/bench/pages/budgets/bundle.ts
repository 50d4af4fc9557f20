// What the renderer build ships: the JS the phone window loads before it can show itself and
// register (the entry script and what it imports statically, as modulepreload links and import
// statements say), and everything else (lazy chunks), raw and gzipped, and whether it is
// minified.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ShippedJs {
  startupRawKb: number;
  startupGzKb: number;
  totalRawKb: number;
  totalGzKb: number;
  /** Startup files, relative to the build dir. */
  startupFiles: string[];
  /** Lazy files, relative to the build dir. */
  lazyFiles: string[];
  minified: boolean;
}

async function jsFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(...(await jsFiles(path)));
    } else if (entry.name.endsWith('.js')) {
      out.push(path);
    }
  }
  return out;
}

// Static imports of an ES module chunk ("import … from './x.js'" and "import './x.js'").
export function staticImports(code: string): string[] {
  const found = new Set<string>();
  for (const m of code.matchAll(
    /(?:^|[;\s}])import\s*(?:[^'"()]*?from\s*)?["']([^"']+\.js)["']/g,
  )) {
    found.add(m[1]!);
  }
  return [...found];
}

/** Measures the build in `dir` (out/renderer). */
export async function shippedJs(dir: string): Promise<ShippedJs> {
  const html = await readFile(join(dir, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g)].map((m) => m[1]!);
  const preloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)].map(
    (m) => m[1]!,
  );
  const all = await jsFiles(dir);
  const byRel = new Map(all.map((p) => [relative(dir, p), p]));
  const startup = new Set<string>();
  const queue = [...entries, ...preloads].map((p) => p.replace(/^\.?\//, ''));
  while (queue.length > 0) {
    const rel = queue.pop()!;
    const path = byRel.get(rel);
    if (!path || startup.has(rel)) {
      continue;
    }
    startup.add(rel);
    const code = await readFile(path, 'utf8');
    for (const imp of staticImports(code)) {
      queue.push(relative(dir, join(path, '..', imp)));
    }
  }
  let startupRaw = 0;
  let startupGz = 0;
  let totalRaw = 0;
  let totalGz = 0;
  let lines = 0;
  let chars = 0;
  for (const [rel, path] of byRel) {
    const code = await readFile(path);
    const gz = gzipSync(code, { level: 9 }).length;
    totalRaw += code.length;
    totalGz += gz;
    lines += code.toString('utf8').split('\n').length;
    chars += code.length;
    if (startup.has(rel)) {
      startupRaw += code.length;
      startupGz += gz;
    }
  }
  return {
    startupRawKb: startupRaw / 1024,
    startupGzKb: startupGz / 1024,
    totalRawKb: totalRaw / 1024,
    totalGzKb: totalGz / 1024,
    startupFiles: [...startup].sort(),
    lazyFiles: [...byRel.keys()].filter((r) => !startup.has(r)).sort(),
    // Minified output has few, very long lines.
    minified: chars / Math.max(1, lines) > 500,
  };
}
