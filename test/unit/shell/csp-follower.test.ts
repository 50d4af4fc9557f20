// Unit tests of keeping the page's CSP in step with the accounts: a page served with an old
// policy is reloaded after a settings change, but not during a call (then when it ends), and
// never when the policy did not change or the page was not served by app://. The tracking is
// the phone window's: the incoming-call popup's document (same page, ?window=popup) cannot
// reset it.
import { describe, expect, it } from 'vitest';
import { buildCsp } from '../../../src-main/security/csp';
import { CspFollower } from '../../../src-main/security/csp-follower';
import { popupUrl } from '../../../src-main/windows/incoming-popup';

const PAGE = 'app://softphone/index.html';
const POPUP = popupUrl(PAGE, { callId: 'c', name: null, number: '1', accountLabel: 'A' });

function setup() {
  const state = { accounts: [{ websocketUri: 'wss://old.example/ws' }], inCall: false, reloads: 0 };
  const follower = new CspFollower({
    policy: () => buildCsp(state.accounts),
    callActive: () => state.inCall,
    reload: () => (state.reloads += 1),
  });
  return { follower, state };
}

describe('CspFollower', () => {
  it('reloads a page whose policy no longer matches the accounts', () => {
    const { follower, state } = setup();
    follower.documentServed(buildCsp(state.accounts), PAGE);
    follower.settingsChanged();
    expect(state.reloads).toBe(0);
    state.accounts = [{ websocketUri: 'wss://new.example/ws' }];
    follower.settingsChanged();
    expect(state.reloads).toBe(1);
    follower.documentServed(buildCsp(state.accounts), PAGE);
    follower.settingsChanged();
    expect(state.reloads).toBe(1);
  });

  it('waits for the call to end', () => {
    const { follower, state } = setup();
    follower.documentServed(buildCsp(state.accounts), PAGE);
    state.inCall = true;
    state.accounts = [];
    follower.settingsChanged();
    follower.phoneStateChanged();
    expect(state.reloads).toBe(0);
    expect(follower.waiting).toBe(true);
    state.inCall = false;
    follower.phoneStateChanged();
    follower.phoneStateChanged();
    expect(state.reloads).toBe(1);
    expect(follower.waiting).toBe(false);
  });

  it('does nothing for a page the app protocol did not serve (dev server)', () => {
    const { follower, state } = setup();
    state.accounts = [];
    follower.settingsChanged();
    expect(state.reloads).toBe(0);
  });

  it('a popup load does not stand for the phone window: its stale policy still reloads it', () => {
    const { follower, state } = setup();
    follower.documentServed(buildCsp(state.accounts), PAGE);
    state.accounts = [{ websocketUri: 'wss://new.example/ws' }];
    // The popup opens after the change: it is served the new policy, the phone window is not.
    follower.documentServed(buildCsp(state.accounts), POPUP);
    follower.settingsChanged();
    expect(state.reloads).toBe(1);
  });
});
