// Unit tests of OS link handling: argv extraction on a hostile corpus, the link service on cold
// start, second instance, macOS open-url, the clipboard and links before the page is ready,
// and the link handler: nothing registered at start, an explicit action per OS, and the state
// read the way each OS decides (fake modelled on Electron's docs: test/support/fake-os-links.ts).
import { describe, expect, it } from 'vitest';
import { parseDialLink, parseTypedDial } from '@shared/dial-target';
import type { EventChannel, EventMap } from '@shared/ipc-contract';
import { linkCandidates, LINK_SCHEMES, looksLikeLink } from '../../../src-main/links/argv';
import { LinkService } from '../../../src-main/links/link-service';
import {
  handlerCommand,
  LinkHandlers,
  WINDOWS_DEFAULT_APPS_URL,
} from '../../../src-main/links/protocol-client';
import { FakeOsLinks, type OsLinksOptions } from '../../support/fake-os-links';
import { ARGV_CORPUS } from './argv.corpus';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

interface Sent {
  channel: EventChannel;
  payload: unknown;
}

function setup(
  opts: { autoDial?: boolean; pageUp?: boolean; clipboard?: () => Promise<string> } = {},
) {
  const state = { autoDial: opts.autoDial ?? false, pageUp: opts.pageUp ?? true, fronts: 0 };
  const sent: Sent[] = [];
  const links = new LinkService({
    parseLink: parseDialLink,
    parseTyped: parseTypedDial,
    autoDial: () => state.autoDial,
    send: <C extends EventChannel>(channel: C, payload: EventMap[C]) => {
      if (!state.pageUp) {
        return false;
      }
      sent.push({ channel, payload });
      return true;
    },
    bringToFront: () => (state.fronts += 1),
    readClipboard: opts.clipboard ?? (async () => ''),
    log: silent,
  });
  return { links, sent, state };
}

describe('argv extraction corpus', () => {
  it('has a hostile corpus of its own', () => {
    expect(ARGV_CORPUS.length).toBeGreaterThanOrEqual(50);
  });

  it.each(ARGV_CORPUS)('$title', ({ argv, expect: expected }) => {
    const { links, sent, state } = setup();
    links.takePending(); // the page is listening
    const found = links.fromArgv(argv);
    expect(found).toBe(expected !== null);
    if (expected === null) {
      expect(sent).toEqual([]);
      expect(state.fronts).toBe(0);
      return;
    }
    expect(sent).toHaveLength(1);
    expect(state.fronts).toBe(1);
    const [event] = sent;
    if ('dial' in expected) {
      expect(event?.channel).toBe('links/dial-requested');
      expect(event?.payload).toMatchObject({
        target: { dial: expected.dial },
        source: 'link',
        autoDial: false,
      });
    } else {
      expect(event?.channel).toBe('links/rejected');
      const reason = parseDialLink(linkCandidates(argv)[0] ?? '');
      expect(reason.ok ? null : reason.reason).toBe(expected.rejected);
      expect(event?.payload).toEqual({ message: reason.ok ? '' : reason.message });
    }
  });

  it('never returns a switch as a candidate', () => {
    for (const { argv } of ARGV_CORPUS) {
      for (const candidate of linkCandidates(argv)) {
        expect(candidate.startsWith('-')).toBe(false);
        expect(looksLikeLink(candidate)).toBe(true);
      }
    }
  });

  it('answers exactly tel, sip, sips and callto', () => {
    expect([...LINK_SCHEMES]).toEqual(['tel', 'sip', 'sips', 'callto']);
  });
});

describe('LinkService', () => {
  it('queues a cold-start link until the page asks for it, and shows the window', () => {
    const { links, sent, state } = setup();
    expect(links.fromArgv(['/app', '--', 'tel:+1-555-0100'])).toBe(true);
    expect(sent).toEqual([]);
    expect(state.fronts).toBe(1);
    const pending = links.takePending();
    expect(pending).toMatchObject({
      target: { kind: 'number', dial: '+15550100', display: '+1 555 0100' },
      source: 'link',
      autoDial: false,
    });
    expect(links.takePending()).toBeNull();
  });

  it('keeps only the latest link that arrived before the page was ready', () => {
    const { links } = setup();
    links.fromArgv(['/app', 'tel:+15550100']);
    links.fromUrl('sip:bob@lab.test');
    expect(links.takePending()?.target.dial).toBe('sip:bob@lab.test');
  });

  it('reads autoDial when the link is delivered, not when it arrived', () => {
    const { links, state } = setup();
    links.fromArgv(['/app', 'tel:+15550100']);
    state.autoDial = true;
    expect(links.takePending()?.autoDial).toBe(true);
  });

  it('second instance: sends the link at once to a listening page', () => {
    const { links, sent, state } = setup({ autoDial: true });
    links.takePending();
    links.fromSecondInstance(['/app', '--allow-file-access-from-files', '--', 'tel:+15550100']);
    expect(sent).toEqual([
      {
        channel: 'links/dial-requested',
        payload: expect.objectContaining({ source: 'link', autoDial: true }),
      },
    ]);
    expect(state.fronts).toBe(1);
  });

  it('a link with a message draft (?body=) is never auto-dialled, even with the setting on', () => {
    const { links, sent } = setup({ autoDial: true });
    links.takePending();
    links.fromSecondInstance(['/app', '--', 'sip:bob@example.com?body=Call%20me']);
    expect(sent).toEqual([
      {
        channel: 'links/dial-requested',
        payload: expect.objectContaining({
          target: expect.objectContaining({ dial: 'sip:bob@example.com', body: 'Call me' }),
          autoDial: false,
        }),
      },
    ]);
  });

  it('selected text with a message draft is not dialled by the dial-selection hotkey either', () => {
    const { links, sent } = setup({ autoDial: false });
    links.takePending();
    // "Dial the selected text immediately" on: a plain address dials, a ?body= one opens a draft.
    links.fromSelection(parseTypedDial('tel:+15550100'), true);
    links.fromSelection(parseTypedDial('sip:bob@example.com?body=Call%20me'), true);
    expect(sent).toEqual([
      {
        channel: 'links/dial-requested',
        payload: expect.objectContaining({ source: 'selection', autoDial: true }),
      },
      {
        channel: 'links/dial-requested',
        payload: expect.objectContaining({
          target: expect.objectContaining({ dial: 'sip:bob@example.com', body: 'Call me' }),
          source: 'selection',
          autoDial: false,
        }),
      },
    ]);
  });

  it('second instance without a link just brings the window up', () => {
    const { links, sent, state } = setup();
    links.takePending();
    links.fromSecondInstance(['/app', '--gpu-launcher=x']);
    expect(sent).toEqual([]);
    expect(state.fronts).toBe(1);
  });

  it('macOS open-url: parsed like argv links', () => {
    const { links, sent } = setup();
    links.takePending();
    links.fromUrl('callto:+15550100');
    links.fromUrl('tel:--inspect');
    expect(sent.map((s) => s.channel)).toEqual(['links/dial-requested', 'links/rejected']);
    expect(sent[1]?.payload).toEqual({
      message: 'This looks like a command-line option, not a phone number or address.',
    });
  });

  it('a refusal that arrived before the page listens is sent when it asks', () => {
    const { links, sent } = setup();
    links.fromArgv(['/app', '--', 'tel:+1-800-FLOWERS']);
    expect(sent).toEqual([]);
    expect(links.takePending()).toBeNull();
    expect(sent).toEqual([
      {
        channel: 'links/rejected',
        payload: {
          message:
            'This contains characters that are not allowed in a phone number or SIP address.',
        },
      },
    ]);
  });

  it('queues again while the page reloads', () => {
    const { links, sent } = setup();
    links.takePending();
    links.rendererReset();
    links.fromUrl('tel:+15550100');
    expect(sent).toEqual([]);
    expect(links.takePending()?.target.dial).toBe('+15550100');
  });

  it('keeps the link when the page is gone although it had asked', () => {
    const { links, state } = setup({ pageUp: false });
    links.takePending();
    links.fromUrl('tel:+15550100');
    state.pageUp = true;
    expect(links.takePending()?.target.dial).toBe('+15550100');
  });

  it('clipboard: parses the copied text like typed input, source clipboard', async () => {
    const { links, sent, state } = setup({ clipboard: async () => ' +49 (0)30 123 456 ' });
    links.takePending();
    await links.fromClipboard();
    expect(sent).toEqual([
      {
        channel: 'links/dial-requested',
        payload: expect.objectContaining({
          target: expect.objectContaining({ dial: '+4930123456' }),
          source: 'clipboard',
          autoDial: false,
        }),
      },
    ]);
    expect(state.fronts).toBe(1);
  });

  it('clipboard: autoDial only when the setting is on', async () => {
    const { links, sent } = setup({ autoDial: true, clipboard: async () => 'alice@example.com' });
    links.takePending();
    await links.fromClipboard();
    expect(sent[0]?.payload).toMatchObject({ source: 'clipboard', autoDial: true });
  });

  it('clipboard: junk or an unreadable clipboard is refused with a message', async () => {
    const junk = setup({ clipboard: async () => 'rm -rf /' });
    junk.links.takePending();
    await junk.links.fromClipboard();
    expect(junk.sent[0]?.channel).toBe('links/rejected');
    const broken = setup({
      clipboard: () => Promise.reject(new Error('no clipboard owner')),
    });
    broken.links.takePending();
    await broken.links.fromClipboard();
    expect(broken.sent).toEqual([
      { channel: 'links/rejected', payload: { message: 'The clipboard could not be read.' } },
    ]);
  });
});

describe('protocol client registration', () => {
  it('packaged: the executable with a -- separator before the link', () => {
    expect(
      handlerCommand({ isPackaged: true, execPath: '/opt/app/app', argv: ['/opt/app/app'] }),
    ).toEqual({ path: '/opt/app/app', args: ['--'] });
  });

  it('dev: the Electron binary, the resolved app path, then --', () => {
    expect(
      handlerCommand({
        isPackaged: false,
        execPath: '/w/node_modules/electron/dist/electron',
        argv: ['/w/node_modules/electron/dist/electron', 'relative/app'],
      }),
    ).toEqual({
      path: '/w/node_modules/electron/dist/electron',
      args: [`${process.cwd()}/relative/app`, '--'],
    });
  });
});

function handlers(os: OsLinksOptions & { isPackaged?: boolean }) {
  const fake = new FakeOsLinks(os);
  const opened: string[] = [];
  const warnings: string[] = [];
  const service = new LinkHandlers({
    app: fake.app,
    platform: os.platform,
    isPackaged: os.isPackaged ?? true,
    command: { path: '/opt/app/app', args: ['--'] },
    productName: 'Open Softphone',
    openExternal: (url) => {
      opened.push(url);
      return Promise.resolve();
    },
    log: { ...silent, warn: (t) => warnings.push(t) },
  });
  return { fake, service, opened, warnings };
}

describe('link handler (explicit, per OS)', () => {
  it('Linux: shows who handles each scheme; the action registers all four via xdg-settings', async () => {
    const { fake, service } = handlers({
      platform: 'linux',
      initial: { tel: 'org.gnome.Calls.desktop' },
    });
    const before = service.state();
    expect(before.allDefault).toBe(false);
    expect(before.action).toBe('register');
    expect(before.schemes[0]).toEqual({
      scheme: 'tel',
      handler: 'org.gnome.Calls.desktop',
      isDefault: false,
    });
    expect(fake.calls.filter((c) => c.startsWith('set'))).toEqual([]);
    const after = await service.makeDefault();
    expect(fake.calls.filter((c) => c.startsWith('set'))).toEqual([
      'set tel ["/opt/app/app","--"]',
      'set sip ["/opt/app/app","--"]',
      'set sips ["/opt/app/app","--"]',
      'set callto ["/opt/app/app","--"]',
    ]);
    expect(after.allDefault).toBe(true);
    expect(after.schemes.map((s) => s.handler)).toEqual(Array(4).fill('open-softphone.desktop'));
  });

  it('macOS: a scheme missing from Info.plist is refused and reported', async () => {
    const { service, warnings } = handlers({
      platform: 'darwin',
      plistSchemes: ['tel', 'sip', 'sips'],
      initial: { tel: 'FaceTime' },
    });
    expect(service.state().schemes[0]?.handler).toBe('FaceTime');
    const after = await service.makeDefault();
    expect(after.schemes.map((s) => s.isDefault)).toEqual([true, true, true, false]);
    expect(warnings).toEqual(['the OS did not accept us as the callto: handler']);
  });

  it('Windows: the action opens Default Apps at our entry and writes no registry command', async () => {
    const { fake, service, opened } = handlers({
      platform: 'win32',
      initial: { tel: 'Microsoft Teams' },
    });
    const state = await service.makeDefault();
    expect(opened).toEqual([WINDOWS_DEFAULT_APPS_URL]);
    expect(fake.registryCommands.size).toBe(0);
    expect(state.action).toBe('open-system-settings');
    expect(state.note).toMatch(/Default apps/);
    expect(state.schemes[0]).toMatchObject({ handler: 'Microsoft Teams', isDefault: false });
    // The user picks us in Default Apps (the installer's ProgID is named Open Softphone).
    fake.userChoice.set('tel', 'Open Softphone');
    expect(service.state().schemes[0]).toMatchObject({ isDefault: true });
  });

  it('Windows: a registry command pointing at us does not count while UserChoice says Teams', () => {
    const { fake, service } = handlers({ platform: 'win32', initial: { tel: 'Microsoft Teams' } });
    fake.registryCommands.set('tel', '"/opt/app/app" "--" "%1"');
    expect(fake.app.isDefaultProtocolClient('tel', '/opt/app/app', ['--'])).toBe(true);
    expect(service.state().schemes[0]).toMatchObject({ isDefault: false });
  });

  it('Windows dev run (nothing installed): falls back to the registry command', async () => {
    const { fake, service, opened } = handlers({ platform: 'win32', isPackaged: false });
    const state = await service.makeDefault();
    expect(opened).toEqual([]);
    expect(fake.registryCommands.get('tel')).toBe('"/opt/app/app" "--" "%1"');
    expect(state.allDefault).toBe(true);
  });

  it('reading the state never registers anything', () => {
    const { fake, service } = handlers({ platform: 'linux' });
    service.state();
    service.state();
    expect(fake.calls.every((c) => c.startsWith('is '))).toBe(true);
  });
});
