// Owns the order and the waiting of outgoing messages: one queue per conversation (a thread's
// messages leave one at a time, in the order they were written, each after the answer to the one
// before), held while the account is not registered and sent as soon as it is. Every wait is
// bounded: a message waits at most MAX_WAIT_MS for its account (then it fails, saying so), an
// account holds at most MAX_QUEUED messages, and a send ends within the messenger's own bound.
// Framework-free and storage-free: the chat service persists what it reports.
import { systemScheduler, type Cancel, type Scheduler } from '../scheduler';
import type { SendOutcome } from './delivery';

/** A message waiting to go. */
export interface OutboxItem {
  id: string;
  conversationId: string;
  accountId: string;
  peer: string;
  text: string;
  /** When it entered the outbox (epoch ms); the wait bound counts from here. */
  queuedAt: number;
}

/** What happened to an item. */
export type OutboxChange =
  | { state: 'queued' }
  | { state: 'sending' }
  | SendOutcome
  | { state: 'failed'; code: null; reason: string };

export interface OutboxPorts {
  /** Whether the account is registered now. */
  canSend(accountId: string): boolean;
  /** Sends one item; resolves with how it ended (never rejects). */
  send(item: OutboxItem): Promise<SendOutcome>;
  /** An item changed state (persist it). */
  changed(item: OutboxItem, change: OutboxChange): void;
  /** A name for the account in sentences ("Office"). */
  accountLabel(accountId: string): string;
  /** Wall clock, epoch ms (the bound survives restarts). */
  now?(): number;
  scheduler?: Scheduler;
}

/** Longest time a message waits for its account to be registered. */
export const MAX_WAIT_MS = 24 * 3600_000;
/** Most messages one account may hold waiting. */
export const MAX_QUEUED = 500;

export class Outbox {
  readonly #ports: OutboxPorts;
  readonly #scheduler: Scheduler;
  readonly #now: () => number;
  readonly #queues = new Map<string, OutboxItem[]>();
  readonly #inFlight = new Set<string>();
  #expiry: Cancel | null = null;

  constructor(ports: OutboxPorts) {
    this.#ports = ports;
    this.#scheduler = ports.scheduler ?? systemScheduler;
    this.#now = () => (ports.now ? ports.now() : Date.now());
  }

  /** Messages waiting or in flight. */
  get size(): number {
    let n = 0;
    for (const queue of this.#queues.values()) {
      n += queue.length;
    }
    return n;
  }

  /** Whether the item is waiting or in flight. */
  has(id: string): boolean {
    return [...this.#queues.values()].some((q) => q.some((i) => i.id === id));
  }

  /**
   * Adds an item at the end of its conversation's queue and sends it when its turn comes;
   * refused at once (reported as failed) when its account already holds MAX_QUEUED.
   */
  add(item: OutboxItem): void {
    if (this.#countFor(item.accountId) >= MAX_QUEUED) {
      this.#ports.changed(item, {
        state: 'failed',
        code: null,
        reason: `Not sent: ${MAX_QUEUED} messages are already waiting for ${this.#label(item)}.`,
      });
      return;
    }
    const queue = this.#queues.get(item.conversationId) ?? [];
    queue.push(item);
    this.#queues.set(item.conversationId, queue);
    this.#pump(item.conversationId);
    if (this.has(item.id) && !this.#inFlight.has(item.id)) {
      this.#ports.changed(item, { state: 'queued' });
    }
    this.#armExpiry();
  }

  /** The account may have become registered: send what waits for it. */
  accountChanged(accountId: string): void {
    for (const [conversationId, queue] of this.#queues) {
      if (queue[0]?.accountId === accountId) {
        this.#pump(conversationId);
      }
    }
  }

  /** Fails every waiting (not in-flight) item of an account with `reason` (account removed). */
  dropAccount(accountId: string, reason: string): void {
    for (const [conversationId, queue] of this.#queues) {
      const kept = queue.filter((item) => {
        if (item.accountId !== accountId || this.#inFlight.has(item.id)) {
          return true;
        }
        this.#ports.changed(item, { state: 'failed', code: null, reason });
        return false;
      });
      this.#setQueue(conversationId, kept);
    }
  }

  /** Forgets the waiting items of a deleted conversation (one in flight still reports). */
  removeConversation(conversationId: string): void {
    const queue = this.#queues.get(conversationId) ?? [];
    this.#setQueue(
      conversationId,
      queue.filter((item) => this.#inFlight.has(item.id)),
    );
    this.#armExpiry();
  }

  /** Stops the expiry timer (teardown); in-flight sends still report. */
  dispose(): void {
    this.#expiry?.();
    this.#expiry = null;
  }

  #pump(conversationId: string): void {
    const head = this.#queues.get(conversationId)?.[0];
    if (!head || this.#inFlight.has(head.id) || !this.#ports.canSend(head.accountId)) {
      return;
    }
    this.#inFlight.add(head.id);
    this.#ports.changed(head, { state: 'sending' });
    void this.#ports.send(head).then((outcome) => {
      this.#inFlight.delete(head.id);
      const queue = this.#queues.get(conversationId) ?? [];
      this.#setQueue(
        conversationId,
        queue.filter((i) => i !== head),
      );
      this.#ports.changed(head, outcome);
      this.#pump(conversationId);
    });
  }

  #setQueue(conversationId: string, queue: OutboxItem[]): void {
    if (queue.length === 0) {
      this.#queues.delete(conversationId);
    } else {
      this.#queues.set(conversationId, queue);
    }
  }

  #countFor(accountId: string): number {
    let n = 0;
    for (const queue of this.#queues.values()) {
      n += queue.filter((i) => i.accountId === accountId).length;
    }
    return n;
  }

  #label(item: OutboxItem): string {
    return this.#ports.accountLabel(item.accountId) || 'this account';
  }

  // One timer, for the item whose wait ends first.
  #armExpiry(): void {
    this.#expiry?.();
    this.#expiry = null;
    let first = Number.POSITIVE_INFINITY;
    for (const queue of this.#queues.values()) {
      for (const item of queue) {
        if (!this.#inFlight.has(item.id)) {
          first = Math.min(first, item.queuedAt + MAX_WAIT_MS);
        }
      }
    }
    if (first === Number.POSITIVE_INFINITY) {
      return;
    }
    this.#expiry = this.#scheduler.schedule(
      () => {
        this.#expiry = null;
        this.#expire();
      },
      Math.max(0, first - this.#now()),
    );
  }

  #expire(): void {
    const now = this.#now();
    for (const [conversationId, queue] of this.#queues) {
      const kept = queue.filter((item) => {
        if (this.#inFlight.has(item.id) || now < item.queuedAt + MAX_WAIT_MS) {
          return true;
        }
        const hours = Math.round(MAX_WAIT_MS / 3600_000);
        this.#ports.changed(item, {
          state: 'failed',
          code: null,
          reason: `Not sent: ${this.#label(item)} was not connected for ${hours} hours. Send it again when it is.`,
        });
        return false;
      });
      this.#setQueue(conversationId, kept);
      this.#pump(conversationId);
    }
    this.#armExpiry();
  }
}
