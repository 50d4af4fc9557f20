// Issue 20, "Recovered call on network switch" (established, app → baresip through Kamailio and
// rtpengine): the flow under the call goes half-open, the keep-alive replaces it, the phone
// registers again and re-INVITEs the call with an ICE restart; the call view says
// "Reconnecting…" meanwhile, the call stays up and the app hears baresip's tone again. Once
// with Kamailio as a plain proxy, once as an RFC 5626 edge proxy (outbound module).
import { describe, expect, it } from 'vitest';
import { useLab, type LabHandle } from '../support/use-lab';
import { useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';

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
    await phone.dial(bare.user);
    await phone.waitForCallStatus('active');
    await phone.waitForAudio(undefined, { present: [1000] });
    const invites = async (): Promise<number> =>
      (await phone.sipSent()).filter((m) => m.text.startsWith('INVITE ')).length;
    const oks = async (): Promise<number> =>
      (await phone.sipReceived()).filter((m) => /^SIP\/2\.0 200[^]*CSeq: \d+ INVITE/i.test(m.text))
        .length;
    const invitesBefore = await invites(); // the INVITE and its repeat with credentials
    const oksBefore = await oks();

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
    await expect.poll(invites, { timeout: 20_000 }).toBeGreaterThan(invitesBefore);
    const reinvite = (await phone.sipSent()).filter((m) => m.text.startsWith('INVITE ')).at(-1);
    expect(reinvite?.text).toMatch(/a=ice-ufrag/);
    await expect.poll(oks, { timeout: 20_000 }).toBe(oksBefore + 1);
    await phone.waitForCallStatus('active', 1000);
    await reconnecting.waitFor({ state: 'detached', timeout: 10_000 });
    const heard = await phone.waitForAudio(undefined, { present: [1000] });
    expect(heard.packets).toBeGreaterThan(20);
    if (hangup === 'app') {
      await phone.hangup();
      expect(await phone.waitForEnded()).toBe('hangup-local');
    } else {
      await bare.hangup();
      expect(await phone.waitForEnded()).toBe('hangup-remote');
    }
    expect(phone.errors).toEqual([]);
  } finally {
    await phone.close();
    await front.stop();
  }
}

describe('call recovery', () => {
  const lab = useLab({ name: 'e2e-call-recovery', baresip: [{ tone: 1000, autoAnswer: true }] });
  it('keeps an established call through a replaced connection, with audio after it', () =>
    recoverCall(lab, 'app'));
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
