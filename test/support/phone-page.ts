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
  function Instrumented(...args) {
    const pc = new Original(...args);
    pcs.push(pc);
    return pc;
  }
  Instrumented.prototype = Original.prototype;
  Object.setPrototypeOf(Instrumented, Original);
  window.RTCPeerConnection = Instrumented;
  const sent = [];
  const received = [];
  window.__sip = { sent, received };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (this.protocol === 'sip' && typeof data === 'string') sent.push({ t: performance.now(), text: data });
    return send.call(this, data);
  };
  const origDesc = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    configurable: true,
    get() { return origDesc.get.call(this); },
    set(fn) {
      origDesc.set.call(this, (event) => {
        if (typeof event.data === 'string') received.push({ t: performance.now(), text: event.data });
        else if (event.data instanceof ArrayBuffer) received.push({ t: performance.now(), text: new TextDecoder().decode(event.data) });
        return fn.call(this, event);
      });
    },
  });
})();`;

export interface OpenOptions {
  bridge?: TestBridge;
  /** Path added to the served URL (e.g. '?x'). */
  query?: string;
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
    const context = await browser.newContext({ permissions: ['microphone'] });
    const page = await context.newPage();
    const bridge = opts.bridge ?? (await TestBridge.create({ appUrl: server.url }));
    await bridge.attach(page);
    await page.addInitScript(INSTRUMENT);
    const phone = new PhonePage(context, page, bridge);
    await page.goto(`${server.url}${opts.query ?? ''}`);
    return phone;
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

  /** SIP messages the page received over its WebSocket (text and time). */
  async sipReceived(): Promise<{ t: number; text: string }[]> {
    return this.page.evaluate(
      () =>
        (window as unknown as { __sip: { received: { t: number; text: string }[] } }).__sip
          .received,
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
