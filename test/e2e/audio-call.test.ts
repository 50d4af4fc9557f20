// Issue 6 on real lab calls. "bob" is the audio test page: a PhoneEngine wired to AudioState the
// way the app is to be wired; "alice" is the real renderer build. The ringer rings and stops on
// cancel and on answer; bob switches microphone mid-call without renegotiation and alice keeps
// hearing him, through the new microphone; bob's speaker moves at once; the quality panel shows exactly what getStats says; the call
// summary is kept; the call's level meter reads the sender's stats (an AudioContext only while
// muted, for the talking-while-muted hint); and when baresip stops sending, the no-audio warning
// appears and clears.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { SECOND_MIC_HZ, SECOND_MIC_TONE } from '../support/device-tones';
import { signIn, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { expectPanelShows, fromRawStats, type Stats } from '../support/quality-stats';
import { serveStatic, type StaticServer } from '../support/static-server';
import { buildTestPage } from './pages/build-page';
import './pages/audio/harness';

const lab = useLab({ name: 'e2e-audio-call', baresip: [{ tone: 1000, autoAnswer: true }] });
const env = useE2eEnv();
let dir: string;
let audioServer: StaticServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'audio-call-'));
  await buildTestPage('audio', join(dir, 'page'));
  audioServer = await serveStatic(join(dir, 'page'));
});
afterAll(async () => {
  await audioServer?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openBob(user = 'bob'): Promise<Page> {
  const context = await (await env.browser(880)).newContext({ permissions: ['microphone'] });
  const page = await context.newPage();
  await page.addInitScript(SECOND_MIC_TONE);
  await page.goto(audioServer.url);
  await page.getByTestId('audio-settings').waitFor();
  const account = lab.lab.account(user);
  await page.evaluate(
    ([ws, uri, password]) => window.__audio.register(ws!, uri!, password!),
    [account.wsUrl, account.uri, account.password],
  );
  return page;
}

const callId = (bob: Page): Promise<string | null> =>
  bob.evaluate(() => window.__audio.snapshots()[0]?.id ?? null);
const ringing = (bob: Page): Promise<string | null> =>
  bob.evaluate(() => window.__audio.ringer.state.playing);

describe('call audio on the lab', () => {
  it('rings until the caller cancels, rings until answered, then switches mic (no renegotiation, the far end hears the new one) and speaker', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const bob = await openBob();
    try {
      await signIn(alice, lab.lab.account('alice'));
      await alice.waitForRegistration('registered');

      // Ringing stops the moment the caller cancels.
      await alice.dial('bob');
      await expect.poll(() => ringing(bob)).toBe('chime');
      await alice.hangup();
      await expect.poll(() => ringing(bob)).toBeNull();
      await expect.poll(() => callId(bob)).toBeNull();

      // Ringing stops the moment the call is answered.
      await alice.dial('bob');
      await expect.poll(() => ringing(bob)).toBe('chime');
      const id = (await callId(bob))!;
      await bob.evaluate((cid) => window.__audio.answer(cid), id);
      expect(await ringing(bob)).toBeNull();
      await alice.waitForCallStatus('active');
      await alice.waitForAudio('bob', { present: [880], absent: [SECOND_MIC_HZ] });

      // Microphone switch mid-call: the new microphone's track replaces the old one in the
      // sender, without renegotiation, and alice keeps receiving audio, now the new microphone's
      // (on this page "Fake Audio Input 2" plays its own tone). How long the switch interrupts
      // the audio is measured in the benchmark (npm run bench: audio, "microphone switch").
      const inputs = await bob.evaluate(() =>
        window.__audio.audio.inputs.map((d) => ({ id: d.id, label: d.label })),
      );
      const second = inputs.find((d) => d.label === 'Fake Audio Input 2')!;
      const media = (cid: string) =>
        bob.evaluate((c) => {
          const call = window.__audio.call(c);
          const pc = call.peerConnection!;
          const sender = pc.getSenders().find((s) => s.track?.kind === 'audio');
          return {
            track: call.microphoneTrack?.id ?? null,
            device: call.microphoneTrack?.getSettings().deviceId ?? null,
            sending: sender?.track?.id ?? null,
            signaling: pc.signalingState,
            local: pc.localDescription?.sdp ?? null,
            remote: pc.remoteDescription?.sdp ?? null,
          };
        }, cid);
      const before = await media(id);
      expect(before.device).not.toBe(second.id);
      await bob.evaluate(
        (deviceId) => window.__audio.audio.chooseDevice('microphone', deviceId),
        second.id,
      );
      await expect.poll(async () => (await media(id)).device).toBe(second.id);
      const after = await media(id);
      expect(after.track).not.toBe(before.track);
      expect(after.sending).toBe(after.track);
      expect(after.signaling).toBe('stable');
      // No renegotiation: both session descriptions are the ones from before the switch.
      expect(after.local).toBe(before.local);
      expect(after.remote).toBe(before.remote);
      await alice.waitForAudio('bob', { present: [SECOND_MIC_HZ], absent: [880] });

      // Speaker switch: the call's audio element moves to the chosen output at once.
      const outputs = await bob.evaluate(() => window.__audio.audio.outputs.map((d) => d.id));
      await bob.evaluate(
        (deviceId) => window.__audio.audio.chooseDevice('speaker', deviceId),
        outputs[1]!,
      );
      const element = await bob.evaluate(() => {
        const el = window.__audio.elements.at(-1)!;
        return { sinkId: el.sinkId, paused: el.paused, hasStream: el.srcObject !== null };
      });
      expect(element).toEqual({ sinkId: outputs[1], paused: false, hasStream: true });

      await alice.hangup();
      await expect.poll(() => callId(bob)).toBeNull();
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.context().close();
    }
  });

  it('shows in the quality panel exactly what getStats reports, and keeps the call summary', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const bob = await openBob();
    try {
      await signIn(alice, lab.lab.account('alice'));
      await alice.waitForRegistration('registered');
      const id = await bob.evaluate(() => window.__audio.dial('alice'));
      await alice.waitForIncoming();
      await alice.answer();
      await bob.getByTestId('call-audio').waitFor();
      const indicator = bob.getByTestId('quality-indicator');
      await expect
        .poll(() => indicator.getAttribute('aria-label'))
        .toMatch(/^Call quality: (excellent|good) \(MOS 4\.\d\)$/);
      await bob.getByRole('button', { name: 'Show call quality details' }).click();
      const panel = bob.getByTestId('quality-panel');
      await panel.waitFor();
      // Stop the monitor, then wait for its last poll: the one in flight if there is one (a poll
      // asked for meanwhile is skipped), else the one asked for here. After it, nothing changes
      // the figures any more; the reports they come from are read back.
      const reports = await bob.evaluate(async (cid) => {
        const monitor = window.__audio.audio.monitorOf(cid)!;
        monitor.stop();
        await new Promise<void>((resolve) => {
          monitor.once('figures', () => resolve());
          void monitor.poll();
        });
        const plain = (r: unknown): unknown[] =>
          r ? [...(r as Map<string, unknown>).values()] : [];
        return { prev: plain(monitor.reports.prev), cur: plain(monitor.reports.cur) };
      }, id);
      const expected = fromRawStats(reports.prev as Stats[], reports.cur as Stats[]);
      // The panel has rendered those figures.
      await expect
        .poll(() => panel.locator('tr[data-field="packetsReceived"]').getAttribute('data-value'))
        .toBe(String(expected.packetsReceived));
      const seen = {
        rows: await panel.locator('tr').evaluateAll((trs) =>
          trs.map((tr) => ({
            key: tr.getAttribute('data-field'),
            value: tr.getAttribute('data-value'),
            text: tr.querySelector('td')?.textContent ?? '',
          })),
        ),
      };
      const row = (key: string) => seen.rows.find((r) => r.key === key)!;
      expect(expected.codec).toBe('opus/48000/2');
      expectPanelShows(seen.rows, expected);
      expect(Number(row('mos').value)).toBeGreaterThanOrEqual(4.3);

      await alice.hangup();
      await expect.poll(() => callId(bob)).toBeNull();
      const summary = await bob.evaluate((cid) => window.__audio.summaries[cid], id);
      expect(Object.keys(summary ?? {}).sort()).toEqual([
        'codec',
        'concealedPct',
        'jitterMs',
        'lossPct',
        'mos',
        'rttMs',
      ]);
      expect(summary).toMatchObject({ codec: 'opus/48000/2', lossPct: 0 });
      expect(summary!.mos!).toBeGreaterThanOrEqual(4.3);
      expect(summary!.rttMs!).toBeGreaterThanOrEqual(0);
    } finally {
      await alice.close();
      await bob.context().close();
    }
  });

  it("meters the call's microphone from the sender's stats, with an AudioContext only while muted", async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const bob = await openBob();
    try {
      // Every AudioContext bob's page makes from now on, and whether it is closed.
      await bob.evaluate(() => {
        const made: AudioContext[] = [];
        const Original = window.AudioContext;
        window.AudioContext = class extends Original {
          constructor(options?: AudioContextOptions) {
            super(options);
            made.push(this);
          }
        };
        (window as unknown as { __made: AudioContext[] }).__made = made;
      });
      const contexts = () =>
        bob.evaluate(() =>
          (window as unknown as { __made: AudioContext[] }).__made.map((c) => c.state),
        );
      await signIn(alice, lab.lab.account('alice'));
      await alice.waitForRegistration('registered');
      const id = await bob.evaluate(() => window.__audio.dial('alice'));
      await alice.waitForIncoming();
      await alice.answer();
      await bob.getByTestId('call-audio').waitFor();
      const before = (await contexts()).length;
      // Bob's microphone is an 880 Hz tone: the meter shows it, read from the sender, with no
      // AudioContext made for it.
      const meter = bob.getByRole('meter', { name: 'Your microphone level' });
      await expect
        .poll(async () => Number(await meter.getAttribute('aria-valuenow')))
        .toBeGreaterThan(40);
      expect(await bob.evaluate(() => window.__audio.audio.callMeterRunning)).toBe(true);
      expect((await contexts()).slice(before)).toEqual([]);

      // Muted: the sender is silent, so the analyser listens to the microphone for the hint.
      await bob.evaluate((cid) => window.__audio.call(cid).setMuted(true), id);
      const hint = bob.getByTestId('muted-hint');
      await hint.waitFor();
      expect((await contexts()).slice(before)).toEqual(['running']);

      // Unmuted: the hint goes, the analyser's context is closed, the level comes back.
      await bob.evaluate((cid) => window.__audio.call(cid).setMuted(false), id);
      await hint.waitFor({ state: 'detached' });
      await expect.poll(async () => (await contexts()).slice(before)).toEqual(['closed']);
      await expect
        .poll(async () => Number(await meter.getAttribute('aria-valuenow')))
        .toBeGreaterThan(40);
      await alice.hangup();
      await expect.poll(() => callId(bob)).toBeNull();
    } finally {
      await alice.close();
      await bob.context().close();
    }
  });

  it('warns when baresip stops sending (frozen, then on hold) and clears when its audio is back', async () => {
    const bare = lab.lab.baresips[0]!;
    const bob = await openBob('carol');
    try {
      const id = await bob.evaluate((uri) => window.__audio.dial(uri), bare.aor);
      await bob.getByTestId('call-audio').waitFor();
      await expect
        .poll(() =>
          bob.evaluate((cid) => window.__audio.audio.qualityOf(cid)?.packetsReceived ?? 0, id),
        )
        .toBeGreaterThan(50);
      const warning = bob.getByTestId('audio-warning');
      expect(await warning.count()).toBe(0);

      // Cut the media path at the far end: baresip is frozen and sends nothing.
      process.kill(bare.process.pid, 'SIGSTOP');
      try {
        await warning.waitFor();
        expect(await warning.getAttribute('data-kind')).toBe('no-audio');
        expect(await warning.innerText()).toBe(
          'No sound has arrived from the other side for 3 seconds. The connection may be interrupted.',
        );
        expect(await bob.getByTestId('quality-indicator').getAttribute('aria-label')).toBe(
          'Call quality: no audio',
        );
      } finally {
        process.kill(bare.process.pid, 'SIGCONT');
      }
      await warning.waitFor({ state: 'detached' });

      // baresip puts the call on hold (a=sendonly, and it stops sending): the same warning,
      // with the reason; it clears when baresip resumes.
      await bare.hold();
      await warning.waitFor();
      expect(await warning.innerText()).toBe(
        'No sound for 3 seconds: the other side has put the call on hold.',
      );
      await bare.resume();
      await warning.waitFor({ state: 'detached' });
      await bob.evaluate((cid) => window.__audio.call(cid).hangup(), id);
      await expect.poll(() => callId(bob)).toBeNull();
    } finally {
      await bob.context().close();
    }
  });
});
