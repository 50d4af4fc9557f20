// Owns which addresses are watched: lamps resolved on their account (extension, name or SIP
// address; duplicates and unusable ones left out), a contact's watchable addresses (SIP
// addresses in an account's domain, extension-like numbers), the canonical AOR, and the
// per-account watch lists with the presence cap.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT, type AccountSettings } from '@shared/settings-types';
import type { Contact } from '../../../src-renderer/src/lib/contacts/types';
import { aorHost, aorUser, canonicalAor } from '../../../src-renderer/src/lib/presence/aor';
import {
  accountForAor,
  contactTargets,
  MAX_PRESENCE_WATCHED,
  resolveLamps,
  resolveTarget,
  watchLists,
} from '../../../src-renderer/src/lib/state/presence-targets';

function account(id: string, sipUri: string): AccountSettings {
  return { ...DEFAULT_ACCOUNT, id, label: id, websocketUri: 'wss://x/ws', sipUri };
}
const OFFICE = account('office', 'sip:1001@pbx.example.com');
const HOME = account('home', 'sip:me@voip.example.net');

function contact(numbers: string[], sipAddresses: string[] = []): Contact {
  return {
    id: 'c1',
    name: 'Bob',
    numbers: numbers.map((n) => ({
      label: 'work',
      value: n,
      normalized: n.replace(/[^0-9+*#]/g, ''),
    })),
    sipAddresses,
    favourite: true,
    createdAt: 0,
    updatedAt: 0,
  };
}

describe('canonical AORs', () => {
  it.each([
    ['sip:201@PBX.Example.com', 'sip:201@pbx.example.com'],
    ['<sip:Bob@pbx.example.com;user=phone>', 'sip:Bob@pbx.example.com'],
    ['SIPS:bob@pbx.example.com:5061', 'sips:bob@pbx.example.com:5061'],
    ['sip:bob@pbx.example.com?subject=x', 'sip:bob@pbx.example.com'],
  ])('%s → %s', (input, aor) => {
    expect(canonicalAor(input)).toBe(aor);
  });

  it.each(['tel:+15550100', 'bob', 'sip:@host', ''])('refuses %j', (input) => {
    expect(canonicalAor(input)).toBeNull();
  });

  it('splits user and host', () => {
    expect(aorUser('sip:201@pbx.example.com')).toBe('201');
    expect(aorHost('sip:201@PBX.example.com')).toBe('pbx.example.com');
  });
});

describe('lamps on their accounts', () => {
  it('resolves extensions, names and addresses; the default account takes unassigned lamps', () => {
    const lamps = resolveLamps(
      [
        { target: '201', label: '', accountId: null },
        { target: 'sip:carol@voip.example.net', label: 'Carol', accountId: 'home' },
        { target: '201', label: 'again', accountId: 'office' },
        { target: 'x@@', label: '', accountId: null },
        { target: '202', label: '', accountId: 'gone' },
      ],
      [OFFICE, HOME],
      OFFICE,
    );
    expect(lamps.map((l) => [l.index, l.accountId, l.aor, l.label])).toEqual([
      [0, 'office', 'sip:201@pbx.example.com', ''],
      [1, 'home', 'sip:carol@voip.example.net', 'Carol'],
    ]);
  });

  it('says why a target cannot be a lamp', () => {
    expect(resolveTarget('  ', OFFICE)).toEqual({
      ok: false,
      message: 'Type an extension or a SIP address.',
    });
    expect(resolveTarget('bob smith <', OFFICE).ok).toBe(false);
    expect(resolveTarget('bob', OFFICE)).toEqual({ ok: true, aor: 'sip:bob@pbx.example.com' });
  });
});

describe('a contact’s watchable addresses', () => {
  it('takes SIP addresses of an account’s domain and extension-like numbers', () => {
    const c = contact(
      ['201', '+49 30 1234567', '0301234567'],
      ['bob@voip.example.net', 'bob@elsewhere.example.org', 'sips:b2@pbx.example.com'],
    );
    expect(contactTargets(c, [OFFICE, HOME], OFFICE)).toEqual([
      { accountId: 'home', aor: 'sip:bob@voip.example.net' },
      { accountId: 'office', aor: 'sips:b2@pbx.example.com' },
      { accountId: 'office', aor: 'sip:201@pbx.example.com' },
    ]);
  });

  it('gives an address to the account of its domain, else the default one', () => {
    expect(accountForAor('sip:x@voip.example.net', [OFFICE, HOME], OFFICE)).toBe('home');
    expect(accountForAor('sip:x@other.example', [OFFICE, HOME], OFFICE)).toBe('office');
    expect(accountForAor('sip:x@other.example', [], null)).toBeNull();
  });
});

describe('watch lists', () => {
  it('watches lamps for dialog and presence, others for presence only, within the cap', () => {
    const lamps = Array.from({ length: MAX_PRESENCE_WATCHED + 2 }, (_, i) => ({
      key: `office|${i}`,
      index: i,
      target: String(300 + i),
      label: '',
      accountId: 'office',
      aor: `sip:${300 + i}@pbx.example.com`,
    }));
    const lists = watchLists(lamps, [{ accountId: 'home', aor: 'sip:x@voip.example.net' }]);
    expect(lists.get('office')?.dialog).toHaveLength(MAX_PRESENCE_WATCHED + 2);
    expect(lists.get('office')?.presence).toHaveLength(MAX_PRESENCE_WATCHED);
    expect(lists.get('home')).toEqual({ dialog: [], presence: [] });

    const small = watchLists(lamps.slice(0, 2), [
      { accountId: 'office', aor: 'sip:300@pbx.example.com' },
      { accountId: 'home', aor: 'sip:x@voip.example.net' },
    ]);
    expect(small.get('office')?.presence).toEqual([
      'sip:300@pbx.example.com',
      'sip:301@pbx.example.com',
    ]);
    expect(small.get('home')?.presence).toEqual(['sip:x@voip.example.net']);
  });
});
