// Renders the main screens of the real renderer build in Chromium (light and dark) against the
// lab, and writes PNGs to docs/screenshots/ for the README. `npm run screenshots`.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { startLab } from '../test/lab/lab';
import { launchPhoneBrowser } from '../test/support/chromium';
import { PhonePage } from '../test/support/phone-page';
import { serveStatic } from '../test/support/static-server';
import { writeToneWav } from '../test/support/wav';

const OUT = resolve(import.meta.dirname, '../docs/screenshots');

async function shot(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(100);
    await page.screenshot({ path: resolve(OUT, `${name}-${scheme}.png`) });
  }
  console.log(`docs/screenshots/${name}-{light,dark}.png`);
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const lab = await startLab({ name: 'screenshots', rtpengine: false });
  writeToneWav('/tmp/screenshot-tone.wav', { freq: 440, seconds: 5 });
  const browser = await launchPhoneBrowser({ microphoneWav: '/tmp/screenshot-tone.wav' });
  const server = await serveStatic();
  try {
    const alice = await PhonePage.open(browser, server);
    const bob = await PhonePage.open(browser, server);
    for (const p of [alice, bob]) {
      await p.page.setViewportSize({ width: 400, height: 640 });
    }
    await shot(alice.page, 'account-form');
    const a = lab.account('alice');
    const b = lab.account('bob');
    await alice.bridge.seedAccount(
      { label: 'Office PBX', websocketUri: a.wsUrl, sipUri: a.uri, displayName: 'Alice' },
      a.password,
    );
    await bob.bridge.seedAccount(
      { label: 'Office PBX', websocketUri: b.wsUrl, sipUri: b.uri, displayName: 'Bob Example' },
      b.password,
    );
    await alice.page.reload();
    await bob.page.reload();
    await alice.waitForRegistration('registered');
    await bob.waitForRegistration('registered');
    await alice.page.getByLabel('Number or address').fill('bob');
    await shot(alice.page, 'dial');
    await alice.page.getByRole('button', { name: 'Call', exact: true }).click();
    await bob.waitForIncoming();
    await shot(bob.page, 'incoming');
    await bob.answer();
    await alice.waitForCallStatus('active');
    await alice.page.waitForTimeout(1200);
    await shot(alice.page, 'in-call');
    await alice.hangup();
    await alice.waitForEnded();
    await alice.close();
    await bob.close();
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
