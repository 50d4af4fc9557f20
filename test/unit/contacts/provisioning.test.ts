// Provisioning files (src-main/shared/provisioning.ts): export without secrets, import with new
// ids and defaults, refusal of any secret (named by path, value never echoed), bad files.
// (Kept beside the contacts tests: this branch owns test/unit/contacts; move freely.)
import { describe, expect, it } from 'vitest';
import {
  exportProvisioning,
  findSecretFields,
  importProvisioning,
  serializeProvisioning,
} from '@shared/provisioning';
import { DEFAULT_ACCOUNT, DEFAULT_SETTINGS, type AccountSettings } from '@shared/settings-types';

const office: AccountSettings = {
  ...DEFAULT_ACCOUNT,
  id: 'old-1',
  label: 'Office',
  websocketUri: 'wss://pbx.example.com:8089/ws',
  sipUri: 'sip:1001@pbx.example.com',
  iceServers: [{ urls: ['turn:turn.example.com:3478'], username: 'alice' }],
};
const home: AccountSettings = {
  ...DEFAULT_ACCOUNT,
  id: 'old-2',
  label: 'Home',
  websocketUri: 'wss://sip.example.org/ws',
  sipUri: 'sip:alice@example.org',
};
const settings = {
  ...DEFAULT_SETTINGS,
  accounts: [office, home],
  defaultAccountId: 'old-2',
  theme: 'dark' as const,
};

function ids(): () => string {
  let n = 0;
  return () => `new-${++n}`;
}

describe('provisioning and RFC 5626 instances', () => {
  it('never hands the instance id of an exported account to the phones that import it', () => {
    const withInstance = {
      ...settings,
      accounts: [{ ...office, instanceId: '6d3a1b52-0f0e-4a33-9a61-2c6d1b0e0a01' }],
    };
    const result = importProvisioning(serializeProvisioning(exportProvisioning(withInstance)), {
      newId: ids(),
    });
    expect(result.ok && result.accounts[0]).toEqual({ ...office, id: 'new-1' });
  });
});

describe('provisioning export', () => {
  it('writes every account without its id, the chosen app options and the default by index', () => {
    const file = exportProvisioning(settings);
    const { id: _a, ...officeFields } = office;
    const { id: _b, ...homeFields } = home;
    expect(file).toEqual({
      format: 'open-softphone-provisioning',
      version: 1,
      accounts: [officeFields, homeFields],
      settings: {
        startHidden: false,
        startAtLogin: false,
        autoDialLinks: false,
        bringToFrontOnIncoming: false,
        notifyIncoming: true,
        dndResponseCode: 486,
        theme: 'dark',
        defaultAccount: 1,
      },
    });
    expect(findSecretFields(file)).toEqual([]);
    expect(exportProvisioning(settings, { accountIds: ['old-1'], includeSettings: false })).toEqual(
      { format: 'open-softphone-provisioning', version: 1, accounts: [officeFields] },
    );
  });

  it('round-trips: the exported text imports as the same accounts with new ids', () => {
    const result = importProvisioning(serializeProvisioning(exportProvisioning(settings)), {
      newId: ids(),
    });
    expect(result).toEqual({
      ok: true,
      accounts: [
        { ...office, id: 'new-1' },
        { ...home, id: 'new-2' },
      ],
      settings: {
        startHidden: false,
        startAtLogin: false,
        autoDialLinks: false,
        bringToFrontOnIncoming: false,
        notifyIncoming: true,
        dndResponseCode: 486,
        theme: 'dark',
        defaultAccountId: 'new-2',
      },
      report: {
        added: [
          { label: 'Office', sipUri: 'sip:1001@pbx.example.com' },
          { label: 'Home', sipUri: 'sip:alice@example.org' },
        ],
        skipped: [],
        settings: [
          'startHidden',
          'startAtLogin',
          'autoDialLinks',
          'bringToFrontOnIncoming',
          'notifyIncoming',
          'dndResponseCode',
          'theme',
          'defaultAccountId',
        ],
      },
    });
  });
});

describe('provisioning import', () => {
  const minimal = (account: Record<string, unknown>, extra: Record<string, unknown> = {}): string =>
    JSON.stringify({
      format: 'open-softphone-provisioning',
      version: 1,
      accounts: [account],
      ...extra,
    });

  it('fills defaults for fields left out, ignores a given id, skips accounts already set up', () => {
    const text = JSON.stringify({
      format: 'open-softphone-provisioning',
      version: 1,
      accounts: [
        {
          id: 'x',
          label: 'Desk',
          websocketUri: 'wss://pbx.example.com/ws',
          sipUri: 'sip:2001@pbx.example.com',
        },
        { label: 'Dup', websocketUri: 'WSS://sip.example.org/ws', sipUri: 'sip:alice@example.org' },
      ],
    });
    const result = importProvisioning(text, { existing: [home], newId: ids() });
    expect(result).toEqual({
      ok: true,
      accounts: [
        {
          ...DEFAULT_ACCOUNT,
          id: 'new-1',
          label: 'Desk',
          websocketUri: 'wss://pbx.example.com/ws',
          sipUri: 'sip:2001@pbx.example.com',
        },
      ],
      settings: {},
      report: {
        added: [{ label: 'Desk', sipUri: 'sip:2001@pbx.example.com' }],
        skipped: [
          {
            label: 'Dup',
            sipUri: 'sip:alice@example.org',
            reason: 'An account with this SIP address and server is already set up.',
          },
        ],
        settings: [],
      },
    });
  });

  it('refuses any secret, naming the field and never echoing the value', () => {
    const text = JSON.stringify({
      format: 'open-softphone-provisioning',
      version: 1,
      accounts: [
        {
          label: 'A',
          websocketUri: 'wss://h.example.com/ws',
          sipUri: 'sip:1@h.example.com',
          password: 'hunter2-PW',
          iceServers: [{ urls: ['turn:t.example.com'], credential: 'turn-CRED' }],
        },
        {
          label: 'B',
          websocketUri: 'wss://u:uri-PW@h.example.com/ws',
          sipUri: 'sip:2:sip-PW@h.example.com',
          secretKind: 'ha1',
          HA1: '0123456789abcdef0123456789abcdef',
        },
      ],
    });
    const result = importProvisioning(text);
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors.map((e) => /"([^"]+)"/.exec(e)?.[1])).toEqual([
      'accounts[0].password',
      'accounts[0].iceServers[0].credential',
      'accounts[1].websocketUri',
      'accounts[1].sipUri',
      'accounts[1].HA1',
    ]);
    expect(errors[0]).toBe(
      'The file contains a password or other secret in "accounts[0].password". Provisioning files must never hold secrets: remove it and give each user their password separately.',
    );
    const all = JSON.stringify(result);
    for (const secret of ['hunter2', 'turn-CRED', 'uri-PW', 'sip-PW', '0123456789abcdef']) {
      expect(all).not.toContain(secret);
    }
  });

  it('explains bad files: not JSON (without quoting it), other formats, newer versions', () => {
    expect(importProvisioning('{"password": hunter2}')).toEqual({
      ok: false,
      errors: ['The file is not valid JSON.'],
    });
    expect(importProvisioning('{"accounts": []}')).toEqual({
      ok: false,
      errors: [
        'This is not an Open Softphone provisioning file ("format" must be "open-softphone-provisioning").',
      ],
    });
    expect(importProvisioning('{"format": "open-softphone-provisioning", "version": 2}')).toEqual({
      ok: false,
      errors: [
        'This file is format version 2; this app reads version 1. Update the app to import it.',
      ],
    });
  });

  it('reports schema and account problems with their path, and refuses the whole file', () => {
    const result = importProvisioning(
      minimal({
        label: 'A',
        websocketUri: 'http://x',
        sipUri: 'sip:1@h.example.com',
        registerExpires: 5,
        colour: 'red',
      }),
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toEqual([
      'accounts[0].registerExpires: Too small: expected number to be >=60',
      'accounts[0]: Unrecognized key: "colour"',
    ]);
    const invalid = importProvisioning(
      minimal({ label: 'A', websocketUri: 'http://x', sipUri: 'sip:1@h.example.com' }),
    );
    expect(invalid).toEqual({
      ok: false,
      errors: [
        'accounts[0] ("A"): Enter the WebSocket address, starting with wss:// (or ws:// on a trusted network).',
      ],
    });
    const badDefault = importProvisioning(
      minimal(
        { label: 'A', websocketUri: 'wss://h.example.com/ws', sipUri: 'sip:1@h.example.com' },
        { settings: { defaultAccount: 3 } },
      ),
    );
    expect(badDefault).toEqual({
      ok: false,
      errors: ['settings.defaultAccount: there is no new account number 3 in this file.'],
    });
  });

  it('carries the outbound proxy and voicemail number, and checks them like the form', () => {
    const good = importProvisioning(
      minimal({
        label: 'A',
        websocketUri: 'wss://h.example.com/ws',
        sipUri: 'sip:1@h.example.com',
        outboundProxy: 'sip:edge.example.com:5070;transport=tcp',
        voicemailNumber: '*97',
      }),
      { newId: ids() },
    );
    expect(good.ok ? good.accounts[0] : null).toMatchObject({
      outboundProxy: 'sip:edge.example.com:5070;transport=tcp',
      voicemailNumber: '*97',
    });
    const defaults = importProvisioning(
      minimal({
        label: 'A',
        websocketUri: 'wss://h.example.com/ws',
        sipUri: 'sip:1@h.example.com',
      }),
    );
    expect(defaults.ok ? defaults.accounts[0] : null).toMatchObject({
      outboundProxy: '',
      voicemailNumber: '',
    });
    const bad = importProvisioning(
      minimal({
        label: 'A',
        websocketUri: 'wss://h.example.com/ws',
        sipUri: 'sip:1@h.example.com',
        outboundProxy: 'edge.example.com',
        voicemailNumber: 'mailbox',
      }),
    );
    expect(bad).toEqual({
      ok: false,
      errors: [
        'accounts[0] ("A"): Enter the outbound proxy as a SIP address, for example sip:proxy.example.com:5060;transport=tcp.',
        'accounts[0] ("A"): The voicemail number can only hold digits, *, # and a leading +.',
      ],
    });
  });
});
