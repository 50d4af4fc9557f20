// Photographs every main screen of the real renderer build in Chromium against the lab: the
// screen tour (test/support/screen-tour.ts), each screen narrow (400 × 680) and wide
// (1400 × 900), light and dark, into docs/screenshots/<screen>-<size>-<theme>.png for the README.
// `npm run screenshots`.
import { mkdir, readdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { startLab } from '../test/lab/lab';
import { launchPhoneBrowser } from '../test/support/chromium';
import { PhonePage } from '../test/support/phone-page';
import { tourScreens } from '../test/support/screen-tour';
import { serveStatic } from '../test/support/static-server';
import { writeToneWav } from '../test/support/wav';

const OUT = resolve(import.meta.dirname, '../docs/screenshots');
const SIZES = [
  { name: 'narrow', width: 400, height: 680 },
  { name: 'wide', width: 1400, height: 900 },
] as const;

/**
 * Waits until the page has painted twice (layout and fonts settled after a change) with no view
 * still loading its code (LazyView's marker: a resize can mount one, e.g. Recent when wide).
 */
async function settled(page: Page): Promise<void> {
  const frames = (): Promise<unknown> =>
    page.evaluate(
      () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
    );
  await frames();
  await page
    .waitForFunction(() => !document.querySelector('[data-lazy-loading]'), null, {
      timeout: 10_000,
    })
    .catch((error: unknown) => {
      throw new Error(`a view was still loading its code after 10 s (${page.url()})`, {
        cause: error,
      });
    });
  await frames();
}

async function shoot(screen: string, page: Page): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await settled(page);
      await page.screenshot({ path: resolve(OUT, `${screen}-${size.name}-${scheme}.png`) });
    }
  }
  await page.setViewportSize(SIZES[0]);
  await page.emulateMedia({ colorScheme: 'light' });
  await settled(page);
  console.log(`docs/screenshots/${screen}-{narrow,wide}-{light,dark}.png`);
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  for (const file of await readdir(OUT)) {
    if (file.endsWith('.png')) {
      await rm(resolve(OUT, file));
    }
  }
  const lab = await startLab({ name: 'screenshots', rtpengine: false });
  writeToneWav('/tmp/screenshot-tone.wav', { freq: 440, seconds: 5 });
  const browser = await launchPhoneBrowser({ microphoneWav: '/tmp/screenshot-tone.wav' });
  const server = await serveStatic();
  try {
    const [alice, bob, carol] = [
      await PhonePage.open(browser, server),
      await PhonePage.open(browser, server),
      await PhonePage.open(browser, server),
    ];
    for (const p of [alice, bob, carol]) {
      await p.page.setViewportSize(SIZES[0]);
    }
    await tourScreens(lab, { alice, bob, carol }, shoot);
    for (const p of [alice, bob, carol]) {
      await p.close();
    }
  } finally {
    await browser.close();
    await server.close();
    await lab.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
