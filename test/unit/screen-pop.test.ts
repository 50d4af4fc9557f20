// Screen-pop: templates checked (http/https only, the site written out, known placeholders),
// values URL-encoded (including hostile display names), the decision per call event (the event
// and direction the user picked, never for a call do-not-disturb declined), and main's service:
// once per call and event, a URL check of its own, refusals in plain words, and the IPC channel
// that carries no URL at all.
import { describe, expect, it } from 'vitest';
import {
  checkScreenPopTemplate,
  decideScreenPop,
  expandScreenPop,
  type ScreenPopValues,
} from '@shared/screen-pop';
import { invokeSchemas } from '@shared/ipc-schemas';
import type { ScreenPopRequest } from '@shared/ipc-contract';
import {
  DEFAULT_SETTINGS,
  type AccountSettings,
  type AppSettings,
  type ScreenPopSettings,
} from '@shared/settings-types';
import { checkScreenPopUrl, ScreenPopService } from '../../src-main/screen-pop/screen-pop-service';
import { officeAccount } from '../support/accounts';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

const VALUES: ScreenPopValues = {
  number: '+49 30 123',
  name: 'Müller & Söhne <boss>',
  account: '1001@pbx.example.com',
  direction: 'incoming',
  callId: 'a84b4c76e66710@pc33/x?y#z',
};

describe('templates', () => {
  it('accepts http and https templates with the known placeholders', () => {
    for (const t of [
      '',
      'https://crm.example.com/search?phone={number}&name={name}',
      'http://10.0.0.5:8080/pop/{direction}/{callId}?agent={account}',
      'HTTPS://CRM.example.com',
    ]) {
      expect(checkScreenPopTemplate(t), t).toBeNull();
    }
  });

  it('refuses other schemes, a placeholder in the site, credentials and stray braces', () => {
    const refusals: [string, RegExp][] = [
      ['javascript:alert({number})', /must start with http/],
      ['file:///etc/passwd?{number}', /must start with http/],
      ['tel:{number}', /must start with http/],
      ['ftp://files.example.com/{number}', /must start with http/],
      ['{number}', /must start with http/],
      ['https://{name}/lookup', /server name written out/],
      ['https://crm.{account}.example.com/', /server name written out/],
      ['https://crm.example.com{number}', /server name written out/],
      ['https://user:pw@crm.example.com/{number}', /user name or password/],
      ['https://crm.example.com/{phone}', /uses \{phone\}; the placeholders are \{number\}/],
      ['https://crm.example.com/{number', /not part of a placeholder/],
      ['https://crm.example.com/ {number}', /spaces, control or invisible/],
      ['https://crm.example.com/\u202e{number}', /spaces, control or invisible/],
    ];
    for (const [template, message] of refusals) {
      expect(checkScreenPopTemplate(template), template).toMatch(message);
    }
  });

  it('URL-encodes every value, so a value can never add a path, query or fragment', () => {
    const result = expandScreenPop(
      'https://crm.example.com/pop?n={number}&who={name}&via={account}&d={direction}#c={callId}',
      VALUES,
    );
    expect(result).toEqual({
      ok: true,
      url:
        'https://crm.example.com/pop?n=%2B49%2030%20123&who=M%C3%BCller%20%26%20S%C3%B6hne%20%3Cboss%3E' +
        '&via=1001%40pbx.example.com&d=incoming#c=a84b4c76e66710%40pc33%2Fx%3Fy%23z',
    });
  });

  it('survives hostile names: lone surrogates, control characters, 10 000 characters', () => {
    const name = `\ud800evil\u0000\n${'x'.repeat(10_000)}`;
    const result = expandScreenPop('https://crm.example.com/?n={name}', { ...VALUES, name });
    expect(result.ok).toBe(true);
    const url = result.ok ? result.url : '';
    expect(url.startsWith('https://crm.example.com/?n=%EF%BF%BDevil%00%0Axxx')).toBe(true);
    expect(url.length).toBeLessThan(400);
  });
});

describe('which call events open it', () => {
  const on = (
    event: ScreenPopSettings['on'],
    direction: ScreenPopSettings['direction'] = 'incoming',
  ) => ({
    url: 'https://crm.example.com/{number}',
    on: event,
    direction,
  });
  const incoming = { direction: 'incoming' as const, declinedAutomatically: false };

  it('opens on the event the user picked, for the direction they picked', () => {
    expect(decideScreenPop('ringing', incoming, on('ringing'))).toEqual({ open: true });
    expect(decideScreenPop('answered', incoming, on('ringing')).open).toBe(false);
    expect(decideScreenPop('ended', incoming, on('ended'))).toEqual({ open: true });
    const outgoing = { ...incoming, direction: 'outgoing' as const };
    expect(decideScreenPop('answered', outgoing, on('answered')).open).toBe(false);
    expect(decideScreenPop('answered', outgoing, on('answered', 'both'))).toEqual({ open: true });
    expect(decideScreenPop('answered', outgoing, on('answered', 'outgoing'))).toEqual({
      open: true,
    });
  });

  it('never opens for a call do-not-disturb declined, on any event', () => {
    const declined = { direction: 'incoming' as const, declinedAutomatically: true };
    for (const event of ['ringing', 'answered', 'ended'] as const) {
      expect(decideScreenPop(event, declined, on(event))).toEqual({
        open: false,
        reason: 'the call was declined without ringing',
      });
    }
  });

  it('does nothing when the account has no template', () => {
    expect(decideScreenPop('ringing', incoming, { ...on('ringing'), url: '' }).open).toBe(false);
  });
});

describe('main opens it', () => {
  function service(screenPop: Partial<ScreenPopSettings>, fail = false) {
    const account: AccountSettings = officeAccount({
      screenPop: {
        url: 'https://crm.example.com/pop?n={number}',
        on: 'ringing',
        direction: 'incoming',
        ...screenPop,
      },
    });
    const settings: AppSettings = { ...DEFAULT_SETTINGS, accounts: [account] };
    const opened: string[] = [];
    const pop = new ScreenPopService({
      settings: () => settings,
      openExternal: async (url) => {
        if (fail) {
          throw new Error('no browser');
        }
        opened.push(url);
      },
      log: silent,
    });
    return { pop, opened };
  }

  const request = (
    callId: string,
    event: ScreenPopRequest['event'] = 'ringing',
  ): ScreenPopRequest => ({
    accountId: 'office',
    event,
    call: { callId, number: '+1 555 0100', name: 'Bob', direction: 'incoming' },
  });

  it('opens once per call and event, with the values filled in from the account', async () => {
    const { pop, opened } = service({ url: 'https://crm.example.com/pop?n={number}&a={account}' });
    expect(await pop.open(request('c1'))).toEqual({ opened: true, message: null });
    expect(await pop.open(request('c1'))).toEqual({
      opened: false,
      message: 'This call event already opened its page.',
    });
    await pop.open(request('c2'));
    expect(opened).toEqual([
      'https://crm.example.com/pop?n=%2B1%20555%200100&a=1001%40pbx.example.com',
      'https://crm.example.com/pop?n=%2B1%20555%200100&a=1001%40pbx.example.com',
    ]);
  });

  it('opens nothing for an event the account did not pick', async () => {
    const { pop, opened } = service({ on: 'answered' });
    const result = await pop.open(request('c1', 'ringing'));
    expect(result).toEqual({
      opened: false,
      message: 'Nothing to open: screen-pop opens on answered, not on ringing.',
    });
    expect(opened).toEqual([]);
  });

  it('refuses a non-http(s) template even when the settings file was edited by hand', async () => {
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'smb://host/share',
      'tel:{number}',
    ]) {
      const { pop, opened } = service({ url });
      const result = await pop.open(request('c1'));
      expect(result.opened, url).toBe(false);
      expect(result.message, url).toMatch(/must start with http:\/\/ or https:\/\//);
      expect(opened).toEqual([]);
    }
  });

  it('checks the filled-in URL itself: scheme, credentials, same site', () => {
    const template = 'https://crm.example.com/{number}';
    expect(checkScreenPopUrl('https://crm.example.com/x', template)).toBeNull();
    expect(checkScreenPopUrl('https://evil.example/x', template)).toMatch(/another site/);
    expect(checkScreenPopUrl('https://a:b@crm.example.com/', template)).toMatch(
      /user name or password/,
    );
    expect(checkScreenPopUrl('javascript:alert(1)', template)).toMatch(/only opens http/);
    expect(checkScreenPopUrl('not a url', template)).toMatch(/not a valid web address/);
  });

  it('says so when the browser cannot be opened, and for an unknown account', async () => {
    const { pop } = service({}, true);
    expect(await pop.open(request('c1'))).toEqual({
      opened: false,
      message: 'The default browser could not open the screen-pop page.',
    });
    expect(await pop.open({ ...request('c2'), accountId: 'gone' })).toEqual({
      opened: false,
      message: 'That account does not exist.',
    });
  });

  it('accepts only a call event over IPC, never a URL', () => {
    const schema = invokeSchemas['screen-pop/open'];
    expect(schema.safeParse(request('c1')).success).toBe(true);
    expect(schema.safeParse({ ...request('c1'), url: 'https://evil.example/' }).success).toBe(
      false,
    );
    expect(schema.safeParse({ ...request('c1'), event: 'dialled' }).success).toBe(false);
  });
});
