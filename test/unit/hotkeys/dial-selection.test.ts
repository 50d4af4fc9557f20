// "Dial the selected text": where the text is read on each OS, hostile selections refused in
// plain words (command-line switches, very long, several lines, control and bidi characters),
// and the whole path from the hotkey through the desk services and the link service to the
// page: the dial field is filled, and the call only starts when the user turned that on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDialLink, parseTypedDial } from '@shared/dial-target';
import type { EventChannel, EventMap } from '@shared/ipc-contract';
import { DEFAULT_HOTKEYS } from '@shared/settings-types';
import { createDesk } from '../../../src-main/desk';
import {
  parseSelection,
  readSelection,
  selectionSource,
} from '../../../src-main/hotkeys/selection';
import { LinkService } from '../../../src-main/links/link-service';
import { SettingsStore } from '../../../src-main/settings/settings-store';
import { FakeGlobalShortcut } from '../../support/fake-global-shortcut';

describe('where the selection is read', () => {
  const clipboard = {
    readText: async () => 'from the clipboard',
    selection: { readText: async () => 'from the primary selection' },
  };

  it('reads the primary selection on Linux and the clipboard (after a copy) elsewhere', async () => {
    expect(await readSelection(clipboard, 'linux')).toBe('from the primary selection');
    expect(await readSelection(clipboard, 'darwin')).toBe('from the clipboard');
    expect(await readSelection(clipboard, 'win32')).toBe('from the clipboard');
    expect(selectionSource('linux')).toBe('selection');
  });

  it('falls back to the clipboard where Electron offers no selection clipboard', async () => {
    expect(await readSelection({ readText: async () => 'copied' }, 'linux')).toBe('copied');
  });
});

describe('hostile selections', () => {
  const refused: [string, string, RegExp][] = [
    ['a command-line switch', '--inspect=0.0.0.0:9229', /command-line option/],
    ['a switch after spaces', '   -e require("child_process")', /command-line option/],
    ['very long', `+1 555 0100 ${'x'.repeat(300)}`, /too long to be a phone number/],
    ['several lines', '+1 555 0100\nrm -rf ~\n', /spans several lines/],
    ['CR line breaks', '+1 555 0100\r+1 555 0101', /spans several lines/],
    ['a control character', '+1 555\u0007 0100', /hidden control characters/],
    ['a bidi override', '+1 555 \u202e0100', /hidden control characters/],
    ['a zero-width space', '+1 555\u200b0100', /hidden control characters/],
    ['nothing', '   ', /no phone number or SIP address/],
    ['a word and a number', 'call 555 0100', /not allowed|not a valid/],
  ];
  for (const [what, text, message] of refused) {
    it(`refuses ${what}`, () => {
      const result = parseSelection(text);
      expect(result.ok).toBe(false);
      expect(result.ok ? '' : result.message).toMatch(message);
    });
  }

  it('accepts a number, a SIP address, a tel: link and a line with its line break', () => {
    const accepted: [string, string][] = [
      ['+49 (0)30 1234-567', '+49301234567'],
      ['  bob@example.com  ', 'sip:bob@example.com'],
      ['tel:+1-555-0100', '+15550100'],
      ['+1 555 0100\n', '+15550100'],
      ['\n\n030 1234567\r\n', '0301234567'],
    ];
    for (const [text, dial] of accepted) {
      const result = parseSelection(text);
      expect(result.ok ? result.target.dial : result.message, JSON.stringify(text)).toBe(dial);
    }
  });
});

describe('the hotkey, end to end through the desk services', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  async function desk(selection: string, immediately: boolean) {
    const dir = mkdtempSync(join(tmpdir(), 'softphone-desk-'));
    dirs.push(dir);
    const settings = new SettingsStore(dir);
    await settings.load();
    await settings.update({
      hotkeys: { ...DEFAULT_HOTKEYS, enabled: true, dialSelectionImmediately: immediately },
    });
    const sent: { channel: EventChannel; payload: unknown }[] = [];
    let fronted = 0;
    let wake: () => void = () => {};
    const window = {
      send<C extends EventChannel>(channel: C, payload: EventMap[C]): boolean {
        sent.push({ channel, payload });
        wake();
        return true;
      },
      bringToFront: () => (fronted += 1),
    };
    const links = new LinkService({
      parseLink: parseDialLink,
      parseTyped: parseTypedDial,
      autoDial: () => true, // autoDialLinks is on: the selection must not follow it
      send: (channel, payload) => window.send(channel, payload),
      bringToFront: () => window.bringToFront(),
      readClipboard: async () => '',
    });
    links.takePending();
    const globalShortcut = new FakeGlobalShortcut({ platform: 'linux-x11' });
    const services = createDesk({
      electron: {
        clipboard: {
          readText: async () => 'clipboard',
          selection: { readText: async () => selection },
        } as never,
        globalShortcut: globalShortcut as never,
        shell: { openExternal: async () => {} } as never,
      },
      settings,
      rendererUrl: 'app://softphone/index.html',
      links,
      window,
    });
    services.start({ on: () => undefined });
    /** Presses the dial-selection keys and waits for the page to be told something. */
    const pressDialSelection = async (): Promise<void> => {
      const told = new Promise<void>((resolve) => (wake = resolve));
      expect(globalShortcut.press(DEFAULT_HOTKEYS.accelerators.dialSelection)).toBe(true);
      await told;
    };
    return { globalShortcut, sent, fronted: () => fronted, services, pressDialSelection };
  }

  it('fills the dial field and shows the phone, without dialling by default', async () => {
    const { sent, fronted, pressDialSelection } = await desk('+1 (555) 0100', false);
    await pressDialSelection();
    const request = sent.find((s) => s.channel === 'links/dial-requested');
    expect(request?.payload).toMatchObject({
      source: 'selection',
      autoDial: false,
      target: { dial: '+15550100' },
    });
    expect(fronted()).toBe(1);
  });

  it('dials at once only when "dial selected text without confirmation" is on', async () => {
    const { sent, pressDialSelection } = await desk('+1 (555) 0100', true);
    await pressDialSelection();
    expect(sent.find((s) => s.channel === 'links/dial-requested')?.payload).toMatchObject({
      autoDial: true,
    });
  });

  it('says why a hostile selection is refused, where the number would have appeared', async () => {
    const { sent, pressDialSelection } = await desk('--no-sandbox', true);
    await pressDialSelection();
    expect(sent.map((s) => s.channel)).toEqual(['hotkeys/status-changed', 'links/rejected']);
    expect(sent[1]?.payload).toEqual({
      message: 'This looks like a command-line option, not a phone number or address.',
    });
  });

  it('sends answer, hang up and mute to the page; shows the phone itself; stops on quit', async () => {
    const { globalShortcut, sent, fronted, services } = await desk('', false);
    const { answer, hangUp, mute, showPhone } = DEFAULT_HOTKEYS.accelerators;
    for (const keys of [answer, hangUp, mute, showPhone]) {
      globalShortcut.press(keys);
    }
    expect(sent.filter((s) => s.channel === 'hotkeys/action').map((s) => s.payload)).toEqual([
      { action: 'answer' },
      { action: 'hang-up' },
      { action: 'mute' },
    ]);
    expect(fronted()).toBe(1);
    services.stop();
    expect(globalShortcut.count).toBe(0);
  });
});
