// Issue 4, test 4: a tel: link delivered exactly the way a second instance delivers it (the
// real LinkService running here in Node, given a second instance's argv, emitting through the
// test bridge) ends with the number in the dial field of the running phone and focus on Call,
// and NO INVITE is sent; a click on Call then calls a test account, which answers. A link that
// arrives before the page is up is handed over when it asks, and a refused link shows why.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parseDialLink, parseTypedDial } from '@shared/dial-target';
import type { EventChannel, EventMap } from '@shared/ipc-contract';
import { LinkService } from '../../src-main/links/link-service';
import { signIn, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { TestBridge } from '../support/test-bridge';
import { useLab } from '../support/use-lab';

// Bob's desk phone has a number: the lab account '5550100'.
const BOB = '5550100';
const lab = useLab({ name: 'e2e-links', rtpengine: false, accounts: ['alice', BOB] });
const env = useE2eEnv();
const SECOND_INSTANCE = '/opt/Open Softphone/open-softphone';

/** The links service as the app composes it, with the page's events going through the bridge. */
class LinkedPhone {
  readonly emitted: Promise<void>[] = [];
  readonly requests: { channel: EventChannel; payload: unknown }[] = [];
  fronts = 0;
  page: Page | null = null;
  readonly links: LinkService;
  constructor(readonly bridge: TestBridge) {
    this.links = new LinkService({
      parseLink: parseDialLink,
      parseTyped: parseTypedDial,
      autoDial: () => bridge.settings.get().autoDialLinks,
      send: <C extends EventChannel>(channel: C, payload: EventMap[C]) => {
        if (!this.page) {
          return false;
        }
        this.requests.push({ channel, payload });
        this.emitted.push(bridge.emit(this.page, channel, payload));
        return true;
      },
      bringToFront: () => (this.fronts += 1),
      readClipboard: async () => '',
    });
  }
  static async create(appUrl: string): Promise<LinkedPhone> {
    let linked: LinkedPhone | null = null;
    const bridge = await TestBridge.create({
      appUrl,
      ports: { takePendingLink: () => linked?.links.takePending() ?? null },
    });
    linked = new LinkedPhone(bridge);
    return linked;
  }
  async settled(): Promise<void> {
    await Promise.all(this.emitted);
  }
}

function invites(sent: { text: string }[]): string[] {
  return sent.map((m) => m.text).filter((t) => t.startsWith('INVITE '));
}

function callId(message: string): string | undefined {
  return /^(?:Call-ID|i):\s*(\S+)/im.exec(message)?.[1];
}

async function focusedLabel(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.textContent?.trim() ?? null);
}

describe('tel: links in the running phone', () => {
  it('a second-instance tel: link fills the dial field and focuses Call without dialling; a click calls, then dials its extension', async () => {
    const linked = await LinkedPhone.create(env.server.url);
    const alice = await PhonePage.open(await env.browser(440), env.server, {
      bridge: linked.bridge,
    });
    linked.page = alice.page;
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      await signIn(alice, lab.lab.account('alice'));
      await signIn(bob, lab.lab.account(BOB));
      await alice.waitForRegistration('registered');
      await bob.waitForRegistration('registered');

      linked.links.fromSecondInstance([
        SECOND_INSTANCE,
        '--original-process-start-time=13370000000000000',
        '--',
        // A context that is not the account's domain: shown, never silently dropped.
        'tel:555-0100;ext=42;phone-context=branch.example.org',
      ]);
      await linked.settled();
      expect(linked.fronts).toBe(1);
      expect(linked.requests).toEqual([
        {
          channel: 'links/dial-requested',
          payload: expect.objectContaining({ source: 'link', autoDial: false }),
        },
      ]);

      const field = alice.page.getByLabel('Number or address');
      await expect.poll(() => field.inputValue()).toBe('555 0100');
      await expect.poll(() => focusedLabel(alice.page)).toBe('Call');
      expect(await alice.page.getByTestId('dial-preview').innerText()).toBe(
        'A number of branch.example.org, which none of your accounts serves: it will be called on alice@lab.test, then dials extension 42 after the answer.',
      );
      // Still the dial view, no call, and nothing dialled: neither the page nor Kamailio saw an INVITE.
      expect(await alice.page.getByTestId('call-view').count()).toBe(0);
      expect(invites(await alice.sipSent())).toEqual([]);
      expect(lab.lab.kamailio.countInLog(/LAB REQ INVITE/)).toBe(0);

      await alice.page.getByRole('button', { name: 'Call', exact: true }).click();
      await bob.waitForIncoming();
      expect(await alice.page.getByTestId('call-extension').innerText()).toBe(
        'Extension 42, dialled after the answer',
      );
      expect(await alice.dtmfInserted()).toEqual([]);
      await bob.answer();
      await alice.waitForCallStatus('active');
      await bob.waitForCallStatus('active');
      // The extension goes as key presses once the far end answered.
      await expect.poll(() => alice.dtmfInserted(), { timeout: 10_000 }).toEqual(['42']);
      // Exactly one call was placed, by the click (its INVITE may be sent twice: digest 407).
      const sent = invites(await alice.sipSent());
      expect(sent.length).toBeGreaterThanOrEqual(1);
      expect(sent.every((s) => s.startsWith(`INVITE sip:${BOB}@lab.test`))).toBe(true);
      expect(new Set(sent.map(callId)).size).toBe(1);
      const atProxy = lab.lab.kamailio
        .readLog()
        .split('\n')
        .filter((l) => l.includes('LAB REQ INVITE'));
      expect(new Set(atProxy.map((l) => /call-id=(\S+)/.exec(l)?.[1])).size).toBe(1);
      expect(atProxy.every((l) => l.includes(`ruri=sip:${BOB}@lab.test`))).toBe(true);

      await alice.hangup();
      expect(await alice.waitForEnded()).toBe('hangup-local');
      expect(await bob.waitForEnded()).toBe('hangup-remote');
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('a refused link shows the reason and dials nothing', async () => {
    const linked = await LinkedPhone.create(env.server.url);
    const alice = await PhonePage.open(await env.browser(440), env.server, {
      bridge: linked.bridge,
    });
    linked.page = alice.page;
    try {
      await signIn(alice, lab.lab.account('alice'));
      await alice.waitForRegistration('registered');
      const before = lab.lab.kamailio.countInLog(/LAB REQ INVITE/);
      linked.links.fromSecondInstance([SECOND_INSTANCE, '--', 'tel:--inspect=9229']);
      await linked.settled();
      await expect
        .poll(() => alice.page.locator('#dial-notice').textContent())
        .toBe('This looks like a command-line option, not a phone number or address.');
      expect(await alice.page.getByLabel('Number or address').inputValue()).toBe('');
      expect(linked.fronts).toBe(1);
      expect(invites(await alice.sipSent())).toEqual([]);
      expect(lab.lab.kamailio.countInLog(/LAB REQ INVITE/)).toBe(before);
    } finally {
      await alice.close();
    }
  });

  it('a cold-start link waits until the page asks for it, then fills the field', async () => {
    const linked = await LinkedPhone.create(env.server.url);
    const account = lab.lab.account('alice');
    await linked.bridge.seedAccount(
      { label: 'alice@lab.test', websocketUri: account.wsUrl, sipUri: account.uri },
      account.password,
    );
    // The app was started by the OS with the link on its command line; no page exists yet.
    expect(linked.links.fromArgv([SECOND_INSTANCE, '--', `sip:${BOB}@lab.test`])).toBe(true);
    expect(linked.requests).toEqual([]);
    const alice = await PhonePage.open(await env.browser(440), env.server, {
      bridge: linked.bridge,
    });
    linked.page = alice.page;
    try {
      await alice.waitForRegistration('registered');
      await expect
        .poll(() => alice.page.getByLabel('Number or address').inputValue())
        .toBe(`${BOB}@lab.test`);
      await expect.poll(() => focusedLabel(alice.page)).toBe('Call');
      expect(invites(await alice.sipSent())).toEqual([]);
    } finally {
      await alice.close();
    }
  });
});
