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
}
