// Lab rtpengine: userspace media relay start/stop, ng-protocol client (bencode over UDP) and ping readiness.
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort, freePortRange, LAB_HOST } from './ports';
import { spawnLabProcess, waitFor, type LabProcess } from './process';

/** A bencode value as used by the rtpengine ng protocol. */
export type BencodeValue = string | number | BencodeValue[] | { [key: string]: BencodeValue };

/** Encodes a value with bencode (strings as UTF-8 byte strings, integers only). */
export function bencode(value: BencodeValue): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([Buffer.from(`${bytes.length}:`), bytes]);
  }
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) {
      throw new Error(`bencode: only integers are supported, got ${value}`);
    }
    return Buffer.from(`i${value}e`);
  }
  if (Array.isArray(value)) {
    return Buffer.concat([Buffer.from('l'), ...value.map(bencode), Buffer.from('e')]);
  }
  const keys = Object.keys(value).sort();
  const parts: Buffer[] = [Buffer.from('d')];
  for (const key of keys) {
    const item = value[key];
    if (item !== undefined) {
      parts.push(bencode(key), bencode(item));
    }
  }
  parts.push(Buffer.from('e'));
  return Buffer.concat(parts);
}

/** Decodes one bencoded value (byte strings are returned as UTF-8 strings). */
export function bdecode(data: Buffer): BencodeValue {
  let pos = 0;
  const parse = (): BencodeValue => {
    const c = String.fromCharCode(data[pos] ?? 0);
    if (c === 'i') {
      const end = data.indexOf(0x65, pos);
      const n = Number(data.subarray(pos + 1, end).toString());
      pos = end + 1;
      return n;
    }
    if (c === 'l') {
      pos++;
      const list: BencodeValue[] = [];
      while (data[pos] !== 0x65) {
        if (pos >= data.length) {
          throw new Error('bdecode: unterminated list');
        }
        list.push(parse());
      }
      pos++;
      return list;
    }
    if (c === 'd') {
      pos++;
      const dict: { [key: string]: BencodeValue } = {};
      while (data[pos] !== 0x65) {
        if (pos >= data.length) {
          throw new Error('bdecode: unterminated dict');
        }
        const key = parse();
        if (typeof key !== 'string') {
          throw new Error('bdecode: dict key is not a string');
        }
        dict[key] = parse();
      }
      pos++;
      return dict;
    }
    if (c >= '0' && c <= '9') {
      const colon = data.indexOf(0x3a, pos);
      const len = Number(data.subarray(pos, colon).toString());
      const s = data.subarray(colon + 1, colon + 1 + len).toString('utf8');
      pos = colon + 1 + len;
      return s;
    }
    throw new Error(`bdecode: unexpected byte ${JSON.stringify(c)} at ${pos}`);
  };
  return parse();
}

/**
 * Sends one ng command (`{ command: 'ping' }`, `{ command: 'list' }`, …) to rtpengine over UDP
 * and resolves with the decoded reply dictionary.
 */
export function ngRequest(
  host: string,
  port: number,
  command: { [key: string]: BencodeValue },
  timeoutMs = 1000,
): Promise<{ [key: string]: BencodeValue }> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const cookie = randomBytes(6).toString('hex');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`rtpengine ng ${host}:${port}: no reply`));
    }, timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
    socket.on('message', (msg) => {
      const space = msg.indexOf(0x20);
      if (space < 0 || msg.subarray(0, space).toString() !== cookie) {
        return;
      }
      clearTimeout(timer);
      socket.close();
      try {
        const reply = bdecode(msg.subarray(space + 1));
        if (typeof reply !== 'object' || Array.isArray(reply)) {
          reject(new Error('rtpengine ng: reply is not a dictionary'));
          return;
        }
        resolve(reply);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.send(Buffer.concat([Buffer.from(`${cookie} `), bencode(command)]), port, host);
  });
}

/** Options for {@link startRtpengine}. */
export interface RtpengineOptions {
  logDir: string;
  /** Number of media ports to reserve (default 200). */
  portCount?: number;
  /** rtpengine log level 0–7 (default 6 = info). */
  logLevel?: number;
  /** File-name stem of the log (default 'rtpengine'). */
  name?: string;
}

/** A running lab rtpengine. */
export interface Rtpengine {
  /** ng control address (UDP). */
  ngHost: string;
  ngPort: number;
  /** Media port range. */
  portMin: number;
  portMax: number;
  logFile: string;
  process: LabProcess;
  /** Sends an ng command and resolves with the reply. */
  ng(command: { [key: string]: BencodeValue }): Promise<{ [key: string]: BencodeValue }>;
  /** Resolves true when rtpengine answers an ng ping with pong (rejects after `timeoutMs`, default 1 s). */
  ping(timeoutMs?: number): Promise<boolean>;
  /** The log so far. */
  readLog(): string;
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Starts rtpengine in userspace mode (no kernel forwarding, `--table=-1`) on 127.0.0.1 with a
 * free ng port and media port range, and resolves once it answers an ng `ping` with `pong`.
 */
export async function startRtpengine(opts: RtpengineOptions): Promise<Rtpengine> {
  const ngPort = await freePort('udp');
  // rtpengine opens a TCP CLI port (default 2224) too; give each instance its own.
  const cliPort = await freePort('tcp');
  const range = await freePortRange(opts.portCount ?? 200);
  const logFile = join(opts.logDir, `${opts.name ?? 'rtpengine'}.log`);
  const proc = spawnLabProcess({
    name: 'rtpengine',
    command: 'rtpengine',
    args: [
      // Ignore /etc/rtpengine/rtpengine.conf (fixed ports 2223-2225, kernel table 0).
      '--config-file=none',
      `--interface=${LAB_HOST}`,
      `--listen-ng=${LAB_HOST}:${ngPort}`,
      `--listen-cli=${LAB_HOST}:${cliPort}`,
      '--table=-1',
      '--foreground',
      '--log-stderr',
      `--log-level=${opts.logLevel ?? Number(process.env.RTPENGINE_LOG_LEVEL ?? 6)}`,
      `--port-min=${range.min}`,
      `--port-max=${range.max}`,
      '--num-threads=2',
      '--delete-delay=0',
      // Take the DTLS server role when a WebRTC offer says actpass. Without it rtpengine starts
      // a DTLS handshake as client right after the offer (its ICE completes before the browser
      // has the answer), races the browser's own ClientHello after the answer, and most calls
      // end up with no SRTP keys: measured here 2 of 8 calls with audio, 8 of 8 with the flag.
      '--dtls-passive',
    ],
    logFile,
  });
  const ng = (command: { [key: string]: BencodeValue }): Promise<{ [key: string]: BencodeValue }> =>
    ngRequest(LAB_HOST, ngPort, command);
  const ping = async (timeoutMs = 1000): Promise<boolean> =>
    (await ngRequest(LAB_HOST, ngPort, { command: 'ping' }, timeoutMs))['result'] === 'pong';
  try {
    // Short per-attempt timeout: a ping sent before the port is bound is simply lost.
    await waitFor(() => ping(100), {
      what: `rtpengine ng ping on ${ngPort}`,
      process: proc,
      timeoutMs: 15_000,
    });
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return {
    ngHost: LAB_HOST,
    ngPort,
    portMin: range.min,
    portMax: range.max,
    logFile,
    process: proc,
    ng,
    ping,
    readLog: () => proc.readLog(),
    stop: (timeoutMs) => proc.stop(timeoutMs),
  };
}
