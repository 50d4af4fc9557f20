// The renderer's startup file (issue 19: what the page loads before it shows the phone and
// registers) leaves out what the build defers: JsSIP's session, MESSAGE and subscription code and
// sdp-transform (scripts/vite/jssip-deferred.ts) are in a chunk of their own, and the `debug`
// package (with `ms`) is replaced everywhere by the small stand-in (phone/jssip-debug.cjs). Each
// check looks for strings the real code carries through minification, and finds them in the lazy
// chunk, so a marker that matched nothing could not pass for an absence. The renderer is built
// here, with the app's own config, into a temporary directory. Sizes are the bench's business
// (npm run bench budgets), not asserted here.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type InlineConfig } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../../electron.vite.config';
import { shippedJs, type ShippedJs } from '../bench/pages/budgets/bundle';

// Strings of the deferred modules that minification keeps (messages, property names).
const DEFERRED_MARKERS = {
  'jssip/lib/RTCSession.js': 'sendDTMF()',
  'jssip/lib/Message.js': 'incoming Message already replied',
  'jssip/lib/Subscriber.js': 'Not enough arguments: Missing target',
  'jssip/lib/Notifier.js': 'Missing subscribe request',
  'sdp-transform': 'rtcpFbTrrInt',
};
// Property names of the real `debug` package and its `ms` (createDebug.humanize = require('ms')).
const DEBUG_MARKERS = ['humanize', 'useColors', 'selectColor'];

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

  it('has JsSIP log through the stand-in for `debug`, nowhere the real one', async () => {
    const real = await readFile(
      join(import.meta.dirname, '../../node_modules/debug/src/common.js'),
      'utf8',
    );
    const all = await text([...shipped.startupFiles, ...shipped.lazyFiles]);
    for (const marker of DEBUG_MARKERS) {
      expect(real.includes(`.${marker}`), `${marker} is the real package's`).toBe(true);
      expect(all.includes(marker), `${marker} in the build`).toBe(false);
    }
  });
});
