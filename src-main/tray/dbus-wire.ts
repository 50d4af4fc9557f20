// The D-Bus wire format, as much of it as the tray probe needs (D-Bus Specification, "Message
// Protocol", https://dbus.freedesktop.org/doc/dbus-specification.html#message-protocol):
// little-endian messages with the header fields PATH, INTERFACE, MEMBER, DESTINATION,
// SIGNATURE, REPLY_SERIAL and ERROR_NAME, and bodies made of the basic types s, o, g, b, u, and
// v holding one of them. Pure: no sockets here (dbus-session.ts does the I/O).

/** A value in a body: strings (s, o, g), booleans (b), numbers (u) or a variant of one. */
export type DbusValue = string | boolean | number | { variant: string; value: DbusValue };

export const MessageType = { methodCall: 1, methodReturn: 2, error: 3, signal: 4 } as const;

const FIELD = {
  path: 1,
  interface: 2,
  member: 3,
  errorName: 4,
  replySerial: 5,
  destination: 6,
  sender: 7,
  signature: 8,
} as const;

export interface DbusMessage {
  type: number;
  serial: number;
  path?: string;
  interface?: string;
  member?: string;
  errorName?: string;
  replySerial?: number;
  destination?: string;
  sender?: string;
  signature: string;
  body: DbusValue[];
}

class Writer {
  readonly #bytes: number[] = [];
  get length(): number {
    return this.#bytes.length;
  }
  align(n: number): void {
    while (this.#bytes.length % n !== 0) {
      this.#bytes.push(0);
    }
  }
  byte(value: number): void {
    this.#bytes.push(value & 0xff);
  }
  uint32(value: number): void {
    this.align(4);
    this.#bytes.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24);
  }
  setUint32(at: number, value: number): void {
    this.#bytes.splice(
      at,
      4,
      value & 0xff,
      (value >>> 8) & 0xff,
      (value >>> 16) & 0xff,
      value >>> 24,
    );
  }
  string(value: string): void {
    const utf8 = Buffer.from(value, 'utf8');
    this.uint32(utf8.length);
    this.#bytes.push(...utf8, 0);
  }
  signature(value: string): void {
    this.byte(value.length);
    this.#bytes.push(...Buffer.from(value, 'ascii'), 0);
  }
  value(type: string, value: DbusValue): void {
    switch (type) {
      case 's':
      case 'o':
        this.string(text(value));
        return;
      case 'g':
        this.signature(text(value));
        return;
      case 'b':
        this.uint32(value === true ? 1 : 0);
        return;
      case 'u':
        this.uint32(Number(value));
        return;
      case 'v': {
        const v = value as { variant: string; value: DbusValue };
        this.signature(v.variant);
        this.value(v.variant, v.value);
        return;
      }
      default:
        throw new Error(`D-Bus type ${type} is not supported here`);
    }
  }
  buffer(): Buffer {
    return Buffer.from(this.#bytes);
  }
}

/** Encodes a message (little-endian, protocol version 1). */
export function encodeMessage(
  message: Omit<DbusMessage, 'signature'> & { signature?: string },
): Buffer {
  const signature = message.signature ?? '';
  const body = new Writer();
  [...signature].forEach((type, i) => body.value(type, message.body[i] as DbusValue));
  const head = new Writer();
  head.byte(0x6c); // 'l'
  head.byte(message.type);
  head.byte(0); // flags
  head.byte(1); // protocol version
  head.uint32(body.length);
  head.uint32(message.serial);
  const fields: [number, string, DbusValue | undefined][] = [
    [FIELD.path, 'o', message.path],
    [FIELD.interface, 's', message.interface],
    [FIELD.member, 's', message.member],
    [FIELD.errorName, 's', message.errorName],
    [FIELD.replySerial, 'u', message.replySerial],
    [FIELD.destination, 's', message.destination],
    [FIELD.signature, 'g', signature === '' ? undefined : signature],
  ];
  head.uint32(0); // array length, patched below
  const arrayStart = head.length;
  for (const [code, type, value] of fields) {
    if (value === undefined) {
      continue;
    }
    head.align(8);
    head.byte(code);
    head.value('v', { variant: type, value });
  }
  head.setUint32(12, head.length - arrayStart);
  head.align(8);
  return Buffer.concat([head.buffer(), body.buffer()]);
}

class Reader {
  #at = 0;
  constructor(readonly buf: Buffer) {}
  get at(): number {
    return this.#at;
  }
  align(n: number): void {
    this.#at = Math.ceil(this.#at / n) * n;
  }
  need(n: number): void {
    if (this.#at + n > this.buf.length) {
      throw new Error('D-Bus message is truncated');
    }
  }
  byte(): number {
    this.need(1);
    return this.buf.readUInt8(this.#at++);
  }
  uint32(): number {
    this.align(4);
    this.need(4);
    const value = this.buf.readUInt32LE(this.#at);
    this.#at += 4;
    return value;
  }
  string(): string {
    const length = this.uint32();
    this.need(length + 1);
    const text = this.buf.toString('utf8', this.#at, this.#at + length);
    this.#at += length + 1;
    return text;
  }
  signature(): string {
    const length = this.byte();
    this.need(length + 1);
    const text = this.buf.toString('ascii', this.#at, this.#at + length);
    this.#at += length + 1;
    return text;
  }
  value(type: string): DbusValue {
    switch (type) {
      case 's':
      case 'o':
        return this.string();
      case 'g':
        return this.signature();
      case 'b':
        return this.uint32() !== 0;
      case 'u':
        return this.uint32();
      case 'v': {
        const variant = this.signature();
        return { variant, value: this.value(variant) };
      }
      default:
        throw new Error(`D-Bus type ${type} is not supported here`);
    }
  }
}

/** Bytes needed for the message starting `buf`, or null while the fixed header is incomplete. */
export function messageLength(buf: Buffer): number | null {
  if (buf.length < 16) {
    return null;
  }
  if (buf[0] !== 0x6c) {
    throw new Error('only little-endian D-Bus messages are understood');
  }
  const bodyLength = buf.readUInt32LE(4);
  const fieldsLength = buf.readUInt32LE(12);
  return Math.ceil((16 + fieldsLength) / 8) * 8 + bodyLength;
}

/** Decodes one whole message. Body types this module does not know are left out (body: []). */
export function decodeMessage(buf: Buffer): DbusMessage {
  const r = new Reader(buf);
  r.byte(); // endianness, checked by messageLength
  const type = r.byte();
  r.byte(); // flags
  r.byte(); // version
  const bodyLength = r.uint32();
  const serial = r.uint32();
  const fieldsEnd = r.uint32() + r.at;
  const message: DbusMessage = { type, serial, signature: '', body: [] };
  while (r.at < fieldsEnd) {
    r.align(8);
    const code = r.byte();
    const { value } = r.value('v') as { value: DbusValue };
    assignField(message, code, value);
  }
  r.align(8);
  const bodyStart = r.at;
  try {
    for (const t of message.signature) {
      message.body.push(r.value(t));
    }
  } catch {
    message.body = []; // a body we do not read (e.g. a signal we did not ask about)
  }
  if (bodyStart + bodyLength > buf.length) {
    throw new Error('D-Bus message is truncated');
  }
  return message;
}

function text(value: DbusValue): string {
  if (typeof value !== 'string') {
    throw new Error('a D-Bus string was expected');
  }
  return value;
}

// Header field code → the message property it fills (UNIX_FDS and future fields are skipped).
const FIELD_KEYS: Record<
  number,
  'path' | 'interface' | 'member' | 'errorName' | 'destination' | 'sender' | 'signature'
> = {
  [FIELD.path]: 'path',
  [FIELD.interface]: 'interface',
  [FIELD.member]: 'member',
  [FIELD.errorName]: 'errorName',
  [FIELD.destination]: 'destination',
  [FIELD.sender]: 'sender',
  [FIELD.signature]: 'signature',
};

function assignField(message: DbusMessage, code: number, value: DbusValue): void {
  if (code === FIELD.replySerial) {
    message.replySerial = Number(value);
    return;
  }
  const key = FIELD_KEYS[code];
  if (key) {
    message[key] = text(value);
  }
}

/** Where the session bus listens: a unix socket path ('\0'-prefixed for abstract sockets). */
export function sessionBusSocket(env: NodeJS.ProcessEnv): string | null {
  const address = env.DBUS_SESSION_BUS_ADDRESS;
  if (!address) {
    // systemd's per-user bus, which sd-bus and GDBus also fall back to.
    return env.XDG_RUNTIME_DIR ? `${env.XDG_RUNTIME_DIR}/bus` : null;
  }
  for (const entry of address.split(';')) {
    const [transport, rest = ''] = entry.split(/:(.*)/s);
    if (transport !== 'unix') {
      continue;
    }
    const params = new Map(
      rest.split(',').map((kv) => {
        const [k = '', v = ''] = kv.split(/=(.*)/s);
        return [k, decodeURIComponent(v)] as const;
      }),
    );
    const path = params.get('path');
    if (path) {
      return path;
    }
    const abstract = params.get('abstract');
    if (abstract) {
      return `\0${abstract}`;
    }
  }
  return null;
}
