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
    await page.waitForTimeout(150);
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
    const [alice, bob, carol] = [
      await PhonePage.open(browser, server),
      await PhonePage.open(browser, server),
      await PhonePage.open(browser, server),
    ];
    for (const p of [alice, bob, carol]) {
      await p.page.setViewportSize({ width: 400, height: 680 });
    }
    await shot(alice.page, 'account-form');
    for (const [p, user, name] of [
      [alice, 'alice', 'Alice'],
      [bob, 'bob', 'Bob Example'],
      [carol, 'carol', 'Carol Jones'],
    ] as const) {
      const a = lab.account(user);
      await p.bridge.seedAccount(
        { label: 'Office PBX', websocketUri: a.wsUrl, sipUri: a.uri, displayName: name },
        a.password,
      );
      await p.page.reload();
      await p.waitForRegistration('registered');
    }
    await alice.page.getByLabel('Number or address').fill('+1 415 555 0100');
    await shot(alice.page, 'dial');
    await alice.dial('bob');
    await bob.waitForIncoming();
    await shot(bob.page, 'incoming');
    await bob.answer();
    await alice.waitForCallStatus('active');
    await alice.page.waitForTimeout(2500);
    await shot(alice.page, 'in-call');
    await carol.dial('alice');
    await alice.page.getByTestId('call-waiting').waitFor();
    await alice.page.getByRole('button', { name: 'Answer', exact: true }).click();
    await alice.page.getByTestId('line').nth(1).waitFor();
    await alice.page.waitForTimeout(1500);
    await shot(alice.page, 'two-lines');
    await alice.hangup();
    await alice.page.waitForTimeout(500);
    await alice.hangup();
    await alice.page.waitForTimeout(500);
    await alice.page.getByRole('tab', { name: /Recent/ }).click();
    await shot(alice.page, 'recent');
    await alice.page.getByRole('button', { name: 'Sound', exact: true }).click();
    await shot(alice.page, 'sound');
    await alice.page.getByRole('button', { name: 'Accounts', exact: true }).click();
    await shot(alice.page, 'accounts');
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
