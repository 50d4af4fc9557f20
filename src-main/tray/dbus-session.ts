// A minimal client of the D-Bus session bus: connects to its unix socket, authenticates with
// EXTERNAL (the process's uid), says Hello, then makes method calls and hears signals it
// subscribed to. Enough to ask whether a StatusNotifier host exists and to hear when one comes
// or goes, without a native module or an external tool. Every call has a time limit.
import { connect, type Socket } from 'node:net';
import { withTimeout } from '../with-timeout';
import {
  decodeMessage,
  encodeMessage,
  messageLength,
  MessageType,
  type DbusMessage,
  type DbusValue,
} from './dbus-wire';

export interface MethodCall {
  destination: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: DbusValue[];
}

/** A D-Bus error reply (e.g. org.freedesktop.DBus.Error.ServiceUnknown). */
export class DbusError extends Error {
  override name = 'DbusError';
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(`${errorName}: ${message}`);
  }
}

type Pending = { done(m: DbusMessage): void; fail(e: Error): void };

export class DbusSession {
  readonly #socket: Socket;
  readonly #timeoutMs: number;
  #serial = 0;
  #buffer = Buffer.alloc(0);
  #closed = false;
  readonly #pending = new Map<number, Pending>();
  readonly #signalListeners = new Set<(m: DbusMessage) => void>();

  private constructor(socket: Socket, timeoutMs: number) {
    this.#socket = socket;
    this.#timeoutMs = timeoutMs;
  }

  /** Connects, authenticates and says Hello; rejects within `timeoutMs`. */
  static async open(socketPath: string, uid: number, timeoutMs = 1500): Promise<DbusSession> {
    const socket = connect({ path: socketPath });
    const session = new DbusSession(socket, timeoutMs);
    await withTimeout(
      authenticate(socket, uid),
      timeoutMs,
      () => new Error(`the session bus did not answer within ${timeoutMs} ms`),
    );
    socket.on('data', (chunk: Buffer) => session.#onData(chunk));
    socket.on('error', (error) => session.#failAll(error));
    socket.on('close', () => session.#failAll(new Error('the session bus closed the connection')));
    await session.call({
      destination: 'org.freedesktop.DBus',
      path: '/org/freedesktop/DBus',
      interface: 'org.freedesktop.DBus',
      member: 'Hello',
    });
    return session;
  }

  /** Calls a method; resolves with the reply's body, rejects with DbusError or a timeout. */
  call(call: MethodCall): Promise<DbusValue[]> {
    if (this.#closed) {
      return Promise.reject(new Error('the D-Bus connection is closed'));
    }
    this.#serial += 1;
    const serial = this.#serial;
    const reply = new Promise<DbusMessage>((done, fail) =>
      this.#pending.set(serial, { done, fail }),
    );
    this.#socket.write(
      encodeMessage({
        type: MessageType.methodCall,
        serial,
        ...call,
        body: call.body ?? [],
      }),
    );
    return withTimeout(
      reply,
      this.#timeoutMs,
      () => new Error(`${call.member} got no answer within ${this.#timeoutMs} ms`),
    )
      .finally(() => this.#pending.delete(serial))
      .then((message) => {
        if (message.type === MessageType.error) {
          const text = typeof message.body[0] === 'string' ? message.body[0] : '';
          throw new DbusError(message.errorName ?? 'org.freedesktop.DBus.Error.Failed', text);
        }
        return message.body;
      });
  }

  /** Hears signals matched by `rule` (a D-Bus match rule). Returns the unsubscribe function. */
  async subscribe(rule: string, listener: (m: DbusMessage) => void): Promise<() => void> {
    await this.call({
      destination: 'org.freedesktop.DBus',
      path: '/org/freedesktop/DBus',
      interface: 'org.freedesktop.DBus',
      member: 'AddMatch',
      signature: 's',
      body: [rule],
    });
    this.#signalListeners.add(listener);
    return () => this.#signalListeners.delete(listener);
  }

  close(): void {
    this.#closed = true;
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      let length: number | null;
      try {
        length = messageLength(this.#buffer);
      } catch (error: unknown) {
        this.#failAll(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (length === null || this.#buffer.length < length) {
        return;
      }
      const bytes = this.#buffer.subarray(0, length);
      this.#buffer = this.#buffer.subarray(length);
      this.#dispatch(decodeMessage(bytes));
    }
  }

  #dispatch(message: DbusMessage): void {
    if (message.type === MessageType.signal) {
      for (const listener of [...this.#signalListeners]) {
        listener(message);
      }
      return;
    }
    const pending =
      message.replySerial === undefined ? undefined : this.#pending.get(message.replySerial);
    pending?.done(message);
  }

  #failAll(error: Error): void {
    this.#closed = true;
    for (const pending of this.#pending.values()) {
      pending.fail(error);
    }
    this.#pending.clear();
  }
}

// SASL, D-Bus Specification "Authentication Protocol": a NUL byte, AUTH EXTERNAL with the uid
// as hex of its decimal digits, OK <guid>, then BEGIN; binary messages follow.
function authenticate(socket: Socket, uid: number): Promise<void> {
  return new Promise((done, fail) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('latin1');
      if (!text.includes('\r\n')) {
        return;
      }
      socket.off('data', onData);
      socket.off('error', fail);
      if (text.startsWith('OK ')) {
        socket.write('BEGIN\r\n');
        done();
      } else {
        fail(new Error(`the session bus refused authentication (${text.trim()})`));
      }
    };
    socket.on('data', onData);
    socket.once('error', fail);
    socket.once('connect', () => {
      const hexUid = Buffer.from(String(uid), 'ascii').toString('hex');
      socket.write(`\0AUTH EXTERNAL ${hexUid}\r\n`);
    });
  });
}
