// The renderer's startup file (issue 19: what the page loads before it shows the phone and
// registers) leaves out what the build defers: JsSIP's session, MESSAGE and subscription code and
// sdp-transform (scripts/vite/jssip-deferred.ts) are in a chunk of their own, and the `debug`
// package (with `ms`) and `events` are replaced everywhere by small stand-ins
// (phone/jssip-debug.cjs, phone/jssip-events.cjs). Each check looks for strings the real code
// carries through minification, and finds them in the lazy chunk or the real package, so a
// marker that matched nothing could not pass for an absence. The renderer is built
// here, with the app's own config, into a temporary directory. Sizes are the bench's business
// (npm run bench budgets), not asserted here.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build, type InlineConfig } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../../electron.vite.config';
import { shippedJs, staticImports, type ShippedJs } from '../bench/pages/budgets/bundle';

// Strings of the deferred modules that minification keeps (messages, property names).
const DEFERRED_MARKERS = {
  'jssip/lib/RTCSession.js': 'sendDTMF()',
  'jssip/lib/Message.js': 'incoming Message already replied',
  'jssip/lib/Subscriber.js': 'Not enough arguments: Missing target',
  'jssip/lib/Notifier.js': 'Missing subscribe request',
  'sdp-transform': 'rtcpFbTrrInt',
};
// What the real packages that JsSIP requires and the build replaces carry: `debug` with `ms`
// (property names: createDebug.humanize = require('ms')), `events` (its leak warning).
const REPLACED_MARKERS = {
  'debug/src/common.js': ['humanize', 'useColors', 'selectColor'],
  'events/events.js': ['Possible EventEmitter memory leak detected'],
};

let dir: string;
let shipped: ShippedJs;
const text = (files: string[]): Promise<string> =>
  Promise.all(files.map((f) => readFile(join(dir, f), 'utf8'))).then((all) => all.join('\n'));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'softphone-renderer-'));
  const renderer = (config as { renderer: InlineConfig }).renderer;
  await build({
    ...renderer,
    configFile: false,
    base: './',
    logLevel: 'warn',
    build: { ...renderer.build, outDir: dir, emptyOutDir: true },
  });
  shipped = await shippedJs(dir);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the renderer startup file', () => {
  it('is minified and is the entry with what it imports', () => {
    expect(shipped.minified).toBe(true);
    expect(shipped.startupFiles.some((f) => /^assets\/index-[\w-]+\.js$/.test(f))).toBe(true);
  });

  it("leaves JsSIP's sessions, MESSAGE, subscriptions and sdp-transform to their chunk", async () => {
    const startup = await text(shipped.startupFiles);
    const chunk = shipped.lazyFiles.filter((f) => /jssip-sessions-[\w-]+\.js$/.test(f));
    expect(chunk).toHaveLength(1);
    const lazy = await text(chunk);
    for (const [module, marker] of Object.entries(DEFERRED_MARKERS)) {
      expect(lazy.includes(marker), `${module} in the sessions chunk`).toBe(true);
      expect(startup.includes(marker), `${module} in the startup file`).toBe(false);
    }
  });

  it('leaves the parts and the dial code one chunk of shared code each can import', async () => {
    // What the accounts wait for after the startup file (state/root.ts): each root stays a chunk
    // of its own (one that cannot load leaves the others working), and what they import beyond
    // the startup file is one chunk (scripts/vite/startup-shared.ts), not one per shared module.
    const roots = shipped.lazyFiles.filter((f) => /\/(parts|dial-code-impl)-[\w-]+\.js$/.test(f));
    expect(roots).toHaveLength(2);
    const needed = new Set<string>();
    const queue = [...roots];
    for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
      for (const imported of staticImports(await text([file]))) {
        const path = join(dirname(file), imported);
        if (!needed.has(path) && !shipped.startupFiles.includes(path)) {
          needed.add(path);
          queue.push(path);
        }
      }
    }
    const beyond = [...needed].filter((f) => !roots.includes(f));
    expect(beyond).toEqual([expect.stringMatching(/^assets\/shared-[\w-]+\.js$/)]);
    // It carries what both use: e.g. the dial-target parser (one of its messages).
    expect(await text(beyond)).toContain(
      'This contains hidden control characters, so it cannot be called.',
    );
  });

  it('has the stand-ins for `debug` and `events`, nowhere the real packages', async () => {
    const all = await text([...shipped.startupFiles, ...shipped.lazyFiles]);
    for (const [file, markers] of Object.entries(REPLACED_MARKERS)) {
      const real = await readFile(join(import.meta.dirname, '../../node_modules', file), 'utf8');
      for (const marker of markers) {
        expect(real.includes(marker), `${marker} is ${file}'s`).toBe(true);
        expect(all.includes(marker), `${marker} (${file}) in the build`).toBe(false);
      }
    }
  });
});
