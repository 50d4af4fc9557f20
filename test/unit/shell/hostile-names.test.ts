// Issue 13: hostile display names through every main-process surface, with the fakes of the
// other shell tests. Each name takes the app's road: cleaned where it enters the phone
// (partyFromUri), sent over IPC and parsed by main's schema, then shown by the notification (per
// OS: Linux servers read the body as markup), the popup's URL, the tray tooltip and menu. Main
// also defends itself: a payload that was not cleaned by the renderer is cleaned by the schema.
import type { NotificationConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { IncomingCallNotice, PhoneSummary } from '@shared/ipc-contract';
import { invokeSchemas } from '@shared/ipc-schemas';
import { NAME_MAX } from '@shared/network-text';
import { incomingCallOptions } from '../../../src-main/notifications/incoming-call';
import {
  TOOLTIP_MAX,
  trayMenu,
  trayTooltip,
  STARTING_SUMMARY,
} from '../../../src-main/tray/tray-model';
import { popupUrl } from '../../../src-main/windows/incoming-popup';
import { partyFromUri } from '../../../src-renderer/src/lib/phone/target';
import { forbiddenIn, HOSTILE_NAMES } from '../../support/hostile-names';

const PLATFORMS = ['linux', 'darwin', 'win32'] as const;

/** What main makes of a notice the renderer sends (the router parses every payload). */
function received(notice: IncomingCallNotice): IncomingCallNotice {
  return invokeSchemas['notify/incoming-call'].parse(notice);
}

function receivedSummary(party: string): PhoneSummary {
  return invokeSchemas['phone/state-changed'].parse({
    ...STARTING_SUMMARY,
    registration: 'registered',
    registrationText: 'Registered: Office',
    call: 'ringing',
    party,
    recentNumbers: [{ display: party, dial: '+15550100' }],
  });
}

/** The text with balanced isolates taken out; fails when they are not balanced. */
function withoutIsolates(text: string): string {
  const opened = (text.match(/\u2068/g) ?? []).length;
  const closed = (text.match(/\u2069/g) ?? []).length;
  expect(opened).toBe(closed);
  return text.replace(/[\u2068\u2069]/g, '');
}

function expectInert(text: string): void {
  expect(forbiddenIn(withoutIsolates(text))).toBeNull();
}

/** Linux notification body: markup characters only as the three entities. */
function expectEscapedMarkup(body: string): void {
  expect(body).not.toMatch(/[<>]/);
  expect(body.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
}

describe.each(HOSTILE_NAMES.map((n) => [n.what, n] as const))('%s', (_what, name) => {
  const party = partyFromUri(name.raw, '+15550100', 'example.com');
  const notice = received({
    callId: 'call-1',
    name: party.name,
    number: party.user,
    accountLabel: 'Office',
  });

  it('enters the phone as one inert, bounded line', () => {
    const shown = party.name ?? '';
    expect(forbiddenIn(shown)).toBeNull();
    expect(Array.from(shown).length).toBeLessThanOrEqual(NAME_MAX);
    if (name.shown !== undefined) {
      expect(party.name).toBe(name.shown === '' ? null : name.shown);
    }
  });

  it.each(PLATFORMS)('notification on %s: inert title and body', (platform) => {
    const options: NotificationConstructorOptions = incomingCallOptions(notice, platform);
    const title = options.title ?? '';
    const body = options.body ?? '';
    expectInert(title);
    expectInert(body.replace(/\n/g, ' '));
    expect(title).not.toBe('');
    if (platform === 'linux') {
      expect(title).not.toMatch(/[<>]/);
      expectEscapedMarkup(body);
    } else {
      expect(title).toBe(party.name ?? party.user);
    }
  });

  it('popup: the caller travels in the URL as the cleaned text', () => {
    const url = popupUrl('app://softphone/index.html', notice);
    const params = new URLSearchParams(url.slice(url.indexOf('#popup?') + '#popup?'.length));
    expect(params.get('name')).toBe(party.name);
    expect(params.get('number')).toBe('+15550100');
  });

  it('tray: tooltip and menu', () => {
    const summary = receivedSummary(party.name ?? party.user);
    const tooltip = trayTooltip(summary);
    expect(tooltip.length).toBeLessThanOrEqual(TOOLTIP_MAX);
    expect(tooltip).not.toMatch(/[<>]/);
    for (const line of tooltip.split('\n')) {
      expectInert(line);
    }
    const labels = trayMenu(summary, false).flatMap((e) => [
      e.label ?? '',
      ...(e.submenu ?? []).map((s) => s.label ?? ''),
    ]);
    for (const label of labels) {
      expectInert(label);
    }
  });
});

describe('main cleans what a renderer did not', () => {
  it.each(HOSTILE_NAMES.filter((n) => n.raw.length <= 300).map((n) => [n.what, n] as const))(
    '%s',
    (_what, name) => {
      const notice = received({
        callId: 'c',
        name: name.raw,
        number: name.raw,
        accountLabel: name.raw.slice(0, 100),
      });
      for (const text of [notice.name ?? '', notice.number, notice.accountLabel]) {
        expect(forbiddenIn(text)).toBeNull();
        expect(Array.from(text).length).toBeLessThanOrEqual(NAME_MAX);
      }
      for (const platform of PLATFORMS) {
        const options = incomingCallOptions(notice, platform);
        expectInert(options.title ?? '');
        if (platform === 'linux') {
          expectEscapedMarkup(options.body ?? '');
        }
      }
      const summary = receivedSummary(name.raw);
      expect(trayTooltip(summary)).not.toMatch(/[<>]/);
    },
  );
});

describe('what the notification shows', () => {
  it('on Linux: tags neutralized in the title, escaped in the body', () => {
    const options = incomingCallOptions(
      received({ callId: 'c', name: '<b>Boss</b>', number: '<i>1</i>', accountLabel: 'A & B' }),
      'linux',
    );
    expect(options.title).toBe('‹b›Boss‹/b›');
    expect(options.body).toBe('&lt;i&gt;1&lt;/i&gt;\nIncoming call on A &amp; B');
  });

  it('on macOS: the same text as it came, one line', () => {
    const options = incomingCallOptions(
      received({ callId: 'c', name: '<b>Boss</b>\r\n', number: '1', accountLabel: 'A & B' }),
      'darwin',
    );
    expect(options.title).toBe('<b>Boss</b>');
    expect(options.body).toBe('1\nIncoming call on A & B');
  });

  it('a right-to-left name in the tooltip is isolated from our sentence', () => {
    const tooltip = trayTooltip({ ...receivedSummary('محمد'), call: 'in-call', muted: true });
    expect(tooltip).toContain('In call with \u2068محمد\u2069 (muted)');
  });
});
