// The pure helpers behind the window's words and keys (src-renderer/src/lib/ui): shortcuts,
// account states and the status bar's summary, what Answer will do, and the forgiving account
// form input.
import { describe, expect, it } from 'vitest';
import type { CallSnapshot, RegistrationState } from '../../../src-renderer/src/lib/phone';
import {
  completeSipAddress,
  suggestWebSocketUri,
} from '../../../src-renderer/src/lib/ui/account-input';
import { answerLabel, lineStateText } from '../../../src-renderer/src/lib/ui/call-labels';
import { iceFields, iceServersFrom } from '../../../src-renderer/src/lib/ui/ice-fields';
import {
  callKey,
  shortcutText,
  windowShortcut,
  type KeyPress,
} from '../../../src-renderer/src/lib/ui/keyboard';
import { accountStatus, phoneStatus } from '../../../src-renderer/src/lib/ui/status';
import { snapshot } from '../../support/call-info';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('keyboard', () => {
  it('answers, declines, hangs up and mutes only with Ctrl+Shift or ⌘⇧', () => {
    expect(windowShortcut(press('H', { ctrlKey: true, shiftKey: true }))).toBe('hangup');
    expect(windowShortcut(press('h', { metaKey: true, shiftKey: true }))).toBe('hangup');
    expect(windowShortcut(press('A', { ctrlKey: true, shiftKey: true }))).toBe('answer');
    expect(windowShortcut(press('D', { ctrlKey: true, shiftKey: true }))).toBe('decline');
    expect(windowShortcut(press('M', { ctrlKey: true, shiftKey: true }))).toBe('mute');
    // Without both modifiers, or with Alt, nothing.
    for (const p of [
      press('h'),
      press('Enter'),
      press(' '),
      press('Escape'),
      press('H', { shiftKey: true }),
      press('h', { ctrlKey: true }),
      press('H', { ctrlKey: true, shiftKey: true, altKey: true }),
      press('X', { ctrlKey: true, shiftKey: true }),
    ]) {
      expect(windowShortcut(p)).toBeNull();
    }
    expect(shortcutText('hangup', false)).toBe('Ctrl+Shift+H');
    expect(shortcutText('hangup', true)).toBe('⌘⇧H');
  });

  it('in a call: digits, M, H and R outside fields; Escape only closes a panel', () => {
    expect(callKey(press('5'), false)).toEqual({ kind: 'dtmf', key: '5' });
    expect(callKey(press('#'), false)).toEqual({ kind: 'dtmf', key: '#' });
    expect(callKey(press('M'), false)).toEqual({ kind: 'mute' });
    expect(callKey(press('h'), false)).toEqual({ kind: 'hold' });
    expect(callKey(press('R'), false)).toEqual({ kind: 'record' });
    expect(callKey(press('r'), true)).toBeNull();
    expect(callKey(press('Escape'), false)).toEqual({ kind: 'close-panel' });
    expect(callKey(press('Escape'), true)).toEqual({ kind: 'close-panel' });
    expect(callKey(press('5'), true)).toBeNull();
    expect(callKey(press('m', { ctrlKey: true }), false)).toBeNull();
    expect(callKey(press('Enter'), false)).toBeNull();
    expect(callKey(press(' '), false)).toBeNull();
  });
});

const failed = (
  cause: 'wrong-credentials' | 'server-unreachable' | 'connection-lost',
  retryAt: number | null,
) => ({ status: 'failed', cause, message: `sentence for ${cause}`, code: null, retryAt }) as const;

describe('account states', () => {
  it('says each state in words, with the cause and what to do', () => {
    expect(accountStatus(false, { status: 'registered', since: 1 })).toMatchObject({
      tone: 'off',
      text: 'Disabled',
    });
    expect(accountStatus(true, { status: 'registered', since: 1 })).toEqual({
      tone: 'ok',
      text: 'Registered',
      detail: null,
      action: null,
    });
    expect(accountStatus(true, { status: 'connecting', attempt: 3 }).text).toBe(
      'Connecting (try 3)…',
    );
    expect(accountStatus(true, failed('wrong-credentials', null))).toEqual({
      tone: 'bad',
      text: 'Wrong credentials',
      detail: 'sentence for wrong-credentials',
      action: 'fix',
    });
    expect(accountStatus(true, failed('server-unreachable', 5)).action).toBeNull();
    expect(accountStatus(true, failed('server-unreachable', null)).action).toBe('retry');
    // A lost connection is being replaced on its own: the account says so (issue 20).
    expect(accountStatus(true, failed('connection-lost', null))).toMatchObject({
      tone: 'bad',
      text: 'Connection lost, reconnecting…',
    });
  });

  it('summarises every account: the worst wins, DND is its own sign', () => {
    const ok: RegistrationState = { status: 'registered', since: 1 };
    const connecting: RegistrationState = { status: 'connecting', attempt: 1 };
    const office = { label: 'Office', state: ok };
    const home = { label: 'Home', state: failed('wrong-credentials', null) };
    expect(phoneStatus([office], false)).toEqual({
      dot: 'ok',
      text: 'Registered',
      status: 'registered',
    });
    expect(phoneStatus([office, { label: 'Home', state: ok }], false).text).toBe(
      'All 2 registered',
    );
    // A failing account that is not the default still turns the dot red.
    expect(phoneStatus([office, home], false)).toEqual({
      dot: 'bad',
      text: 'Home: wrong credentials',
      status: 'failed',
    });
    expect(phoneStatus([office, { label: 'Lab', state: connecting }], false)).toMatchObject({
      dot: 'busy',
      text: 'Lab: connecting…',
    });
    expect(phoneStatus([home, { ...home, label: 'Lab' }], false).text).toBe(
      '2 accounts not registered',
    );
    expect(phoneStatus([office], true)).toEqual({
      dot: 'dnd',
      text: 'Do not disturb',
      status: 'registered',
    });
    expect(phoneStatus([office, home], true)).toMatchObject({
      dot: 'bad',
      text: 'Home: wrong credentials · Do not disturb',
    });
    expect(phoneStatus([], false, 2)).toEqual({
      dot: 'off',
      text: 'No account enabled',
      status: 'none',
    });
    expect(phoneStatus([], false)).toEqual({
      dot: 'off',
      text: 'No account set up yet',
      status: 'none',
    });
  });
});

const call = (over: Partial<CallSnapshot>): CallSnapshot =>
  snapshot({ party: { name: 'Bob', user: '1002', uri: 'sip:1002@x' }, id: 'c1', ...over });

describe('call labels', () => {
  const nameOf = (p: { name: string | null; user: string }): string => p.name ?? p.user;
  it('says what Answer holds first', () => {
    expect(answerLabel(null, null, nameOf)).toBe('Answer');
    expect(answerLabel(call({}), null, nameOf)).toBe('Hold Bob and answer');
    expect(answerLabel(call({}), ['c1', 'c2'], nameOf)).toBe('Hold conference and answer');
    expect(answerLabel(call({ hold: { local: true, remote: false } }), null, nameOf)).toBe(
      'Answer',
    );
    expect(answerLabel(call({ status: 'ringing' }), null, nameOf)).toBe('Answer');
  });

  it('names a line state', () => {
    expect(lineStateText(call({}), false)).toBe('Active');
    expect(lineStateText(call({}), true)).toBe('In conference');
    expect(lineStateText(call({ hold: { local: true, remote: false } }), true)).toBe('On hold');
    expect(lineStateText(call({ hold: { local: false, remote: true } }), false)).toBe(
      'Held by them',
    );
    expect(lineStateText(call({ status: 'dialing' }), false)).toBe('Calling…');
  });
});

describe('account form input', () => {
  it('suggests wss:// for a server typed without it', () => {
    expect(suggestWebSocketUri('pbx.example.com:8089/ws')).toBe('wss://pbx.example.com:8089/ws');
    expect(suggestWebSocketUri('https://pbx.example.com/ws')).toBe('wss://pbx.example.com/ws');
    expect(suggestWebSocketUri('http://10.0.0.5:8088/ws')).toBe('ws://10.0.0.5:8088/ws');
    expect(suggestWebSocketUri('localhost:8080')).toBe('wss://localhost:8080');
    expect(suggestWebSocketUri('wss://pbx.example.com/ws')).toBeNull();
    expect(suggestWebSocketUri('not a server')).toBeNull();
    expect(suggestWebSocketUri('')).toBeNull();
  });

  it('completes a bare extension with the server domain', () => {
    const ws = 'wss://pbx.example.com:8089/ws';
    expect(completeSipAddress('1001', ws)).toBe('sip:1001@pbx.example.com');
    expect(completeSipAddress(' alice ', ws)).toBe('sip:alice@pbx.example.com');
    expect(completeSipAddress('1001@other.example.com', ws)).toBe('sip:1001@other.example.com');
    expect(completeSipAddress('sips:1001@x.example.com', ws)).toBe('sips:1001@x.example.com');
    expect(completeSipAddress('1001', '')).toBe('1001');
    expect(completeSipAddress('1001', 'wss://[::1]:8089/ws')).toBe('sip:1001@[::1]');
  });
});

describe('STUN/TURN fields', () => {
  it('keeps a saved list as it is, and splits STUN from TURN (with its user) when edited', () => {
    const saved = [
      { urls: ['stun:a.example.com'] },
      { urls: ['turn:b.example.com'], username: 'u1' },
      { urls: ['turns:c.example.com'], username: 'u1' },
    ];
    const fields = iceFields(saved);
    expect(fields).toEqual({
      urls: 'stun:a.example.com turn:b.example.com turns:c.example.com',
      username: 'u1',
    });
    expect(iceServersFrom(saved, fields)).toEqual(saved);
    expect(
      iceServersFrom(saved, { urls: 'stun:a.example.com  turn:b.example.com', username: 'u2' }),
    ).toEqual([{ urls: ['stun:a.example.com'] }, { urls: ['turn:b.example.com'], username: 'u2' }]);
    expect(iceServersFrom(saved, { urls: '', username: '' })).toEqual([]);
    expect(iceServersFrom([], { urls: 'turn:t.example.com', username: '' })).toEqual([
      { urls: ['turn:t.example.com'] },
    ]);
  });
});
