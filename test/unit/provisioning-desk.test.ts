// Provisioning the per-account dial rules and screen-pop: exported with the account, imported
// with only the fields that differ (the rest defaulted), and refused with the account form's
// sentences when a pattern or template is invalid; a template with a password is a secret.
import { describe, expect, it } from 'vitest';
import {
  exportProvisioning,
  importProvisioning,
  serializeProvisioning,
} from '@shared/provisioning';
import { DEFAULT_ACCOUNT, DEFAULT_SETTINGS } from '@shared/settings-types';
import { CRM_SCREEN_POP, OFFICE_DIAL_RULES, officeAccount } from '../support/accounts';

const office = officeAccount({
  id: 'old-1',
  websocketUri: 'wss://pbx.example.com:8089/ws',
  dialRules: OFFICE_DIAL_RULES,
  screenPop: CRM_SCREEN_POP,
});

function file(account: Record<string, unknown>): string {
  return JSON.stringify({
    format: 'open-softphone-provisioning',
    version: 1,
    accounts: [
      {
        label: 'Office',
        websocketUri: 'wss://pbx.example.com/ws',
        sipUri: 'sip:1001@pbx.example.com',
        ...account,
      },
    ],
  });
}

describe('provisioning dial rules and screen-pop', () => {
  it('round-trips them through export and import', () => {
    const text = serializeProvisioning(
      exportProvisioning({ ...DEFAULT_SETTINGS, accounts: [office] }),
    );
    const result = importProvisioning(text, { newId: () => 'new-1' });
    expect(result.ok && result.accounts[0]).toEqual({ ...office, id: 'new-1' });
  });

  it('takes the defaults for the fields a file leaves out', () => {
    const result = importProvisioning(
      file({
        dialRules: { outsideLinePrefix: '9' },
        screenPop: { url: 'https://crm.example.com/{number}' },
      }),
      { newId: () => 'n' },
    );
    expect(result.ok && result.accounts[0]?.dialRules).toEqual({
      ...DEFAULT_ACCOUNT.dialRules,
      outsideLinePrefix: '9',
    });
    expect(result.ok && result.accounts[0]?.screenPop).toEqual({
      url: 'https://crm.example.com/{number}',
      on: 'ringing',
      direction: 'incoming',
    });
  });

  it('refuses an invalid pattern or template with the same sentences as the account form', () => {
    const result = importProvisioning(
      file({
        dialRules: { rewrites: [{ pattern: '(?=1)', replacement: '' }] },
        screenPop: { url: 'file:///etc/passwd' },
      }),
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        'accounts[0] ("Office"): Rewrite rule 1: The pattern is not valid: look-ahead, look-behind and named groups are not supported; use ( ) or (?: ).',
        'accounts[0] ("Office"): The screen-pop address must start with http:// or https:// and a server name written out (no {placeholder} before the path).',
      ],
    });
  });

  it('treats a screen-pop address with a password as a secret and refuses the file', () => {
    const result = importProvisioning(
      file({ screenPop: { url: 'https://agent:hunter2@crm.example.com/{number}' } }),
    );
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors[0]).toContain('"accounts[0].screenPop.url"');
    expect(errors.join(' ')).not.toContain('hunter2');
  });
});
