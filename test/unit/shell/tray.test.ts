// Unit tests of the tray: icon state, tooltip and menu for a series of phone summaries (recent
// numbers, missed calls, do-not-disturb, calls), the service with a fake Tray and menu builder
// (icons swapped only on state changes, clicks routed), and the committed icon files.
import type { MenuItemConstructorOptions } from 'electron';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PhoneSummary } from '@shared/ipc-contract';
import { allTrayIcons } from '../../../scripts/tray-icons/draw';
import { decodePng } from '../../../scripts/lib/png';
import {
  STARTING_SUMMARY,
  TOOLTIP_MAX,
  trayMenu,
  trayState,
  trayTooltip,
  type TrayMenuEntry,
} from '../../../src-main/tray/tray-model';
import { trayIconDir, TrayService, type TrayLike } from '../../../src-main/tray/tray-service';
import { TRAY_STATES, trayIconFile } from '../../../src-main/tray/tray-states';
import { FakeEmitter } from '../../support/fake-emitter';

const ICON_DIR = resolve(import.meta.dirname, '../../../resources/tray');

function summary(patch: Partial<PhoneSummary> = {}): PhoneSummary {
  return {
    registration: 'registered',
    registrationText: 'Registered: Office',
    call: 'idle',
    party: null,
    muted: false,
    doNotDisturb: false,
    missedCount: 0,
    unreadMessages: 0,
    recentNumbers: [],
    voicemailWaiting: false,
    voicemailNew: 0,
    ...patch,
  };
}

const RECENT = Array.from({ length: 8 }, (_, i) => ({
  display: `+1 555 010${i}`,
  dial: `+155501${String(i).padStart(2, '0')}`,
}));

function labels(entries: TrayMenuEntry[]): string[] {
  return entries.map((e) => (e.type === 'separator' ? '---' : (e.label ?? '')));
}

describe('tray model over a day of summaries', () => {
  const day: { summary: PhoneSummary; state: string; tooltip: string }[] = [
    { summary: STARTING_SUMMARY, state: 'offline', tooltip: 'Open Softphone: Starting…' },
    {
      summary: summary({ registration: 'connecting', registrationText: 'Connecting…' }),
      state: 'connecting',
      tooltip: 'Open Softphone: Connecting…',
    },
    { summary: summary(), state: 'registered', tooltip: 'Open Softphone: Registered: Office' },
    {
      summary: summary({ call: 'ringing', party: 'Bob' }),
      state: 'ringing',
      tooltip: 'Open Softphone: Registered: Office\nIncoming call from Bob',
    },
    {
      summary: summary({ call: 'in-call', party: 'Bob', muted: true }),
      state: 'in-call',
      tooltip: 'Open Softphone: Registered: Office\nIn call with Bob (muted)',
    },
    {
      summary: summary({ call: 'on-hold', party: 'Bob' }),
      state: 'in-call',
      tooltip: 'Open Softphone: Registered: Office\nOn hold: Bob',
    },
    {
      summary: summary({ call: 'calling', party: '+1 555 0100' }),
      state: 'in-call',
      tooltip: 'Open Softphone: Registered: Office\nCalling +1 555 0100…',
    },
    {
      summary: summary({ call: 'in-call', party: 'Bob', recording: 'recording' }),
      state: 'recording',
      tooltip:
        'Open Softphone: Registered: Office\nIn call with Bob\nREC: this call is being recorded',
    },
    {
      summary: summary({ call: 'on-hold', party: 'Bob', recording: 'paused' }),
      state: 'in-call',
      tooltip: 'Open Softphone: Registered: Office\nOn hold: Bob\nREC paused',
    },
    {
      summary: summary({ missedCount: 1 }),
      state: 'missed',
      tooltip: 'Open Softphone: Registered: Office\n1 missed call',
    },
    {
      summary: summary({ voicemailWaiting: true, voicemailNew: 2 }),
      state: 'voicemail',
      tooltip: 'Open Softphone: Registered: Office\n2 new voicemails',
    },
    {
      summary: summary({ voicemailWaiting: true }),
      state: 'voicemail',
      tooltip: 'Open Softphone: Registered: Office\nVoicemail waiting',
    },
    {
      summary: summary({ missedCount: 1, voicemailWaiting: true, voicemailNew: 1 }),
      state: 'missed',
      tooltip: 'Open Softphone: Registered: Office\n1 missed call\n1 new voicemail',
    },
    {
      summary: summary({ unreadMessages: 1 }),
      state: 'missed',
      tooltip: 'Open Softphone: Registered: Office\n1 unread message',
    },
    {
      summary: summary({ unreadMessages: 4, missedCount: 2 }),
      state: 'missed',
      tooltip: 'Open Softphone: Registered: Office\n2 missed calls\n4 unread messages',
    },
    {
      summary: summary({ missedCount: 3, doNotDisturb: true }),
      state: 'dnd',
      tooltip: 'Open Softphone: Registered: Office\nDo not disturb\n3 missed calls',
    },
    {
      summary: summary({ doNotDisturb: true, call: 'ringing', party: 'Carol' }),
      state: 'ringing',
      tooltip: 'Open Softphone: Registered: Office\nIncoming call from Carol\nDo not disturb',
    },
    {
      summary: summary({ registration: 'failed', registrationText: 'Wrong password for Office' }),
      state: 'offline',
      tooltip: 'Open Softphone: Wrong password for Office',
    },
    {
      summary: summary({ registration: 'offline', registrationText: 'No account set up' }),
      state: 'offline',
      tooltip: 'Open Softphone: No account set up',
    },
  ];

  it.each(day)('$state: $tooltip', ({ summary: s, state, tooltip }) => {
    expect(trayState(s)).toBe(state);
    expect(trayTooltip(s)).toBe(tooltip);
  });

  it('unread messages: a menu entry that opens the chat; the tray shows the count, never a name or a text', () => {
    const menu = trayMenu(summary({ unreadMessages: 3 }), false);
    const entry = menu.find((e) => e.label === '3 unread messages');
    expect(entry?.command).toEqual({ kind: 'open-chat' });
    expect(labels(trayMenu(summary(), false))).not.toContain('0 unread messages');
  });

  it('cuts long tooltips to what Windows can show', () => {
    const text = trayTooltip(
      summary({ registrationText: 'x'.repeat(300), party: 'y'.repeat(300), call: 'in-call' }),
    );
    expect(text.length).toBe(TOOLTIP_MAX);
    expect(text.endsWith('…')).toBe(true);
  });

  it('menu: status, call back (last 5), clipboard, DND, show/hide, quit', () => {
    const menu = trayMenu(summary({ recentNumbers: RECENT }), false);
    expect(labels(menu)).toEqual([
      'Registered: Office',
      '---',
      'Call back',
      'Call number from clipboard',
      '---',
      'Do not disturb',
      '---',
      'Show window',
      'Quit Open Softphone',
    ]);
    expect(menu[0]?.enabled).toBe(false);
    const callBack = menu.find((e) => e.label === 'Call back');
    expect(callBack?.submenu?.map((e) => [e.label, e.command])).toEqual(
      RECENT.slice(0, 5).map((r) => [r.display, { kind: 'call-back', dial: r.dial }]),
    );
    expect(menu.find((e) => e.label === 'Do not disturb')).toMatchObject({
      type: 'checkbox',
      checked: false,
      command: { kind: 'toggle-dnd' },
    });
  });

  it('menu: no recent calls, DND checked, missed calls, a call, window visible', () => {
    const menu = trayMenu(
      summary({ doNotDisturb: true, missedCount: 2, call: 'in-call', party: 'Bob' }),
      true,
    );
    expect(labels(menu)).toEqual([
      'Registered: Office',
      'In call with Bob',
      '2 missed calls',
      '---',
      'No recent calls',
      'Call number from clipboard',
      '---',
      'Do not disturb',
      '---',
      'Hide window',
      'Quit Open Softphone',
    ]);
    expect(menu.find((e) => e.label === 'No recent calls')?.enabled).toBe(false);
    expect(menu.find((e) => e.label === '2 missed calls')?.command).toEqual({
      kind: 'show-window',
    });
    expect(menu.find((e) => e.label === 'Do not disturb')?.checked).toBe(true);
  });

  it('menu: voicemail waiting calls voicemail', () => {
    const menu = trayMenu(summary({ voicemailWaiting: true, voicemailNew: 3 }), false);
    expect(labels(menu).slice(0, 3)).toEqual([
      'Registered: Office',
      'Call voicemail (3 new voicemails)',
      '---',
    ]);
    expect(menu[1]?.command).toEqual({ kind: 'call-voicemail' });
    const counted = trayMenu(summary({ voicemailWaiting: true }), false);
    expect(counted[1]?.label).toBe('Call voicemail (voicemail waiting)');
    expect(labels(trayMenu(summary(), false))).not.toContain('Call voicemail');
  });

  it("escapes '&' so a caller's name is not a menu mnemonic", () => {
    const menu = trayMenu(
      summary({ recentNumbers: [{ display: 'Smith & Co', dial: '+15550100' }] }),
      false,
    );
    expect(menu.find((e) => e.label === 'Call back')?.submenu?.[0]?.label).toBe('Smith && Co');
  });
});

class FakeTray extends FakeEmitter implements TrayLike<MenuItemConstructorOptions[]> {
  images: string[] = [];
  tooltip = '';
  menu: MenuItemConstructorOptions[] | null = null;
  destroyed = false;
  constructor(readonly initialIcon: string) {
    super();
  }
  setImage(image: string): void {
    this.images.push(image);
  }
  setToolTip(toolTip: string): void {
    this.tooltip = toolTip;
  }
  setContextMenu(menu: MenuItemConstructorOptions[] | null): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
  click(label: string, inSubmenu?: string): void {
    const items = inSubmenu
      ? (this.menu?.find((i) => i.label === inSubmenu)?.submenu as MenuItemConstructorOptions[])
      : this.menu;
    const item = items?.find((i) => i.label === label);
    if (!item?.click) {
      throw new Error(`no clickable item ${label}`);
    }
    (item.click as () => void)();
  }
}

function service(platform: NodeJS.Platform = 'linux') {
  const log: string[] = [];
  const state = { visible: false, summary: STARTING_SUMMARY };
  let tray: FakeTray | null = null;
  const svc = new TrayService<MenuItemConstructorOptions[]>({
    createTray: (icon) => (tray = new FakeTray(icon)),
    buildMenu: (template) => template,
    iconDir: '/res/tray',
    platform,
    summary: () => state.summary,
    isWindowVisible: () => state.visible,
    commands: {
      callBack: (dial) => log.push(`call-back ${dial}`),
      callFromClipboard: () => log.push('clipboard'),
      toggleDnd: () => log.push('dnd'),
      toggleWindow: () => log.push('toggle'),
      showWindow: () => log.push('show'),
      callVoicemail: () => log.push('voicemail'),
      openChat: () => log.push('open-chat'),
      quit: () => log.push('quit'),
    },
  });
  svc.start();
  const fake = (): FakeTray => {
    if (!tray) {
      throw new Error('no tray');
    }
    return tray;
  };
  // The shell's one summary changes, then the tray is told to redraw.
  const update = (next: PhoneSummary): void => {
    state.summary = next;
    svc.refresh();
  };
  return { svc, fake, log, state, update };
}

describe('TrayService', () => {
  it('starts offline with the starting tooltip and a menu', () => {
    const { fake } = service();
    expect(fake().initialIcon).toBe('/res/tray/offline.png');
    expect(fake().tooltip).toBe('Open Softphone: Starting…');
    expect(fake().menu?.length).toBeGreaterThan(3);
  });

  it('swaps the icon only when the state changes; tooltip and menu follow every summary', () => {
    const { update, fake } = service();
    update(summary());
    update(summary({ recentNumbers: RECENT.slice(0, 1) }));
    update(summary({ call: 'ringing', party: 'Bob' }));
    update(summary({ call: 'in-call', party: 'Bob' }));
    update(summary({ missedCount: 1 }));
    update(summary({ doNotDisturb: true }));
    expect(fake().images).toEqual([
      '/res/tray/registered.png',
      '/res/tray/ringing.png',
      '/res/tray/in-call.png',
      '/res/tray/missed.png',
      '/res/tray/dnd.png',
    ]);
    expect(fake().tooltip).toBe('Open Softphone: Registered: Office\nDo not disturb');
  });

  const menuLabels = (fake: FakeTray): string[] => (fake.menu ?? []).map((i) => i.label ?? '');

  it('shows REC: the recording icon, and a REC line in the menu, while a call is recorded', () => {
    const { update, fake } = service();
    update(summary({ call: 'in-call', party: 'Bob' }));
    update(summary({ call: 'in-call', party: 'Bob', recording: 'recording' }));
    expect(menuLabels(fake())).toContain('REC: this call is being recorded');
    update(summary({ call: 'in-call', party: 'Bob', recording: 'paused' }));
    expect(menuLabels(fake())).toContain('REC paused');
    update(summary());
    expect(fake().images).toEqual([
      '/res/tray/in-call.png',
      '/res/tray/recording.png',
      '/res/tray/in-call.png',
      '/res/tray/registered.png',
    ]);
    expect(menuLabels(fake()).some((l) => l.startsWith('REC'))).toBe(false);
  });

  it('uses template images on macOS', () => {
    const { update, fake } = service('darwin');
    update(summary());
    expect(fake().initialIcon).toBe('/res/tray/offlineTemplate.png');
    expect(fake().images).toEqual(['/res/tray/registeredTemplate.png']);
  });

  it('routes every menu item to its command', () => {
    const { update, fake, log } = service();
    update(summary({ recentNumbers: RECENT.slice(0, 2), missedCount: 1, voicemailNew: 1 }));
    fake().click('+1 555 0101', 'Call back');
    fake().click('Call number from clipboard');
    fake().click('Do not disturb');
    fake().click('1 missed call');
    fake().click('Call voicemail (1 new voicemail)');
    fake().click('Show window');
    fake().click('Quit Open Softphone');
    expect(log).toEqual([
      'call-back +15550101',
      'clipboard',
      'dnd',
      'show',
      'voicemail',
      'toggle',
      'quit',
    ]);
  });

  it('left click toggles the window where the OS reports clicks, not on macOS', () => {
    const linux = service('linux');
    linux.fake().emit('click');
    expect(linux.log).toEqual(['toggle']);
    const mac = service('darwin');
    expect(mac.fake().listenerCount('click')).toBe(0);
  });

  it('the Show/Hide entry follows the window', () => {
    const { svc, fake, state } = service();
    expect(fake().menu?.some((i) => i.label === 'Show window')).toBe(true);
    state.visible = true;
    svc.refresh();
    expect(fake().menu?.some((i) => i.label === 'Hide window')).toBe(true);
  });

  it('destroys its icon', () => {
    const { svc, fake } = service();
    expect(svc.active).toBe(true);
    svc.destroy();
    expect(fake().destroyed).toBe(true);
    expect(svc.active).toBe(false);
  });

  it('keeps no copy of the summary: it draws whatever the shell holds when told to', () => {
    const { svc, fake, state } = service();
    state.summary = summary({ call: 'ringing', party: 'Bob' });
    expect(fake().tooltip).toBe('Open Softphone: Starting…'); // not redrawn yet
    expect(svc.menu().find((e) => e.label?.startsWith('Incoming'))?.label).toBe(
      'Incoming call from Bob',
    );
    svc.refresh();
    expect(fake().tooltip).toBe('Open Softphone: Registered: Office\nIncoming call from Bob');
  });
});

describe('tray icon files', () => {
  it('are found next to the app in dev and in resources when packaged', () => {
    expect(trayIconDir({ isPackaged: false, resourcesPath: '/r', appPath: '/app' })).toBe(
      '/app/resources/tray',
    );
    expect(trayIconDir({ isPackaged: true, resourcesPath: '/r', appPath: '/app' })).toBe('/r/tray');
  });

  it('exist for every state, in 1x and 2x, colour and macOS template', () => {
    for (const state of TRAY_STATES) {
      for (const platform of ['linux', 'darwin']) {
        const file = join(ICON_DIR, trayIconFile(state, platform));
        expect(existsSync(file), file).toBe(true);
        expect(existsSync(file.replace(/\.png$/, '@2x.png')), file).toBe(true);
      }
    }
  });

  it('are what the generator draws (16 and 32 px, templates black + alpha)', () => {
    const expected = allTrayIcons(TRAY_STATES);
    expect(expected.size).toBe(TRAY_STATES.length * 4);
    for (const [name, image] of expected) {
      const onDisk = decodePng(readFileSync(join(ICON_DIR, name)));
      expect([onDisk.width, onDisk.height], name).toEqual(
        name.includes('@2x') ? [32, 32] : [16, 16],
      );
      expect(
        Buffer.from(onDisk.data).equals(Buffer.from(image.data)),
        `${name} is stale: npm run icons:tray`,
      ).toBe(true);
      if (name.includes('Template')) {
        for (let i = 0; i < onDisk.data.length; i += 4) {
          const rgb = [onDisk.data[i], onDisk.data[i + 1], onDisk.data[i + 2]];
          expect(rgb, `${name} pixel ${i / 4}`).toEqual([0, 0, 0]);
        }
      }
    }
  });

  it('differ from state to state', () => {
    const icons = allTrayIcons(TRAY_STATES);
    for (const suffix of ['.png', 'Template.png']) {
      const seen = new Set(
        TRAY_STATES.map((s) =>
          Buffer.from(icons.get(`${s}${suffix}`)?.data ?? []).toString('base64'),
        ),
      );
      expect(seen.size, suffix).toBe(TRAY_STATES.length);
    }
  });
});
