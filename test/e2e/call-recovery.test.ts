// Issue 20, "Recovered call on network switch" (established): the flow under the call goes
// half-open, the keep-alive replaces it, the phone registers again and re-INVITEs the call with
// an ICE restart; the call view says "Reconnecting…" meanwhile, the call stays up and the audio
// goes both ways afterwards, checked by tone. App → baresip through Kamailio and rtpengine (the
// app hears baresip's tone, baresip's recording ends with the app's), once with Kamailio as a
// plain proxy, once as an RFC 5626 edge proxy (outbound module); and app ↔ app, where only one
// page's flow fails and each page hears the other's tone over the restarted ICE.
import { describe, expect, it } from 'vitest';
import { useLab, type LabHandle } from '../support/use-lab';
import { connect, registerAll, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import {
  baresipHeardAtTheEnd,
  markSignalling,
  remoteUfrag,
  waitForRecoveryReinvite,
} from '../support/call-recovery-checks';

const env = useE2eEnv();

/**
 * The scenario on `lab`: an established call, its flow goes half-open, recovery; then the app
 * hangs up, or baresip does (its BYE must find the app's new flow).
 */
async function recoverCall(lab: LabHandle, hangup: 'app' | 'far-end'): Promise<void> {
  const bare = lab.lab.baresips[0]!;
  const front = await lab.lab.startWsFront({ mode: 'forward' });
  const phone = await PhonePage.open(await env.browser(440), env.server);
  try {
    const alice = lab.lab.account('alice');
    await phone.bridge.seedAccount(
      { label: 'alice', websocketUri: front.url, sipUri: alice.uri, keepAliveS: 5 },
      alice.password,
    );
    await phone.page.reload();
    await phone.waitForRegistration('registered');
    const recordingsBefore = bare.recordings().length;
    await phone.dial(bare.user);
    await phone.waitForCallStatus('active');
    await phone.waitForAudio(undefined, { present: [1000] });
    const mark = await markSignalling(phone);

    await front.setMode('stall');
    // The call view says the call is being recovered while it is.
    const reconnecting = phone.page.locator(
      '[data-testid="call-trouble"][data-kind="reconnecting"]',
    );
    await reconnecting.waitFor({ timeout: 30_000 });
    expect(await reconnecting.innerText()).toMatch(/^Reconnecting…/);
    await expect
      .poll(async () => (await phone.registrationProblem())?.cause ?? '', { timeout: 30_000 })
      .toBe('connection-lost');
    await phone.waitForRegistration('registered', 30_000);
    // The re-INVITE with the ICE restart, and its answer.
    await waitForRecoveryReinvite(phone, mark, 20_000);
    const recoveredAt = Date.now();
    await phone.waitForCallStatus('active', 1000);
    await reconnecting.waitFor({ state: 'detached', timeout: 10_000 });
    const heard = await phone.waitForAudio(undefined, { present: [1000] });
    expect(heard.packets).toBeGreaterThan(20);
    const sinceRecovery = (Date.now() - recoveredAt) / 1000;
    if (hangup === 'app') {
      await phone.hangup();
      expect(await phone.waitForEnded()).toBe('hangup-local');
    } else {
      await bare.hangup();
      expect(await phone.waitForEnded()).toBe('hangup-remote');
    }
    // baresip heard the app's tone after the recovery: in the last part of its recording, as
    // long as the app listened after the re-INVITE (less a margin for the jitter buffer).
    const windows = await baresipHeardAtTheEnd(bare, recordingsBefore, sinceRecovery - 0.3, 440);
    expect(windows, 'windows of 440 Hz baresip heard after the recovery').toBeGreaterThanOrEqual(3);
    expect(phone.errors).toEqual([]);
  } finally {
    await phone.close();
    await front.stop();
  }
}

/**
 * App ↔ app: alice (440 Hz) reaches Kamailio through a front whose flow goes half-open, bob
 * (880 Hz) directly. alice recovers the call; bob answers the re-INVITE with a new ICE ufrag;
 * each hears the other's tone afterwards; bob's BYE reaches alice's new flow.
 */
async function recoverAppToApp(lab: LabHandle): Promise<void> {
  const front = await lab.lab.startWsFront({ mode: 'forward' });
  const alice = await PhonePage.open(await env.browser(440), env.server);
  const bob = await PhonePage.open(await env.browser(880), env.server);
  try {
    const account = lab.lab.account('alice');
    await alice.bridge.seedAccount(
      { label: 'alice', websocketUri: front.url, sipUri: account.uri, keepAliveS: 5 },
      account.password,
    );
    await alice.page.reload();
    await registerAll(lab.lab, [bob, 'bob']);
    await alice.waitForRegistration('registered');
    await connect(alice, bob, 'bob');
    await bob.waitForCallStatus('active');
    await alice.waitForAudio('bob', { present: [880], absent: [440] });
    await bob.waitForAudio('alice', { present: [440], absent: [880] });
    const mark = await markSignalling(alice);

    await front.setMode('stall');
    const reconnecting = alice.page.locator(
      '[data-testid="call-trouble"][data-kind="reconnecting"]',
    );
    await reconnecting.waitFor({ timeout: 30_000 });
    await alice.waitForRegistration('registered', 30_000);
    const ufrag = await waitForRecoveryReinvite(alice, mark, 20_000);
    // bob took alice's new ICE credentials: the media runs over the restarted ICE.
    expect(await remoteUfrag(bob)).toBe(ufrag);
    await reconnecting.waitFor({ state: 'detached', timeout: 10_000 });
    await alice.waitForCallStatus('active', 1000);
    await bob.waitForCallStatus('active', 1000);
    const atAlice = await alice.waitForAudio('bob', { present: [880], absent: [440] });
    const atBob = await bob.waitForAudio('alice', { present: [440], absent: [880] });
    expect(atAlice.packets).toBeGreaterThan(20);
    expect(atBob.packets).toBeGreaterThan(20);

    await bob.hangup();
    expect(await bob.waitForEnded()).toBe('hangup-local');
    expect(await alice.waitForEnded()).toBe('hangup-remote');
    expect(alice.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
  } finally {
    await alice.close();
    await bob.close();
    await front.stop();
  }
}

describe('call recovery', () => {
  const lab = useLab({ name: 'e2e-call-recovery', baresip: [{ tone: 1000, autoAnswer: true }] });
  it('keeps an established call through a replaced connection, with audio both ways after it', () =>
    recoverCall(lab, 'app'));
  it('keeps an app ↔ app call when one side loses its connection, with audio both ways', () =>
    recoverAppToApp(lab));
});

// Kamailio as an RFC 5626 edge proxy: the dialog's Record-Route carries the first flow's token;
// the lab routes in-dialog requests to a WebSocket client by the alias of its latest Contact and
// the client's own requests by their Request-URI (kamailio-config.ts, outboundFlowRecovery).
describe('call recovery through an RFC 5626 edge proxy', () => {
  const lab = useLab({
    name: 'e2e-call-recovery-outbound',
    baresip: [{ tone: 1000, autoAnswer: true }],
    outbound: { flowTimer: 20 },
  });
  it('re-INVITEs over the new flow, and the far end reaches the new flow afterwards', () =>
    recoverCall(lab, 'far-end'));
});
