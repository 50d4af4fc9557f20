// Issue 6 on real lab calls. "bob" is the audio test page: a PhoneEngine wired to AudioState the
// way the app is to be wired; "alice" is the real renderer build. The ringer rings and stops on
// cancel and on answer; bob switches microphone mid-call while alice keeps hearing him with no
// gap; bob's speaker moves at once; the quality panel shows exactly what getStats says; the call
// summary is kept; and when baresip stops sending, the no-audio warning appears and clears.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { near, signIn, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
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

/** Samples what alice receives every 20 ms: packet counter and level (RMS of ~10 ms). */
function startListening(alice: Page): Promise<void> {
  return alice.evaluate(() => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    const pc = [...pcs].reverse().find((p) => p.connectionState !== 'closed')!;
    const receiver = pc.getReceivers().find((r) => r.track.kind === 'audio')!;
    const ctx = new AudioContext();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 512;
    ctx.createMediaStreamSource(new MediaStream([receiver.track])).connect(analyser);
    const samples: { t: number; packets: number; rms: number; concealed: number }[] = [];
    const buf = new Float32Array(analyser.fftSize);
    const timer = setInterval(() => {
      void pc.getStats().then((report) => {
        analyser.getFloatTimeDomainData(buf);
        const rms = Math.sqrt(buf.reduce((a, s) => a + s * s, 0) / buf.length);
        report.forEach((r: Record<string, number | string>) => {
          if (r.type === 'inbound-rtp' && r.kind === 'audio') {
            samples.push({
              t: performance.now(),
              packets: Number(r.packetsReceived),
              rms,
              concealed: Number(r.concealedSamples),
            });
          }
        });
      });
    }, 20);
    (window as unknown as { __listen: unknown }).__listen = {
      samples,
      stop: () => (clearInterval(timer), ctx.close()),
    };
  });
}

interface Gaps {
  samples: number;
  maxPacketGapMs: number;
  maxSilenceMs: number;
  concealedMs: number;
}

function stopListening(alice: Page): Promise<Gaps> {
  return alice.evaluate(async () => {
    const l = (
      window as unknown as {
        __listen: {
          samples: { t: number; packets: number; rms: number; concealed: number }[];
          stop: () => Promise<void>;
        };
      }
    ).__listen;
    await l.stop();
    const s = l.samples;
    let maxPacketGapMs = 0;
    let lastMove = s[0]!.t;
    let silentSince: number | null = null;
    let maxSilenceMs = 0;
    for (let i = 1; i < s.length; i += 1) {
      if (s[i]!.packets > s[i - 1]!.packets) {
        maxPacketGapMs = Math.max(maxPacketGapMs, s[i]!.t - lastMove);
        lastMove = s[i]!.t;
      }
      if (s[i]!.rms < 0.01) {
        silentSince ??= s[i - 1]!.t;
        maxSilenceMs = Math.max(maxSilenceMs, s[i]!.t - silentSince);
      } else {
        silentSince = null;
      }
    }
    return {
      samples: s.length,
      maxPacketGapMs,
      maxSilenceMs,
      concealedMs: ((s.at(-1)!.concealed - s[0]!.concealed) / 48000) * 1000,
    };
  });
}

describe('call audio on the lab', () => {
  it('rings until the caller cancels, rings until answered, then switches mic and speaker without a gap', async () => {
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
      await bob.evaluate((cid) => window.__audio.call(cid).answer(), id);
      expect(await ringing(bob)).toBeNull();
      await alice.waitForCallStatus('active');
      expect(near((await alice.inboundAudio(800)).frequency, 880)).toBe(true);

      // Microphone switch mid-call: replaceTrack, no renegotiation, no audible gap at alice.
      const inputs = await bob.evaluate(() =>
        window.__audio.audio.inputs.map((d) => ({ id: d.id, label: d.label })),
      );
      const second = inputs.find((d) => d.label === 'Fake Audio Input 2')!;
      await startListening(alice.page);
      await alice.page.waitForTimeout(1000);
      const before = await bob.evaluate((cid) => window.__audio.call(cid).microphoneTrack?.id, id);
      await bob.evaluate(
        (deviceId) => window.__audio.audio.chooseDevice('microphone', deviceId),
        second.id,
      );
      await alice.page.waitForTimeout(1500);
      const gaps = await stopListening(alice.page);
      const after = await bob.evaluate((cid) => {
        const call = window.__audio.call(cid);
        const sender = call.peerConnection!.getSenders().find((s) => s.track?.kind === 'audio');
        return {
          track: call.microphoneTrack?.id,
          device: call.microphoneTrack?.getSettings().deviceId,
          sending: sender?.track?.id,
          signaling: call.peerConnection!.signalingState,
        };
      }, id);
      expect(after.track).not.toBe(before);
      expect(after.device).toBe(second.id);
      expect(after.sending).toBe(after.track);
      expect(after.signaling).toBe('stable');
      expect(gaps.samples).toBeGreaterThan(50);
      expect(gaps.maxPacketGapMs, JSON.stringify(gaps)).toBeLessThan(250);
      expect(gaps.maxSilenceMs, JSON.stringify(gaps)).toBeLessThan(250);
      expect(near((await alice.inboundAudio(800)).frequency, 880)).toBe(true);

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
        .poll(() => indicator.getAttribute('aria-label'), { timeout: 10_000 })
        .toMatch(/^Call quality: (excellent|good) \(MOS 4\.\d\)$/);
      await bob.getByRole('button', { name: 'Show call quality details' }).click();
      await bob.waitForTimeout(2500);
      // Freeze the monitor, then read the panel and the two reports it was computed from.
      const seen = await bob.evaluate(async (cid) => {
        const monitor = window.__audio.audio.monitorOf(cid)!;
        monitor.stop();
        await new Promise((r) => setTimeout(r, 1200)); // a poll in flight lands, the panel renders
        const plain = (r: unknown): unknown[] =>
          r ? [...(r as Map<string, unknown>).values()] : [];
        const rows = [...document.querySelectorAll('[data-testid="quality-panel"] tr')].map(
          (tr) => ({
            key: tr.getAttribute('data-field'),
            value: tr.getAttribute('data-value'),
            text: tr.querySelector('td')?.textContent ?? '',
          }),
        );
        return { rows, prev: plain(monitor.reports.prev), cur: plain(monitor.reports.cur) };
      }, id);
      const expected = fromRawStats(seen.prev as Stats[], seen.cur as Stats[]);
      const row = (key: string) => seen.rows.find((r) => r.key === key)!;
      expect(row('codec').text).toBe('opus/48000/2');
      expect(Number(row('packetsReceived').value)).toBe(expected.packetsReceived);
      expect(Number(row('receiveKbps').value)).toBeCloseTo(expected.receiveKbps, 6);
      expect(Number(row('sendKbps').value)).toBeCloseTo(expected.sendKbps, 6);
      expect(Number(row('jitterMs').value)).toBeCloseTo(expected.jitterMs, 6);
      expect(Number(row('rttMs').value)).toBeCloseTo(expected.rttMs, 6);
      expect(Number(row('jitterBufferMs').value)).toBeCloseTo(expected.jitterBufferMs, 6);
      expect(Number(row('concealedPct').value)).toBeCloseTo(expected.concealedPct, 6);
      expect(Number(row('lossPct').value)).toBeCloseTo(expected.lossPct, 6);
      expect(row('jitterMs').text).toBe(`${expected.jitterMs.toFixed(1)} ms`);
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

  it('warns when baresip stops sending (frozen, then on hold) and clears when its audio is back', async () => {
    const bare = lab.lab.baresips[0]!;
    const bob = await openBob('carol');
    try {
      const id = await bob.evaluate((uri) => window.__audio.dial(uri), bare.aor);
      await bob.getByTestId('call-audio').waitFor({ timeout: 20_000 });
      await expect
        .poll(
          () =>
            bob.evaluate((cid) => window.__audio.audio.qualityOf(cid)?.packetsReceived ?? 0, id),
          { timeout: 10_000 },
        )
        .toBeGreaterThan(50);
      const warning = bob.getByTestId('audio-warning');
      expect(await warning.count()).toBe(0);

      // Cut the media path at the far end: baresip is frozen and sends nothing.
      process.kill(bare.process.pid, 'SIGSTOP');
      try {
        await warning.waitFor({ timeout: 8000 });
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
      await warning.waitFor({ state: 'detached', timeout: 8000 });

      // baresip puts the call on hold (a=sendonly, and it stops sending): the same warning,
      // with the reason; it clears when baresip resumes.
      await bare.hold();
      await warning.waitFor({ timeout: 8000 });
      expect(await warning.innerText()).toBe(
        'No sound for 3 seconds: the other side has put the call on hold.',
      );
      await bare.resume();
      await warning.waitFor({ state: 'detached', timeout: 8000 });
      await bob.evaluate((cid) => window.__audio.call(cid).hangup(), id);
      await expect.poll(() => callId(bob)).toBeNull();
    } finally {
      await bob.context().close();
    }
  });
});

type Stats = Record<string, number | string | boolean>;

/** The panel's figures recomputed by hand from raw RTCStats fields. */
function fromRawStats(prev: Stats[], cur: Stats[]) {
  const find = (list: Stats[], type: string) =>
    list.find((r) => r.type === type && r.kind === 'audio')!;
  const n = (r: Stats, k: string) => Number(r[k]);
  const a = find(cur, 'inbound-rtp');
  const b = find(prev, 'inbound-rtp');
  const o = find(cur, 'outbound-rtp');
  const op = find(prev, 'outbound-rtp');
  const rtcp = cur.find((r) => r.type === 'remote-inbound-rtp' && r.kind === 'audio');
  const d = (k: string) => n(a, k) - n(b, k);
  const lost = Math.max(0, d('packetsLost'));
  return {
    packetsReceived: n(a, 'packetsReceived'),
    receiveKbps: (d('bytesReceived') * 8) / (n(a, 'timestamp') - n(b, 'timestamp')),
    sendKbps:
      ((n(o, 'bytesSent') - n(op, 'bytesSent')) * 8) / (n(o, 'timestamp') - n(op, 'timestamp')),
    jitterMs: n(a, 'jitter') * 1000,
    rttMs: rtcp ? n(rtcp, 'roundTripTime') * 1000 : Number.NaN,
    jitterBufferMs: (d('jitterBufferDelay') / d('jitterBufferEmittedCount')) * 1000,
    concealedPct: (100 * d('concealedSamples')) / d('totalSamplesReceived'),
    lossPct: (100 * lost) / (d('packetsReceived') + lost),
  };
}
