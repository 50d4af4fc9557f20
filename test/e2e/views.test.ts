// Component tests of the main views (issue 5) in Chromium: CallView, IncomingView and MainView,
// the real components inside a real renderer root (PhoneRoot) (its bridge runs the real
// main-process handlers), each shown with a given call snapshot. What they display for each
// call state, which controls they offer, their keyboard shortcuts and the actions they ask for
// (recorded by the page).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CallSnapshot } from '../../src-renderer/src/lib/phone/types';
import { actions, focused, openView, snapshot, useViewsPage } from '../support/views-harness';

const views = useViewsPage();

/** Opens a view; the harness closes it (and removes its bridge's folder) after the test. */
async function open(view: 'call' | 'incoming' | 'main', call?: CallSnapshot): Promise<Page> {
  return (await openView(views.browser, views.url, view, call ? { snapshot: call } : {})).page;
}

async function buttons(
  page: Page,
): Promise<{ name: string; disabled: boolean; pressed: string | null }[]> {
  return page
    .getByRole('toolbar', { name: 'Call controls' })
    .getByRole('button')
    .evaluateAll((els) =>
      els.map((b) => ({
        name: (b.getAttribute('aria-label') ?? b.textContent ?? '').trim(),
        disabled: (b as HTMLButtonElement).disabled,
        pressed: b.getAttribute('aria-pressed'),
      })),
    );
}

describe('CallView', () => {
  it('shows an active call with its timer and every control enabled', async () => {
    const page = await open('call', snapshot());
    expect(await page.getByTestId('call-party').innerText()).toBe('Bob Example');
    expect(await page.getByTestId('call-timer').innerText()).toMatch(/^1:0\d$/);
    // The timer changes every second: inside a live region a screen reader would read it out
    // every second. The live part of the status line says the call is connected, once.
    expect(
      await page
        .getByTestId('call-timer')
        .evaluate((el) => el.closest('[aria-live]:not([aria-live="off"])')?.outerHTML ?? null),
    ).toBeNull();
    expect(await page.getByTestId('call-status-live').getAttribute('aria-live')).toBe('polite');
    expect(await page.getByTestId('call-status-live').textContent()).toBe('Call connected');
    expect(await buttons(page)).toEqual([
      { name: 'Mute', disabled: false, pressed: 'false' },
      { name: 'Hold', disabled: false, pressed: 'false' },
      { name: 'Keypad', disabled: false, pressed: 'false' },
      { name: 'Transfer', disabled: false, pressed: 'false' },
      { name: 'Add call', disabled: false, pressed: 'false' },
      { name: 'Chat', disabled: false, pressed: 'false' },
      { name: 'Record', disabled: false, pressed: 'false' },
      { name: 'Noise filter', disabled: false, pressed: 'false' },
      { name: 'Merge', disabled: true, pressed: null },
    ]);
    // Focus starts on the party's name, where a stray Enter or Space does nothing.
    expect(await focused(page)).toMatchObject({ tag: 'h1', text: 'Bob Example' });
    await page.keyboard.press('Enter');
    await page.keyboard.press(' ');
    expect(await actions(page)).toEqual([]);
  });

  it('offers no in-call controls while dialling or ringing, and says so', async () => {
    const page = await open(
      'call',
      snapshot({ status: 'ringing', answeredAt: null, earlyMedia: true }),
    );
    expect(await page.getByTestId('call-status').innerText()).toBe(
      'Ringing (the other side plays a message)…',
    );
    expect((await buttons(page)).filter((b) => !b.disabled).map((b) => b.name)).toEqual([]);
  });

  it('tells who holds whom', async () => {
    let page = await open('call', snapshot({ hold: { local: true, remote: false } }));
    expect(await page.getByTestId('hold-state').innerText()).toBe('On hold — they hear nothing');
    expect((await buttons(page))[1]).toEqual({ name: 'Resume', disabled: false, pressed: 'true' });
    page = await open('call', snapshot({ hold: { local: false, remote: true } }));
    expect(await page.getByTestId('hold-state').innerText()).toBe('Bob Example put you on hold');
  });

  it('shows mute and a failed transfer in words', async () => {
    const page = await open(
      'call',
      snapshot({
        muted: true,
        transfer: {
          kind: 'blind',
          target: 'sip:9@x',
          state: 'failed',
          message: 'The transfer target could not be reached (SIP 486).',
        },
      }),
    );
    expect(await page.getByText('Your microphone is muted.').count()).toBe(1);
    expect((await buttons(page))[0]).toEqual({ name: 'Unmute', disabled: false, pressed: 'true' });
    expect(await page.getByTestId('transfer-state').innerText()).toBe(
      'The transfer target could not be reached (SIP 486).',
    );
  });

  it('sends digits, mutes and holds from the keyboard; only Ctrl+Shift+H hangs up', async () => {
    const page = await open('call', snapshot());
    await page.locator('body').press('5');
    await page.locator('body').press('#');
    await page.locator('body').press('m');
    await page.locator('body').press('h');
    // Escape with no panel open, Enter and Space do not end the call.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
    await page.keyboard.press(' ');
    await page.keyboard.press('Control+Shift+H');
    expect(await actions(page)).toEqual([
      ['sendDtmf', 'call-1', '5'],
      ['sendDtmf', 'call-1', '#'],
      ['toggleMute', 'call-1'],
      ['toggleHold', 'call-1'],
      ['hangup', 'call-1'],
    ]);
    const hang = page.getByRole('button', { name: 'Hang up', exact: true });
    expect(await hang.getAttribute('aria-keyshortcuts')).toBe('Control+Shift+H');
    expect(await hang.getAttribute('title')).toBe('Hang up (Ctrl+Shift+H)');
  });

  it('keeps typed text out of DTMF and closes a panel with Escape, never hanging up', async () => {
    const page = await open('call', snapshot());
    await page.getByRole('button', { name: 'Transfer', exact: true }).click();
    await page.getByLabel('Transfer Bob Example to').fill('123');
    await page.keyboard.press('Escape');
    expect(await page.getByLabel('Transfer Bob Example to').count()).toBe(0);
    // Closing the panel puts the focus back on the name.
    expect(await focused(page)).toMatchObject({ tag: 'h1' });
    await page.keyboard.press('Escape');
    expect(await actions(page)).toEqual([]);
    await page.getByRole('button', { name: 'Keypad', exact: true }).click();
    const pad = page.getByRole('group', { name: 'Keypad for this call' });
    expect(
      await pad
        .getByRole('button')
        .evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label'))),
    ).toEqual([
      '1',
      '2 ABC',
      '3 DEF',
      '4 GHI',
      '5 JKL',
      '6 MNO',
      '7 PQRS',
      '8 TUV',
      '9 WXYZ',
      '*',
      '0 +',
      '#',
    ]);
    await pad.getByRole('button', { name: '8 TUV' }).click();
    expect(await page.getByTestId('dtmf-sent').innerText()).toBe('8');
    expect(await actions(page)).toEqual([['sendDtmf', 'call-1', '8']]);
  });
});

describe('IncomingView', () => {
  it('announces the caller, focuses Answer, declines with Escape or with a reason', async () => {
    const page = await open(
      'incoming',
      snapshot({ direction: 'incoming', status: 'incoming', answeredAt: null }),
    );
    expect(await page.getByRole('alertdialog', { name: 'Incoming call' }).count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Answer');
    await page.getByRole('button', { name: 'Decline with a reason…' }).click();
    await page.getByRole('button', { name: 'Not now' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Answer', exact: true }).click();
    expect(await actions(page)).toEqual([
      ['decline', 'call-1', 480, 'Not Available Right Now'],
      ['decline', 'call-1'],
      ['answer', 'call-1'],
    ]);
  });
});

describe('MainView', () => {
  it('marks a screen whose code is still loading, hidden, until it shows', async () => {
    const { page, close } = await openView(views.browser, views.url, 'main');
    // Recent's code is held back until the test lets it through.
    const chunk = /\/HistoryView-[\w-]+\.js$/;
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(chunk, async (route) => {
      await held;
      await route.continue();
    });
    // Fails, naming the pattern, if the page had the code already (nothing would be held).
    const asked = page.waitForRequest(chunk, { timeout: 10_000 });
    await page.getByRole('tab', { name: 'Recent' }).click();
    await asked;
    const marker = page.locator('[data-lazy-loading]');
    expect(await marker.count()).toBe(1);
    expect(await marker.isVisible()).toBe(false);
    expect(await page.getByTestId('history-status').count()).toBe(0);
    release();
    await page.getByTestId('history-status').waitFor();
    expect(await marker.count()).toBe(0);
    await close();
  });

  it('has labelled tabs, a keypad that types into the dial field, and no Call without an account', async () => {
    const page = await open('main');
    const tabs = page.getByRole('tab');
    expect(await tabs.allInnerTexts()).toEqual([
      'Keypad',
      'Recent',
      'Contacts',
      'Chat',
      'Colleagues',
    ]);
    expect(await page.getByRole('tab', { name: 'Keypad' }).getAttribute('aria-selected')).toBe(
      'true',
    );
    const pad = page.getByRole('group', { name: 'Dial pad' });
    for (const key of ['0 +', '3 DEF', '0 +']) {
      await pad.getByRole('button', { name: key }).click();
    }
    expect(await page.getByLabel('Number or address').inputValue()).toBe('030');
    expect(await page.getByRole('button', { name: 'Call', exact: true }).isDisabled()).toBe(true);
    await page.getByRole('tab', { name: 'Contacts' }).click();
    expect(await page.getByRole('tab', { name: 'Contacts' }).getAttribute('aria-selected')).toBe(
      'true',
    );
  });

  it('gives every button an accessible name', async () => {
    const page = await open('main');
    const unnamed = await page
      .getByRole('button')
      .evaluateAll(
        (els) =>
          els.filter((b) => !(b.getAttribute('aria-label') ?? b.textContent ?? '').trim()).length,
      );
    expect(unnamed).toBe(0);
  });

  it('moves between tabs with the arrow keys, Home and End (WAI-ARIA tabs)', async () => {
    const page = await open('main');
    const selected = (): Promise<string[]> =>
      page
        .getByRole('tab')
        .evaluateAll((tabs) =>
          tabs.map(
            (t) => `${t.textContent?.trim()}:${t.getAttribute('aria-selected')}:${t.tabIndex}`,
          ),
        );
    await page.getByRole('tab', { name: 'Keypad' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await selected()).toEqual([
      'Keypad:false:-1',
      'Recent:true:0',
      'Contacts:false:-1',
      'Chat:false:-1',
      'Colleagues:false:-1',
    ]);
    expect(await focused(page)).toMatchObject({ text: 'Recent' });
    expect(await page.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(
      'phone-tab-recent',
    );
    await page.keyboard.press('End');
    expect(await focused(page)).toMatchObject({ text: 'Colleagues' });
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toMatchObject({ text: 'Keypad' });
    await page.keyboard.press('ArrowLeft');
    expect(await focused(page)).toMatchObject({ text: 'Colleagues' });
    await page.keyboard.press('Home');
    expect(await selected()).toEqual([
      'Keypad:true:0',
      'Recent:false:-1',
      'Contacts:false:-1',
      'Chat:false:-1',
      'Colleagues:false:-1',
    ]);
  });
});

// Chat, presence, recording and the desk are one chunk (state/parts.ts). When it cannot load (a
// damaged install), the phone still calls: the call view keeps its controls except recording,
// its chat panel says why there is none, and a screen that needs the chunk says so in its place
// while the rest of the window goes on.
describe('without the parts chunk', () => {
  const refuse = /\/parts-[\w-]+\.js$/;

  it('keeps the call view and its controls, without recording, and says chat is unavailable', async () => {
    const { page, close } = await openView(views.browser, views.url, 'call', {
      snapshot: snapshot(),
      refuse,
    });
    expect(await page.getByTestId('call-party').innerText()).toBe('Bob Example');
    expect((await buttons(page)).map((b) => b.name)).toEqual([
      'Mute',
      'Hold',
      'Keypad',
      'Transfer',
      'Add call',
      'Chat',
      'Merge',
    ]);
    await page.keyboard.press('r');
    await page
      .getByRole('toolbar', { name: 'Call controls' })
      .getByRole('button', { name: 'Chat' })
      .click();
    expect(await page.getByTestId('call-chat-unavailable').innerText()).toContain(
      'Chat is unavailable',
    );
    await page.getByRole('button', { name: 'Hang up', exact: true }).click();
    expect(await actions(page)).toEqual([['hangup', snapshot().id]]);
    await close();
  });

  it('shows why the chat screen cannot load, and the keypad still works', async () => {
    const { page, close } = await openView(views.browser, views.url, 'main', { refuse });
    await page.getByRole('tab', { name: 'Chat' }).click();
    const problem = page.getByTestId('view-load-error');
    expect(await problem.innerText()).toMatch(
      /^This screen could not load: Chat is unavailable: its code could not load \(.+\)\./,
    );
    await page.getByRole('tab', { name: 'Keypad' }).click();
    await page
      .getByRole('group', { name: 'Dial pad' })
      .getByRole('button', { name: '3 DEF' })
      .click();
    expect(await page.getByLabel('Number or address').inputValue()).toBe('3');
    await close();
  });
});
