// ICE-gathering policy: JsSIP holds the INVITE (and the 200 OK) until ICE gathering completes,
// which takes 10-40 s when a STUN/TURN server does not answer (and ~125 ms even with none).
// This policy ends gathering as soon as the candidates that matter exist (host when no servers
// are configured, a server-reflexive one with STUN, a relayed one with TURN): after the first
// of them it waits only until the burst it belongs to goes quiet (Chromium emits the host
// candidates of all interfaces within a millisecond), at most a short settle time, and always
// within a hard cap from the start of gathering. A round may also require the wanted candidate
// to pass a test (an ICE restart waits for a routable one: ice-restart.ts).

/** Which candidate type makes the SDP usable, given the configured servers. */
export type WantedCandidate = 'host' | 'srflx' | 'relay';

export type IceDecision = 'wanted-candidate' | 'cap';

export interface IcePolicyOptions {
  servers: readonly RTCIceServer[];
  /** Longest wait from the start of gathering, in ms. */
  capMs: number;
  /** Quiet time after the last candidate that ends the burst, once a wanted one arrived, in ms. */
  quietMs?: number;
  /** Longest wait after the first wanted candidate, in ms. */
  settleMs?: number;
  /** Timer functions, injectable for tests. */
  timers?: Pick<typeof globalThis, 'setTimeout' | 'clearTimeout'>;
  /** Whether a candidate of the wanted type counts (default: every one does). */
  usable?: (candidate: string) => boolean;
}

/** The candidate type to wait for with these servers. */
export function wantedCandidate(servers: readonly RTCIceServer[]): WantedCandidate {
  const urls = servers.flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]));
  if (urls.some((u) => /^turns?:/i.test(u))) {
    return 'relay';
  }
  if (urls.some((u) => /^stuns?:/i.test(u))) {
    return 'srflx';
  }
  return 'host';
}

/** The `typ` of an ICE candidate line, e.g. 'host', 'srflx', 'relay', 'prflx'. */
export function candidateType(candidate: Pick<RTCIceCandidate, 'candidate'>): string | null {
  return / typ ([a-z]+)/.exec(candidate.candidate)?.[1] ?? null;
}

/** Minimal peer-connection surface the policy needs. */
export type PolicyPeer = Pick<EventTarget, 'dispatchEvent'>;

/**
 * One gathering round. Feed it JsSIP's `icecandidate` events; it calls JsSIP's `ready()` when
 * the policy is satisfied, or ends gathering at the cap even when no candidate ever arrived.
 */
export class IceGatheringRound {
  readonly #wanted: WantedCandidate;
  readonly #settleMs: number;
  readonly #quietMs: number;
  readonly #usable: (candidate: string) => boolean;
  #quietTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #timers: Pick<typeof globalThis, 'setTimeout' | 'clearTimeout'>;
  readonly #peer: PolicyPeer;
  readonly #onDecision: (decision: IceDecision) => void;
  #ready: (() => void) | null = null;
  #capTimer: ReturnType<typeof setTimeout> | null = null;
  #settleTimer: ReturnType<typeof setTimeout> | null = null;
  #done = false;

  constructor(peer: PolicyPeer, options: IcePolicyOptions, onDecision: (d: IceDecision) => void) {
    this.#peer = peer;
    this.#wanted = wantedCandidate(options.servers);
    this.#settleMs = options.settleMs ?? 20;
    this.#quietMs = options.quietMs ?? 5;
    this.#usable = options.usable ?? (() => true);
    this.#timers = options.timers ?? globalThis;
    this.#onDecision = onDecision;
    this.#capTimer = this.#timers.setTimeout(() => this.#decide('cap'), options.capMs);
  }

  get wanted(): WantedCandidate {
    return this.#wanted;
  }

  /** Feeds one candidate with JsSIP's `ready` callback. */
  candidate(candidate: Pick<RTCIceCandidate, 'candidate'>, ready: () => void): void {
    if (this.#done) {
      ready();
      return;
    }
    this.#ready = ready;
    if (
      this.#settleTimer === null &&
      candidateType(candidate) === this.#wanted &&
      this.#usable(candidate.candidate)
    ) {
      this.#settleTimer = this.#timers.setTimeout(
        () => this.#decide('wanted-candidate'),
        this.#settleMs,
      );
    }
    if (this.#settleTimer !== null) {
      // Every candidate of the burst pushes the end a little further, up to the settle time.
      if (this.#quietTimer !== null) {
        this.#timers.clearTimeout(this.#quietTimer);
      }
      this.#quietTimer = this.#timers.setTimeout(
        () => this.#decide('wanted-candidate'),
        this.#quietMs,
      );
    }
  }

  /** Stops the timers without deciding (the call ended, or gathering completed by itself). */
  dispose(): void {
    this.#done = true;
    this.#clearTimers();
  }

  #decide(decision: IceDecision): void {
    if (this.#done) {
      return;
    }
    this.#done = true;
    this.#clearTimers();
    this.#onDecision(decision);
    if (this.#ready) {
      this.#ready();
      return;
    }
    // No candidate at all yet, so JsSIP has given us no ready() to call. JsSIP also ends
    // gathering on an icecandidate event whose candidate is null (end of candidates), so we
    // deliver one; the listener it registered on the peer connection then sends the SDP.
    const end = new Event('icecandidate');
    Object.defineProperty(end, 'candidate', { value: null });
    this.#peer.dispatchEvent(end);
  }

  #clearTimers(): void {
    if (this.#capTimer !== null) {
      this.#timers.clearTimeout(this.#capTimer);
      this.#capTimer = null;
    }
    if (this.#settleTimer !== null) {
      this.#timers.clearTimeout(this.#settleTimer);
      this.#settleTimer = null;
    }
    if (this.#quietTimer !== null) {
      this.#timers.clearTimeout(this.#quietTimer);
      this.#quietTimer = null;
    }
  }
}
