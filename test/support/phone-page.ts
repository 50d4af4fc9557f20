// Drives one instance of the real renderer build in Chromium: opens it with the test bridge,
// instruments peer connections (for statistics) and the SIP WebSocket (for timings), and
// offers the few UI actions and audio checks the e2e tests and the benchmark need.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { StaticServer } from './static-server';
import { TestBridge } from './test-bridge';

/** What arrived from the other side, measured inside the page. */
export interface InboundAudio {
  packetsReceived: number;
  audioLevel: number;
  totalAudioEnergy: number;
  /** Strongest frequency in the remote audio (Hz), from a Web Audio analyser. */
  frequency: number;
  /** How far the peak stands above the median bin, in dB. */
  peakOverMedianDb: number;
}

const INSTRUMENT = `(() => {
  const Original = window.RTCPeerConnection;
  const pcs = [];
  window.__pcs = pcs;
  // The phone's WebRTC warm-up (webrtc-warm-up.ts: relay-only, no server, closed at once) is not
  // a call's connection: kept apart.
  const warmUps = [];
  window.__warmUps = warmUps;
  function Instrumented(...args) {
    const pc = new Original(...args);
    const config = args[0] || {};
    const warmUp = config.iceTransportPolicy === 'relay' && !(config.iceServers || []).length;
    (warmUp ? warmUps : pcs).push(pc);
    return pc;
  }
  Instrumented.prototype = Original.prototype;
  Object.setPrototypeOf(Instrumented, Original);
  window.RTCPeerConnection = Instrumented;
  // Key presses handed to Chromium's RFC 4733 sender, in order.
  const dtmf = [];
  window.__dtmf = dtmf;
  const insertDTMF = RTCDTMFSender.prototype.insertDTMF;
  RTCDTMFSender.prototype.insertDTMF = function (tones, ...rest) {
    dtmf.push(tones);
    return insertDTMF.call(this, tones, ...rest);
  };
  const sent = [];
  const received = [];
  const opened = [];
  window.__sip = { sent, received, opened };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (this.protocol === 'sip' && typeof data === 'string') sent.push({ t: performance.now(), text: data });
    return send.call(this, data);
  };
  // Runs before(event) ahead of the page's own handler, in the same task.
  const wrapHandler = (name, before) => {
    const desc = Object.getOwnPropertyDescriptor(WebSocket.prototype, name);
    Object.defineProperty(WebSocket.prototype, name, {
      configurable: true,
      get() { return desc.get.call(this); },
      set(fn) {
        desc.set.call(this, (event) => { before.call(this, event); return fn.call(this, event); });
      },
    });
  };
  wrapHandler('onopen', function () {
    if (this.protocol === 'sip') opened.push({ t: performance.now() });
  });
  wrapHandler('onmessage', (event) => {
    if (typeof event.data === 'string') received.push({ t: performance.now(), text: event.data });
    else if (event.data instanceof ArrayBuffer) received.push({ t: performance.now(), text: new TextDecoder().decode(event.data) });
  });
})();`;

export interface OpenOptions {
  bridge?: TestBridge;
  /** Path added to the served URL (e.g. '?x'). */
  query?: string;
  /** Runs before the page loads (init scripts, bindings: e.g. fake headsets). */
  beforeLoad?: (page: Page, bridge: TestBridge) => Promise<void>;
  /** Permissions the context grants (what main's permission handlers grant in the app). */
  permissions?: string[];
  /** The window's size; the phone window's default (narrow) when absent. */
  viewport?: { width: number; height: number };
  /** How the page reaches the bridge (TestBridge.attach); Playwright's binding by default. */
  transport?: 'binding' | 'socket';
}

export class PhonePage {
  readonly errors: string[] = [];
  readonly console: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly bridge: TestBridge,
  ) {
    page.on('pageerror', (error) => this.errors.push(`${error.name}: ${error.message}`));
    page.on('console', (message) => this.console.push(`${message.type()}: ${message.text()}`));
  }

  /** Opens the renderer in a new context of `browser`, with its own bridge unless given. */
  static async open(
    browser: Browser,
    server: StaticServer,
    opts: OpenOptions = {},
  ): Promise<PhonePage> {
    // The phone window's default size (src-main/windows/main-window.ts): the narrow layout.
    const context = await browser.newContext({
      permissions: opts.permissions ?? ['microphone'],
      viewport: opts.viewport ?? { width: 400, height: 640 },
    });
    // Under tsx (npm run screenshots) esbuild's keepNames wraps the functions handed to the page
    // in __name(…); the page has no such helper unless given one.
    await context.addInitScript({ content: 'globalThis.__name ??= (target) => target;' });
    const page = await context.newPage();
    const bridge = opts.bridge ?? (await TestBridge.create({ appUrl: server.url }));
    await bridge.attach(page, 'main', { transport: opts.transport ?? 'binding' });
    await page.addInitScript(INSTRUMENT);
    await opts.beforeLoad?.(page, bridge);
    const phone = new PhonePage(context, page, bridge);
    await page.goto(`${server.url}${opts.query ?? ''}`);
    return phone;
  }

  /** Key presses the page handed to Chromium's RFC 4733 sender, in order. */
  async dtmfInserted(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { __dtmf: string[] }).__dtmf);
  }

  /** Waits until the default account's registration status is `status`. */
  async waitForRegistration(status: string, timeoutMs = 20_000): Promise<void> {
    await this.page
      .locator(`[data-testid="registration-status"][data-status="${status}"]`)
      .waitFor({ timeout: timeoutMs });
  }

  /** The registration problem's cause and sentence, when one is shown. */
  async registrationProblem(): Promise<{ cause: string | null; text: string } | null> {
    const problem = this.page.getByTestId('registration-problem');
    if ((await problem.count()) === 0) {
      return null;
    }
    return {
      cause: await problem.getAttribute('data-cause'),
      text: (await problem.innerText()).trim(),
    };
  }

  /** Types into the dial field and clicks Call. */
  async dial(text: string): Promise<void> {
    await this.page.getByLabel('Number or address').fill(text);
    await this.page.getByRole('button', { name: 'Call', exact: true }).click();
  }

  async waitForCallStatus(status: string, timeoutMs = 20_000): Promise<void> {
    await this.page
      .locator(`[data-testid="call-view"][data-status="${status}"]`)
      .waitFor({ timeout: timeoutMs });
  }

  async waitForIncoming(timeoutMs = 20_000): Promise<void> {
    await this.page.getByTestId('incoming-view').waitFor({ timeout: timeoutMs });
  }

  async answer(): Promise<void> {
    await this.page.getByRole('button', { name: 'Answer', exact: true }).click();
  }

  async decline(): Promise<void> {
    await this.page.getByRole('button', { name: 'Decline', exact: true }).click();
  }

  async hangup(): Promise<void> {
    await this.page.getByRole('button', { name: 'Hang up', exact: true }).click();
  }

  /** Waits for the "call ended" banner and returns its cause. */
  async waitForEnded(timeoutMs = 20_000): Promise<string | null> {
    const ended = this.page.getByTestId('call-ended');
    await ended.waitFor({ timeout: timeoutMs });
    return ended.getAttribute('data-cause');
  }

  /** Listens to the remote audio for `ms` and reports what arrived. */
  async inboundAudio(ms = 1500): Promise<InboundAudio> {
    return this.page.evaluate(async (listenMs) => {
      const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
      const pc = [...pcs].reverse().find((p) => p.connectionState !== 'closed');
      if (!pc) {
        throw new Error('no open peer connection');
      }
      const receiver = pc.getReceivers().find((r) => r.track.kind === 'audio');
      if (!receiver) {
        throw new Error('no audio receiver');
      }
      const ctx = new AudioContext();
      const source = ctx.createMediaStreamSource(new MediaStream([receiver.track]));
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 16384;
      analyser.smoothingTimeConstant = 0.5;
      source.connect(analyser);
      await new Promise((r) => setTimeout(r, listenMs));
      const bins = new Float32Array(analyser.frequencyBinCount);
      analyser.getFloatFrequencyData(bins);
      let peak = 0;
      for (let i = 1; i < bins.length; i += 1) {
        if ((bins[i] ?? -Infinity) > (bins[peak] ?? -Infinity)) {
          peak = i;
        }
      }
      const sorted = [...bins].filter(Number.isFinite).sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)] ?? -200;
      const frequency = (peak * ctx.sampleRate) / analyser.fftSize;
      await ctx.close();
      let inbound: Record<string, unknown> | undefined;
      (await pc.getStats()).forEach((report: Record<string, unknown>) => {
        if (report.type === 'inbound-rtp' && report.kind === 'audio') {
          inbound = report;
        }
      });
      return {
        packetsReceived: Number(inbound?.packetsReceived ?? 0),
        audioLevel: Number(inbound?.audioLevel ?? 0),
        totalAudioEnergy: Number(inbound?.totalAudioEnergy ?? 0),
        frequency,
        peakOverMedianDb: (bins[peak] ?? -200) - median,
      };
    }, ms);
  }

  /** Level (0..1) of what the page sends on its newest open call (media-source stats). */
  async outboundLevel(): Promise<number> {
    return this.page.evaluate(async () => {
      const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
      const pc = [...pcs].reverse().find((p) => p.connectionState !== 'closed');
      let level = 0;
      (await pc?.getStats())?.forEach((report: Record<string, unknown>) => {
        if (report.type === 'media-source' && report.kind === 'audio') {
          level = Number(report.audioLevel ?? 0);
        }
      });
      return level;
    });
  }

  /** SIP messages the page sent over its WebSocket (method or status line, and time). */
  async sipSent(): Promise<{ t: number; text: string }[]> {
    return this.page.evaluate(
      () => (window as unknown as { __sip: { sent: { t: number; text: string }[] } }).__sip.sent,
    );
  }

  /**
   * How many times the page's SIP WebSocket has opened. Counted before the page's own onopen
   * handler runs, in the same task: once this count has grown, whatever JsSIP sends on
   * connect (a REGISTER, when registration is on) is already in {@link sipSent}.
   */
  async sipOpens(): Promise<number> {
    return this.page.evaluate(
      () => (window as unknown as { __sip: { opened: unknown[] } }).__sip.opened.length,
    );
  }

  async close(): Promise<void> {
    await this.context.close();
    await this.bridge.dispose();
  }

  /**
   * How loud given tones are in what one call receives, measured in the page: a Web Audio
   * analyser on the call's remote track, its power averaged over `ms`. For each frequency, the
   * strongest bin within ±12 Hz, in dB above the noise floor (the median bin of 100–4000 Hz);
   * 0 for silence. Also the RTP packets that arrived during the window. `party` picks the call
   * by the SIP user at the other end (the peer connection whose ICE ufrag went out in a SIP
   * message to or from that user); by default the newest open peer connection.
   */
  async toneLevels(
    freqs: number[],
    opts: { party?: string; ms?: number } = {},
  ): Promise<ToneLevels> {
    return this.page.evaluate(
      async ({ freqs, party, ms }) => {
        const w = window as unknown as {
          __pcs: RTCPeerConnection[];
          __sip: { sent: { text: string }[] };
        };
        const open = w.__pcs.filter(
          (p) => p.connectionState !== 'closed' && p.signalingState !== 'closed',
        );
        let pc: RTCPeerConnection | undefined;
        if (party === null) {
          pc = open.at(-1);
        } else {
          const partyRe = new RegExp(`^(?:From|To|f|t)\\s*:[^\\r\\n]*sip:${party}@`, 'im');
          pc = open.find((p) => {
            const ufrag = /a=ice-ufrag:(\S+)/.exec(p.localDescription?.sdp ?? '')?.[1];
            return (
              ufrag !== undefined &&
              w.__sip.sent.some(
                (m) => m.text.includes(`a=ice-ufrag:${ufrag}\r\n`) && partyRe.test(m.text),
              )
            );
          });
        }
        if (!pc) {
          throw new Error(`no open peer connection${party === null ? '' : ` with ${party}`}`);
        }
        const receiver = pc.getReceivers().find((r) => r.track.kind === 'audio');
        if (!receiver) {
          throw new Error('no audio receiver');
        }
        // (No named inner functions here: tsx's keepNames would wrap them in a helper the
        // page does not have.)
        const packetCounts: number[] = [];
        const ctx = new AudioContext();
        const analyser = ctx.createAnalyser();
        analyser.fftSize = 8192;
        analyser.smoothingTimeConstant = 0;
        ctx.createMediaStreamSource(new MediaStream([receiver.track])).connect(analyser);
        const bins = new Float32Array(analyser.frequencyBinCount);
        const power = new Float64Array(analyser.frequencyBinCount);
        (await pc.getStats()).forEach((report: Record<string, unknown>) => {
          if (report.type === 'inbound-rtp' && report.kind === 'audio') {
            packetCounts[0] = Number(report.packetsReceived ?? 0);
          }
        });
        const started = performance.now();
        // Let the analyser's window fill with audio that arrived after the start.
        await new Promise((r) => setTimeout(r, 200));
        let frames = 0;
        while (frames === 0 || performance.now() - started < ms) {
          analyser.getFloatFrequencyData(bins);
          for (let i = 0; i < bins.length; i += 1) {
            const db = bins[i] ?? -Infinity;
            power[i] = (power[i] ?? 0) + (Number.isFinite(db) ? 10 ** (db / 10) : 0);
          }
          frames += 1;
          await new Promise((r) => setTimeout(r, 50));
        }
        (await pc.getStats()).forEach((report: Record<string, unknown>) => {
          if (report.type === 'inbound-rtp' && report.kind === 'audio') {
            packetCounts[1] = Number(report.packetsReceived ?? 0);
          }
        });
        const packets = (packetCounts[1] ?? 0) - (packetCounts[0] ?? 0);
        const binHz = ctx.sampleRate / analyser.fftSize;
        await ctx.close();
        const binDb = Array.from(power, (p) => 10 * Math.log10(p / frames + 1e-30));
        const band: number[] = [];
        for (let i = Math.ceil(100 / binHz); i <= Math.floor(4000 / binHz); i += 1) {
          band.push(binDb[i] ?? -300);
        }
        band.sort((a, b) => a - b);
        const floorDb = band[Math.floor(band.length / 2)] ?? -300;
        const levels: Record<number, number> = {};
        const dbfs: Record<number, number> = {};
        for (const f of freqs) {
          let best = -300;
          for (let i = Math.floor((f - 12) / binHz); i <= Math.ceil((f + 12) / binHz); i += 1) {
            best = Math.max(best, binDb[i] ?? -300);
          }
          levels[f] = best - floorDb;
          dbfs[f] = best;
        }
        return { levels, dbfs, floorDb, packets };
      },
      { freqs, party: opts.party ?? null, ms: opts.ms ?? 1500 },
    );
  }

  /**
   * Starts recording whether an element with `data-testid="testId"` is ever added to the page,
   * even for a moment (a MutationObserver; see {@link wasShown}). Reset by a reload.
   */
  async watchForTestId(testId: string): Promise<void> {
    await this.page.evaluate((id) => {
      const w = window as unknown as { __shown?: Record<string, boolean> };
      const shown = (w.__shown ??= {});
      const selector = `[data-testid="${id}"]`;
      shown[id] = document.querySelector(selector) !== null;
      new MutationObserver((records) => {
        for (const record of records) {
          for (const node of record.addedNodes) {
            if (
              node instanceof Element &&
              (node.matches(selector) || node.querySelector(selector) !== null)
            ) {
              shown[id] = true;
            }
          }
        }
      }).observe(document.body, { childList: true, subtree: true });
    }, testId);
  }

  /** Whether an element watched with {@link watchForTestId} was shown since the watch began. */
  async wasShown(testId: string): Promise<boolean> {
    return this.page.evaluate(
      (id) => (window as unknown as { __shown?: Record<string, boolean> }).__shown?.[id] === true,
      testId,
    );
  }

  /**
   * Measures what this page receives from `party` (see {@link toneLevels}) until every
   * `present` tone is louder than -60 dBFS and more than 20 dB above the noise floor, every
   * `absent` one quieter than -65 dBFS (a tone as sent is around -20 to -40 dBFS here; codec
   * noise and jitter-buffer stretching leave other frequencies below -70), and RTP flows (more
   * than 20 packets per window) or, with `flowing: false`, does not (at most 3). Throws with
   * the last measurement after `timeoutMs`.
   */
  async waitForAudio(
    party: string | undefined,
    want: { present?: number[]; absent?: number[]; flowing?: boolean; ms?: number },
    timeoutMs = 10_000,
  ): Promise<ToneLevels> {
    const present = want.present ?? [];
    const absent = want.absent ?? [];
    const started = Date.now();
    let last: ToneLevels | undefined;
    do {
      last = await this.toneLevels([...present, ...absent], {
        ...(party !== undefined ? { party } : {}),
        ms: want.ms ?? 1200,
      });
      const { levels, dbfs } = last;
      const flowOk = want.flowing === false ? last.packets <= 3 : last.packets > 20;
      if (
        flowOk &&
        present.every((f) => (dbfs[f] ?? -300) > -60 && (levels[f] ?? 0) > 20) &&
        absent.every((f) => (dbfs[f] ?? -300) < -65)
      ) {
        return last;
      }
    } while (Date.now() - started < timeoutMs);
    throw new Error(
      `audio from ${party ?? 'the newest call'}: wanted ${JSON.stringify(want)}, measured ${JSON.stringify(last)}`,
    );
  }

  /** How many SIP messages the page has received over its WebSocket (each counted before it is handled). */
  async sipReceivedCount(): Promise<number> {
    return this.page.evaluate(
      () => (window as unknown as { __sip: { received: unknown[] } }).__sip.received.length,
    );
  }

  /** SIP messages the page received over its WebSocket (text and time). */
  async sipReceived(): Promise<{ t: number; text: string }[]> {
    return this.page.evaluate(
      () =>
        (window as unknown as { __sip: { received: { t: number; text: string }[] } }).__sip
          .received,
    );
  }

  // ---- Audio probes (the Sound screen, tone players, call audio elements, quality reports) ----

  /**
   * Installs the audio probe (see AUDIO_PROBE) and reloads the page so it is there from the
   * start: every `new Audio()` element the app creates (call playback, ringer, call tones)
   * with its play/pause times, the streams of Web Audio destinations (tone players), click
   * times, and optional recording/freezing of argument-less getStats() calls.
   */
  async installAudioProbe(): Promise<void> {
    await this.page.addInitScript(AUDIO_PROBE);
    await this.page.reload();
  }

  /** The audio elements the app created, in creation order (needs {@link installAudioProbe}). */
  async audioElements(): Promise<AudioElementInfo[]> {
    return this.page.evaluate(() =>
      (
        window as unknown as { __audioProbe: { elements(): AudioElementInfo[] } }
      ).__audioProbe.elements(),
    );
  }

  /** play()/pause() calls on the app's audio elements, with performance.now() times. */
  async audioElementEvents(): Promise<{ el: number; op: 'play' | 'pause'; t: number }[]> {
    return this.page.evaluate(
      () =>
        (
          window as unknown as {
            __audioProbe: { events: { el: number; op: 'play' | 'pause'; t: number }[] };
          }
        ).__audioProbe.events,
    );
  }

  /** Clicks in the page (capture phase): time and the clicked element's text. */
  async clickTimes(): Promise<{ t: number; text: string }[]> {
    return this.page.evaluate(
      () =>
        (window as unknown as { __audioProbe: { clicks: { t: number; text: string }[] } })
          .__audioProbe.clicks,
    );
  }

  /**
   * Listens to what audio element `index` plays (its srcObject) for `ms`: RMS, the strongest
   * frequency, and the level (dBFS) of the strongest bin within ±12 Hz of each of `freqs`.
   */
  async tapAudioElement(index: number, ms: number, freqs: number[] = []): Promise<ElementTap> {
    return this.page.evaluate(
      ({ index, ms, freqs }) =>
        (
          window as unknown as {
            __audioProbe: { tap(i: number, ms: number, f: number[]): Promise<ElementTap> };
          }
        ).__audioProbe.tap(index, ms, freqs),
      { index, ms, freqs },
    );
  }

  /** Starts/stops recording what argument-less getStats() calls return (the quality monitor's). */
  async recordStats(on: boolean): Promise<void> {
    await this.page.evaluate((value) => {
      (
        window as unknown as { __audioProbe: { stats: { recording: boolean } } }
      ).__audioProbe.stats.recording = value;
    }, on);
  }

  /**
   * Freezes argument-less getStats() calls (they wait, unanswered, until unfrozen; then they
   * get a fresh report), so the quality monitor's figures stay put while the test reads them.
   */
  async freezeStats(on: boolean): Promise<void> {
    await this.page.evaluate((value) => {
      const probe = (window as unknown as { __audioProbe: { freeze(on: boolean): void } })
        .__audioProbe;
      probe.freeze(value);
    }, on);
  }

  /** Argument-less getStats() calls not answered yet (frozen ones included). */
  async statsInFlight(): Promise<number> {
    return this.page.evaluate(
      () =>
        (window as unknown as { __audioProbe: { stats: { inflight: number; held: unknown[] } } })
          .__audioProbe.stats.inflight,
    );
  }

  /** The recorded getStats() reports (newest last), each as a list of plain stats records. */
  async recordedStats(): Promise<RecordedStats[]> {
    return this.page.evaluate(
      () =>
        (window as unknown as { __audioProbe: { stats: { log: RecordedStats[] } } }).__audioProbe
          .stats.log,
    );
  }

  /**
   * Starts sampling the newest open call's inbound RTP counter and remote level every 20 ms
   * (see {@link stopRtpWatch}).
   */
  async startRtpWatch(): Promise<void> {
    await this.page.evaluate(() =>
      (window as unknown as { __audioProbe: { watch(): void } }).__audioProbe.watch(),
    );
  }

  /** Stops the watch; the longest time without a new packet, the longest silence, concealment. */
  async stopRtpWatch(): Promise<RtpGaps> {
    return this.page.evaluate(() =>
      (
        window as unknown as { __audioProbe: { stopWatch(): Promise<RtpGaps> } }
      ).__audioProbe.stopWatch(),
    );
  }

  /** Call history entries as stored in the app's IndexedDB ('open-softphone', table 'calls'). */
  async historyEntries(): Promise<Record<string, unknown>[]> {
    return this.page.evaluate(() =>
      (
        window as unknown as { __audioProbe: { history(): Promise<Record<string, unknown>[]> } }
      ).__audioProbe.history(),
    );
  }

  /** Opens Settings from the status bar, on one of its tabs. */
  async openSettings(tab: 'Accounts' | 'Sound' | 'General' = 'Accounts'): Promise<void> {
    if ((await this.page.getByTestId('settings-view').count()) === 0) {
      await this.page.getByRole('button', { name: 'Settings', exact: true }).click();
    }
    await this.page.getByRole('tab', { name: tab, exact: true }).click();
  }

  /** Leaves Settings (Done). */
  async closeSettings(): Promise<void> {
    await this.page.getByTestId('settings-view').getByRole('button', { name: 'Done' }).click();
    await this.page.getByTestId('settings-view').waitFor({ state: 'detached' });
  }

  /** Opens the Sound settings. */
  async openSound(): Promise<void> {
    await this.openSettings('Sound');
    await this.page.getByTestId('audio-settings').waitFor();
  }

  /** Leaves the Sound settings (Done). */
  async closeSound(): Promise<void> {
    await this.closeSettings();
  }

  /** The options of a device picker of the Sound screen (`microphone-device`, …). */
  async deviceOptions(testId: string): Promise<{ value: string; text: string }[]> {
    return this.page
      .getByTestId(testId)
      .locator('option')
      .evaluateAll((els) =>
        els.map((e) => ({ value: (e as HTMLOptionElement).value, text: e.textContent ?? '' })),
      );
  }
}

/** What {@link PhonePage.toneLevels} measured in one call's remote audio. */
export interface ToneLevels {
  /** Per requested frequency: dB above the noise floor (0 for silence). */
  levels: Record<number, number>;
  /** Per requested frequency: the analyser's level in dBFS (-300 for silence). */
  dbfs: Record<number, number>;
  /** The noise floor (median bin of 100–4000 Hz) in dBFS. */
  floorDb: number;
  /** RTP packets received during the window. */
  packets: number;
}

/** One `new Audio()` element of the app, as the probe sees it. */
export interface AudioElementInfo {
  index: number;
  /**
   * 'call': plays a peer connection's remote track; 'tone': plays a Web Audio destination
   * (ringer, call tones, tests); 'other' / 'empty': anything else / no source.
   */
  kind: 'call' | 'tone' | 'other' | 'empty';
  sinkId: string;
  paused: boolean;
}

/** What {@link PhonePage.tapAudioElement} heard. */
export interface ElementTap {
  rms: number;
  frequency: number;
  dbfs: Record<number, number>;
}

/** One recorded getStats() report. */
export interface RecordedStats {
  /** Index of the peer connection in window.__pcs. */
  pc: number;
  t: number;
  records: Record<string, number | string | boolean>[];
}

/** What {@link PhonePage.stopRtpWatch} measured. */
export interface RtpGaps {
  samples: number;
  packets: number;
  maxPacketGapMs: number;
  maxSilenceMs: number;
  concealedMs: number;
}

// The audio probe, plain JS (no bundler helpers): installed by PhonePage.installAudioProbe.
const AUDIO_PROBE = `(() => {
  const probe = {
    list: [], events: [], clicks: [], toneStreams: new WeakSet(),
    stats: { recording: false, frozen: false, log: [], held: [], inflight: 0 },
  };
  window.__audioProbe = probe;
  const OriginalAudio = window.Audio;
  function ProbedAudio(...args) {
    const el = new OriginalAudio(...args);
    probe.list.push(el);
    return el;
  }
  ProbedAudio.prototype = OriginalAudio.prototype;
  Object.setPrototypeOf(ProbedAudio, OriginalAudio);
  window.Audio = ProbedAudio;
  for (const op of ['play', 'pause']) {
    const original = HTMLMediaElement.prototype[op];
    HTMLMediaElement.prototype[op] = function (...args) {
      probe.events.push({ el: probe.list.indexOf(this), op, t: performance.now() });
      return original.apply(this, args);
    };
  }
  const createDest = AudioContext.prototype.createMediaStreamDestination;
  AudioContext.prototype.createMediaStreamDestination = function (...args) {
    const node = createDest.apply(this, args);
    probe.toneStreams.add(node.stream);
    return node;
  };
  window.addEventListener('click', (e) => {
    probe.clicks.push({ t: performance.now(), text: (e.target && e.target.textContent || '').trim() });
  }, true);

  const getStats = RTCPeerConnection.prototype.getStats;
  RTCPeerConnection.prototype.getStats = function (...args) {
    if (args.length > 0) return getStats.apply(this, args);
    const pc = this;
    const run = () => {
      probe.stats.inflight += 1;
      return getStats.call(pc).then((report) => {
        if (probe.stats.recording) {
          const records = [];
          report.forEach((r) => records.push(Object.assign({}, r)));
          probe.stats.log.push({ pc: (window.__pcs || []).indexOf(pc), t: performance.now(), records });
          if (probe.stats.log.length > 30) probe.stats.log.shift();
        }
        return report;
      }).finally(() => { probe.stats.inflight -= 1; });
    };
    if (probe.stats.frozen) {
      return new Promise((resolve, reject) => probe.stats.held.push(() => run().then(resolve, reject)));
    }
    return run();
  };
  probe.freeze = (on) => {
    probe.stats.frozen = on;
    if (!on) probe.stats.held.splice(0).forEach((go) => go());
  };

  const pcs = () => window.__pcs || [];
  probe.elements = () => probe.list.map((el, index) => {
    const s = el.srcObject;
    const tracks = s ? s.getTracks() : [];
    const remote = tracks.some((t) => pcs().some((pc) =>
      pc.signalingState !== 'closed' && pc.getReceivers().some((r) => r.track === t)));
    const kind = !s ? 'empty' : remote ? 'call' : probe.toneStreams.has(s) ? 'tone' : 'other';
    return { index, kind, sinkId: el.sinkId, paused: el.paused };
  });

  probe.tap = async (index, ms, freqs) => {
    const el = probe.list[index];
    if (!el || !el.srcObject) throw new Error('audio element ' + index + ' has no source');
    const ctx = new AudioContext();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 8192;
    analyser.smoothingTimeConstant = 0;
    ctx.createMediaStreamSource(el.srcObject).connect(analyser);
    await new Promise((r) => setTimeout(r, ms));
    const time = new Float32Array(analyser.fftSize);
    analyser.getFloatTimeDomainData(time);
    const bins = new Float32Array(analyser.frequencyBinCount);
    analyser.getFloatFrequencyData(bins);
    const binHz = ctx.sampleRate / analyser.fftSize;
    let peak = 1;
    for (let i = 1; i < bins.length; i += 1) if (bins[i] > bins[peak]) peak = i;
    let sum = 0;
    for (const s of time) sum += s * s;
    const dbfs = {};
    for (const f of freqs) {
      let best = -300;
      for (let i = Math.floor((f - 12) / binHz); i <= Math.ceil((f + 12) / binHz); i += 1) {
        if (Number.isFinite(bins[i])) best = Math.max(best, bins[i]);
      }
      dbfs[f] = best;
    }
    await ctx.close();
    return { rms: Math.sqrt(sum / time.length), frequency: peak * binHz, dbfs };
  };

  probe.watch = () => {
    const pc = [...pcs()].reverse().find((p) => p.connectionState !== 'closed');
    if (!pc) throw new Error('no open peer connection');
    const receiver = pc.getReceivers().find((r) => r.track.kind === 'audio');
    const ctx = new AudioContext();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 512;
    ctx.createMediaStreamSource(new MediaStream([receiver.track])).connect(analyser);
    const samples = [];
    const buf = new Float32Array(analyser.fftSize);
    const timer = setInterval(() => {
      getStats.call(pc).then((report) => {
        analyser.getFloatTimeDomainData(buf);
        let sum = 0;
        for (const s of buf) sum += s * s;
        report.forEach((r) => {
          if (r.type === 'inbound-rtp' && r.kind === 'audio') {
            samples.push({ t: performance.now(), packets: Number(r.packetsReceived),
              rms: Math.sqrt(sum / buf.length), concealed: Number(r.concealedSamples) });
          }
        });
      });
    }, 20);
    probe.watching = { samples, stop: () => { clearInterval(timer); return ctx.close(); } };
  };
  probe.stopWatch = async () => {
    const w = probe.watching;
    await w.stop();
    const s = w.samples;
    let maxPacketGapMs = 0;
    let lastMove = s[0].t;
    let silentSince = null;
    let maxSilenceMs = 0;
    for (let i = 1; i < s.length; i += 1) {
      if (s[i].packets > s[i - 1].packets) {
        maxPacketGapMs = Math.max(maxPacketGapMs, s[i].t - lastMove);
        lastMove = s[i].t;
      }
      if (s[i].rms < 0.01) {
        if (silentSince === null) silentSince = s[i - 1].t;
        maxSilenceMs = Math.max(maxSilenceMs, s[i].t - silentSince);
      } else {
        silentSince = null;
      }
    }
    maxPacketGapMs = Math.max(maxPacketGapMs, s[s.length - 1].t - lastMove);
    return {
      samples: s.length,
      packets: s[s.length - 1].packets - s[0].packets,
      maxPacketGapMs,
      maxSilenceMs,
      concealedMs: ((s[s.length - 1].concealed - s[0].concealed) / 48000) * 1000,
    };
  };

  probe.history = () => new Promise((resolve, reject) => {
    const req = indexedDB.open('open-softphone');
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const db = req.result;
      const get = db.transaction('calls').objectStore('calls').getAll();
      get.onerror = () => { db.close(); reject(get.error); };
      get.onsuccess = () => { db.close(); resolve(get.result); };
    };
  });
})();`;
