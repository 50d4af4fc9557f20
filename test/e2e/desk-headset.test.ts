// Issue 16, the headset through the REAL renderer in the lab: a fake WebHID Jabra BIZ 2400 II
// (its real report descriptor's collections; test/support/page-hid.ts replaces navigator.hid)
// is chosen in Sound settings through main's real picker flow (select-hid-device, answered by
// src-main/headset behind the test bridge), then a call from bob rings its light, its hook
// button answers, its mute button mutes (and its light agrees, also when the window unmutes),
// flash holds and resumes, the hook hangs up — each checked on the wire's far end and in the
// output reports the device received. Then: the headset comes back by itself after a restart
// (main's device permission handler grants only the remembered serial number) and a replug,
// and Forget revokes it.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { installFakeHeadsets, type PageHeadsets } from '../support/fake-hid-page';
import { registerAll, signIn, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { TestBridge } from '../support/test-bridge';
import { useLab } from '../support/use-lab';
import { JABRA_BITS } from '../unit/headset/devices';

const lab = useLab({ name: 'e2e-desk-headset' });
const env = useE2eEnv();

const JABRA = 'Jabra BIZ 2400 II (USB)';
const { HOOK, MUTE, FLASH, L_OFFHOOK, L_MUTE, L_HOLD } = JABRA_BITS;
const L_RING = JABRA_BITS.L_RING | JABRA_BITS.L_RINGER; // the Ring light and the ringer

/** Opens a phone whose page has fake Jabras plugged in ('a' serial A-1, 'b' serial B-2). */
async function phoneWithHeadsets(
  bridge?: TestBridge,
): Promise<{ phone: PhonePage; headsets: PageHeadsets }> {
  let headsets: PageHeadsets | null = null;
  const phone = await PhonePage.open(await env.browser(440), env.server, {
    ...(bridge ? { bridge } : {}),
    beforeLoad: async (page, b) => {
      headsets = await installFakeHeadsets(page, b, [
        { deviceId: 'a', model: 'jabraBiz2400II', serialNumber: 'A-1' },
        { deviceId: 'b', model: 'jabraBiz2400II', serialNumber: 'B-2', plugged: false },
      ]);
    },
  });
  return { phone, headsets: headsets as unknown as PageHeadsets };
}

async function openSound(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sound', exact: true }).click();
  await page.getByTestId('headset-settings').waitFor();
}

async function closeSound(page: Page): Promise<void> {
  await page.getByTestId('audio-settings').getByRole('button', { name: 'Done' }).click();
}

function headsetState(page: Page): Promise<string | null> {
  return page.getByTestId('headset-status').getAttribute('data-state');
}

/** The Jabra's lights as it last received them (report 2, byte 0). */
async function lights(headsets: PageHeadsets, id = 'a'): Promise<number | null> {
  return (await headsets.lastSent(id, 2))?.[0] ?? null;
}

describe('the headset on a call', () => {
  it('is chosen in Sound settings, then answers, mutes, holds and hangs up with its lights following', async () => {
    const { phone: alice, headsets } = await phoneWithHeadsets();
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      await registerAll(lab.lab, [alice, 'alice'], [bob, 'bob']);
      await openSound(alice.page);
      expect(await headsetState(alice.page)).toBe('none');
      expect(await headsets.opened('a')).toBe(false);

      // Choose…: main offers the telephony devices plugged in, the page shows them.
      await alice.page.getByRole('button', { name: 'Choose…' }).click();
      const offer = alice.page.getByTestId('headset-offer');
      await offer.waitFor();
      expect(await offer.getByRole('button').allInnerTexts()).toEqual([JABRA, 'Cancel']);
      await offer.getByRole('button', { name: JABRA }).click();
      await expect.poll(() => headsetState(alice.page)).toBe('connected');
      expect(await alice.page.getByTestId('headset-buttons').innerText()).toBe(
        'Buttons: answer / hang up, mute, flash (hold, swap), redial.',
      );
      expect(alice.bridge.settings.get().headset.device).toEqual({
        vendorId: 0x0b0e,
        productId: 0x2453,
        serialNumber: 'A-1',
        name: JABRA,
      });
      expect(await headsets.opened('a')).toBe(true);
      expect(await headsets.sent('a')).toEqual([{ reportId: 2, bytes: [0, 0] }]);
      await closeSound(alice.page);

      // bob calls: the ring light (and the headset's ringer) come on.
      await bob.dial('alice');
      await alice.waitForIncoming();
      await expect.poll(() => lights(headsets)).toBe(L_RING);

      // The hook button answers.
      await headsets.input('a', 2, [HOOK, 0]);
      await alice.waitForCallStatus('active');
      await bob.waitForCallStatus('active');
      await expect.poll(() => lights(headsets)).toBe(L_OFFHOOK);

      // Mute on the headset: the window shows it and the mute light agrees.
      await headsets.press('a', 2, [HOOK | MUTE, 0], [HOOK, 0]);
      await alice.page.getByRole('button', { name: 'Unmute', exact: true }).waitFor();
      await expect.poll(() => lights(headsets)).toBe(L_OFFHOOK | L_MUTE);
      // Unmuted in the window: the light goes out.
      await alice.page.getByRole('button', { name: 'Unmute', exact: true }).click();
      await alice.page.getByRole('button', { name: 'Mute', exact: true }).waitFor();
      await expect.poll(() => lights(headsets)).toBe(L_OFFHOOK);

      // Flash holds (bob hears he is held), flash again resumes.
      await headsets.press('a', 2, [HOOK | FLASH, 0], [HOOK, 0]);
      await bob.page.getByTestId('hold-state').waitFor();
      expect(await bob.page.getByTestId('hold-state').innerText()).toBe('alice put you on hold');
      await expect.poll(() => lights(headsets)).toBe(L_OFFHOOK | L_HOLD);
      await headsets.press('a', 2, [HOOK | FLASH, 0], [HOOK, 0]);
      await expect.poll(() => bob.page.getByTestId('hold-state').count()).toBe(0);
      await expect.poll(() => lights(headsets)).toBe(L_OFFHOOK);

      // Back on the hook: the call ends for both, the lights go out.
      await headsets.input('a', 2, [0, 0]);
      expect(await bob.waitForEnded()).toBe('hangup-remote');
      expect(await alice.waitForEnded()).toBe('hangup-local');
      await expect.poll(() => lights(headsets)).toBe(0);
      expect(alice.errors).toEqual([]);
      expect(bob.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('answers the window’s own answer and the caller’s hang-up with the lights only', async () => {
    const { phone: alice, headsets } = await phoneWithHeadsets();
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      await alice.bridge.settings.update({
        headset: {
          device: { vendorId: 0x0b0e, productId: 0x2453, serialNumber: 'A-1', name: JABRA },
        },
      });
      await registerAll(lab.lab, [alice, 'alice'], [bob, 'bob']);
      await expect.poll(() => headsets.opened('a')).toBe(true);
      await bob.dial('alice');
      await alice.waitForIncoming();
      await expect.poll(() => lights(headsets)).toBe(L_RING);
      await alice.answer();
      await expect.poll(() => lights(headsets)).toBe(L_OFFHOOK);
      // The headset follows the Off-Hook light and says so: no press, the call goes on.
      await headsets.input('a', 2, [HOOK, 0]);
      await bob.hangup();
      expect(await alice.waitForEnded()).toBe('hangup-remote');
      await expect.poll(() => lights(headsets)).toBe(0);
      await headsets.input('a', 2, [0, 0]); // following the light again
      expect(await alice.page.getByTestId('incoming-view').count()).toBe(0);
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});

describe('the remembered headset', () => {
  it('comes back after a restart and a replug, only with its own serial number, until forgotten', async () => {
    const bridge = await TestBridge.create({ appUrl: env.server.url });
    await bridge.settings.update({
      headset: {
        device: { vendorId: 0x0b0e, productId: 0x2453, serialNumber: 'A-1', name: JABRA },
      },
    });
    const { phone: alice, headsets } = await phoneWithHeadsets(bridge);
    try {
      await signIn(alice, lab.lab.account('alice'));
      // Restarted (a reload is a new page): opened without a click, its lights cleared.
      await expect.poll(() => headsets.opened('a')).toBe(true);
      expect(await headsets.sent('a')).toEqual([{ reportId: 2, bytes: [0, 0] }]);
      await openSound(alice.page);
      await expect.poll(() => headsetState(alice.page)).toBe('connected');

      // A colleague's identical headset (another serial number) is plugged in: not taken.
      await headsets.plug('b');
      await headsets.unplug('a');
      await expect.poll(() => headsetState(alice.page)).toBe('absent');
      expect(await alice.page.getByTestId('headset-notice').innerText()).toBe(
        `${JABRA} was unplugged. Plug it in again to use its buttons.`,
      );
      expect(await headsets.opened('b')).toBe(false);

      // Replugged: back by itself.
      await headsets.plug('a');
      await expect.poll(() => headsetState(alice.page)).toBe('connected');
      expect(await headsets.opened('a')).toBe(true);
      expect(await headsets.opened('b')).toBe(false);

      // Forget: the permission is revoked and main forgets it.
      await alice.page.getByRole('button', { name: 'Forget', exact: true }).click();
      await expect.poll(() => headsetState(alice.page)).toBe('none');
      expect(bridge.settings.get().headset.device).toBeNull();
      expect(await headsets.opened('a')).toBe(false);
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
    }
  });
});
