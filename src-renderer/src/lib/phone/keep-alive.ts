// Finds a half-open connection: the WebSocket still looks open but nothing comes back (a NAT
// that forgot the flow, a Wi-Fi switch, a laptop that slept). Browsers' WebSocket API exposes
// no ping/pong, so after `idleS` seconds with nothing received the engine sends a SIP OPTIONS
// to its server (any answer, even an error, proves the flow lives — RFC 5626 §4.4 in spirit)
// and declares the connection dead when nothing at all arrives within `timeoutS`.

/** Seconds allowed for any answer to a keep-alive probe. */
export const KEEPALIVE_TIMEOUT_S = 8;

export interface KeepAliveOptions {
  /** Seconds without receiving anything before a probe is sent (0 = keep-alive off). */
  idleS: number;
  timeoutS?: number;
  /** Sends the probe (the engine's OPTIONS). */
  probe(): void;
  /** Nothing arrived within the timeout: the connection is dead. */
  dead(silentS: number): void;
}

/** The keep-alive of one connection; `heard()` on every message received. */
export class KeepAlive {
  readonly #opts: KeepAliveOptions;
  #idleTimer: ReturnType<typeof setTimeout> | null = null;
  #probeTimer: ReturnType<typeof setTimeout> | null = null;
  #running = false;

  readonly #settingS: number;

  constructor(opts: KeepAliveOptions) {
    this.#opts = { ...opts };
    this.#settingS = opts.idleS;
  }

  /**
   * Follows a server's RFC 5626 Flow-Timer: the idle interval becomes 80 % of it when that is
   * shorter than the setting (never when keep-alive is off).
   */
  followFlowTimer(flowTimerS: number | null): void {
    const base = this.#settingS;
    if (base <= 0) {
      return;
    }
    this.#opts.idleS =
      flowTimerS !== null && flowTimerS > 0 ? Math.min(base, Math.max(1, flowTimerS * 0.8)) : base;
    if (this.#idleTimer !== null) {
      this.heard(); // re-arm the idle wait with the new interval
    }
  }

  /** Starts watching a connection that just opened. */
  start(): void {
    this.#running = this.#opts.idleS > 0;
    this.heard();
  }

  /** Something arrived: the connection lives. */
  heard(): void {
    this.#clear();
    if (!this.#running) {
      return;
    }
    this.#idleTimer = setTimeout(() => this.#probe(), this.#opts.idleS * 1000);
  }

  /** Stops watching (the connection closed or the engine stops). */
  stop(): void {
    this.#running = false;
    this.#clear();
  }

  #probe(): void {
    this.#idleTimer = null;
    const timeoutS = this.#opts.timeoutS ?? KEEPALIVE_TIMEOUT_S;
    this.#probeTimer = setTimeout(() => {
      this.#probeTimer = null;
      this.#running = false;
      this.#opts.dead(this.#opts.idleS + timeoutS);
    }, timeoutS * 1000);
    this.#opts.probe();
  }

  #clear(): void {
    for (const timer of [this.#idleTimer, this.#probeTimer]) {
      if (timer !== null) {
        clearTimeout(timer);
      }
    }
    this.#idleTimer = null;
    this.#probeTimer = null;
  }
}
