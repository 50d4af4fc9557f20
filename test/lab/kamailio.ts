// Lab Kamailio: start/stop/restart on fixed ports, readiness probes, the per-run sqlite database, log and database queries.
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import {
  kamailioConfig,
  kamailioDatabases,
  kamailioDbFile,
  type KamailioDb,
  type KamailioFeatures,
  type LabCredentials,
  type NgAddress,
} from './kamailio-config';
import { freePort, LAB_HOST } from './ports';
import { spawnLabProcess, waitFor, type LabProcess } from './process';

export * from './kamailio-config';

/** Options for {@link startKamailio}. */
export interface KamailioOptions extends KamailioFeatures {
  /** SIP domain served (aliased as local), e.g. 'lab.test'. Only a name, never resolved. */
  domain: string;
  /** Accounts allowed to register/call (digest auth with these passwords). */
  accounts: LabCredentials[];
  /** When set, calls between WebSocket and UDP endpoints are anchored in this rtpengine. */
  rtpengineNg?: NgAddress;
  /** Directory for kamailio.cfg, the log and the runtime files. */
  logDir: string;
  /** When set, initial INVITEs whose Session-Expires (or Min-SE when Session-Expires is absent) is below this get 422 with `Min-SE: minSE`. */
  minSE?: number;
  /** Seconds an INVITE may ring unanswered before Kamailio replies 480 (default 60). */
  inviteTimeoutSec?: number;
  /** Worker processes per listener (default 4). */
  children?: number;
  /** File-name stem for the cfg and log (default `kamailio-<domain>`). */
  name?: string;
  /** Address to listen on (default 127.0.0.1), e.g. a veth address of a {@link LabNetns}. */
  host?: string;
  /** Network namespace to run in (see netns.ts); `host` must be an address of that namespace. */
  netns?: string;
  /** WebSocket port (default: a free one). */
  wsPort?: number;
  /** UDP port (default: a free one). */
  udpPort?: number;
}

/** A running lab Kamailio. */
export interface Kamailio {
  /** ws://host:P (SIP over WebSocket, subprotocol `sip`). */
  wsUrl: string;
  wsPort: number;
  /** UDP SIP port on `host` (for baresip/linphonec phones, SIPp and probes). */
  udpPort: number;
  /** Listen address (127.0.0.1 unless started with `host`). */
  host: string;
  domain: string;
  /** The features it was started with. */
  features: KamailioFeatures;
  /** Kamailio's stderr log (xlog lines `LAB REQ …`, `LAB REPLY …`, `LAB REGISTER from <user>`), appended across restarts. */
  logFile: string;
  /** The generated kamailio.cfg. */
  cfgFile: string;
  /** Directory of the sqlite databases (one file per feature: location, msilo, presence), kept across restarts. */
  dbDir: string;
  /** The current process (a new one after each {@link start}). */
  readonly process: LabProcess;
  /** True while the process runs. */
  readonly running: boolean;
  /** The log so far. */
  readLog(): string;
  /** Number of log lines matching `re` (g/y flags are ignored). */
  countInLog(re: RegExp): number;
  /** Resolves once at least `count` (default 1) log lines match `re`; rejects after `timeoutMs` (default 10 s). */
  waitForLog(re: RegExp, opts?: { count?: number; timeoutMs?: number }): Promise<void>;
  /** Number of REGISTER requests received whose To user is `user` (including challenged ones). */
  registerCount(user: string): number;
  /** Rows of an SQL query on the database (sqlite3 -json). Throws without a database. */
  query(db: KamailioDb, sql: string): Record<string, unknown>[];
  /** Messages msilo holds (not yet delivered), oldest first. */
  storedMessages(): StoredMessage[];
  /** Stops Kamailio (SIGTERM, SIGKILL after `timeoutMs`). The ports and the database are kept for {@link start}. */
  stop(timeoutMs?: number): Promise<void>;
  /** Starts Kamailio again on the same ports with the same config; resolves when ready. Throws when running. */
  start(): Promise<void>;
  /** {@link stop} then {@link start}: a server restart (registrations survive only with `persistLocation`). */
  restart(): Promise<void>;
}

/** One row of msilo's `silo` table. */
export interface StoredMessage {
  /** Recipient user and domain. */
  username: string;
  domain: string;
  /** From URI of the sender. */
  src_addr: string;
  /** To URI. */
  dst_addr: string;
  ctype: string;
  body: string;
}

const SCHEMA_DIR = '/usr/share/kamailio/db_sqlite';

const SCHEMAS: Record<KamailioDb, string> = {
  location: 'usrloc',
  msilo: 'msilo',
  presence: 'presence',
};

/**
 * Creates the sqlite database of one feature (Kamailio's version table and the feature's
 * tables) in WAL mode, so tests can read it while Kamailio writes. No-op when it exists.
 */
export function createKamailioDatabase(file: string, db: KamailioDb): void {
  if (existsSync(file)) {
    return;
  }
  const schemas = ['standard', SCHEMAS[db]];
  const script = [
    'PRAGMA journal_mode=WAL;',
    ...schemas.map((s) => `.read ${join(SCHEMA_DIR, `${s}-create.sql`)}`),
    '',
  ].join('\n');
  const r = spawnSync('sqlite3', ['-bail', file], { input: script, encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(
      `kamailio: could not create ${file} with sqlite3 (is it installed?): ${r.error?.message ?? r.stderr}`,
    );
  }
}

/** Rows of `sql` on an sqlite file, via `sqlite3 -json` (read-only). */
export function sqliteQuery(file: string, sql: string): Record<string, unknown>[] {
  const r = spawnSync('sqlite3', ['-json', '-readonly', file, sql], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(`sqlite3 ${file}: ${r.error?.message ?? r.stderr}`);
  }
  const text = r.stdout.trim();
  return text === '' ? [] : (JSON.parse(text) as Record<string, unknown>[]);
}

/** Opens a WebSocket (subprotocol `sip`) to `url` and closes it again; resolves when the handshake succeeded. */
export function probeWebSocket(url: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    const ws = new WebSocket(url, 'sip', { handshakeTimeout: timeoutMs });
    ws.once('open', () => {
      ws.close();
      resolve(true);
    });
    ws.once('error', (error) => {
      ws.terminate();
      reject(error);
    });
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      reject(new Error(`unexpected HTTP ${res.statusCode ?? '?'}`));
    });
  });
}

/** Sends a SIP OPTIONS over UDP to `host`:`port` (default 127.0.0.1); resolves with the status line of any reply. */
export function probeSipUdp(port: number, timeoutMs = 1000, host = LAB_HOST): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const socket = createSocket('udp4');
    const tag = randomBytes(6).toString('hex');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('no SIP reply over UDP'));
    }, timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
    socket.on('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(msg.toString('utf8').split('\r\n')[0] ?? '');
    });
    // Bind to the loopback only when the target is the loopback; otherwise let the kernel pick
    // the source address of the route (e.g. the veth toward a namespace).
    socket.bind(0, host === LAB_HOST ? LAB_HOST : undefined, () => {
      const local = socket.address();
      const text =
        `OPTIONS sip:${host}:${port} SIP/2.0\r\n` +
        `Via: SIP/2.0/UDP ${local.address}:${local.port};branch=z9hG4bK${tag};rport\r\n` +
        `Max-Forwards: 70\r\n` +
        `From: <sip:probe@${host}>;tag=${tag}\r\n` +
        `To: <sip:${host}:${port}>\r\n` +
        `Call-ID: probe-${tag}\r\n` +
        `CSeq: 1 OPTIONS\r\n` +
        `Content-Length: 0\r\n\r\n`;
      socket.send(text, port, host);
    });
  });
}

/** Escapes a string for literal use in a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

class LabKamailio implements Kamailio {
  readonly wsUrl: string;
  readonly host: string;
  readonly domain: string;
  readonly features: KamailioFeatures;
  readonly logFile: string;
  readonly cfgFile: string;
  readonly dbDir: string;
  #process: LabProcess | undefined;
  readonly #runDir: string;

  constructor(
    private readonly opts: KamailioOptions,
    readonly wsPort: number,
    readonly udpPort: number,
  ) {
    const stem = opts.name ?? `kamailio-${opts.domain}`;
    this.host = opts.host ?? LAB_HOST;
    this.domain = opts.domain;
    this.wsUrl = `ws://${this.host}:${wsPort}`;
    this.#runDir = join(opts.logDir, `${stem}.run`);
    mkdirSync(this.#runDir, { recursive: true });
    this.cfgFile = join(opts.logDir, `${stem}.cfg`);
    this.logFile = join(opts.logDir, `${stem}.log`);
    this.features = {
      msilo: opts.msilo === true,
      presence: opts.presence === true,
      outbound: opts.outbound ?? false,
      persistLocation: opts.persistLocation === true,
      forwardSubscribe: opts.forwardSubscribe ?? [],
      ...(opts.presenceMaxExpires !== undefined
        ? { presenceMaxExpires: opts.presenceMaxExpires }
        : {}),
    };
    this.dbDir = this.#runDir;
    for (const db of kamailioDatabases(opts)) {
      createKamailioDatabase(kamailioDbFile(this.dbDir, db), db);
    }
    writeFileSync(
      this.cfgFile,
      kamailioConfig({
        ...opts,
        host: this.host,
        wsPort,
        udpPort,
        dbDir: this.dbDir,
        flowTokenSecret: randomBytes(12).toString('hex'),
      }),
    );
  }

  get process(): LabProcess {
    if (this.#process === undefined) {
      throw new Error(`kamailio(${this.domain}): never started`);
    }
    return this.#process;
  }

  get running(): boolean {
    return this.#process?.running === true;
  }

  async start(): Promise<void> {
    if (this.running) {
      throw new Error(`kamailio(${this.domain}): already running`);
    }
    const proc = spawnLabProcess({
      name: `kamailio(${this.domain})`,
      command: 'kamailio',
      args: [
        '-f',
        this.cfgFile,
        '-DD',
        '-E',
        '-w',
        this.#runDir,
        '-P',
        join(this.#runDir, 'kamailio.pid'),
        '-Y',
        this.#runDir,
      ],
      logFile: this.logFile,
      ...(this.opts.netns !== undefined ? { netns: this.opts.netns } : {}),
    });
    this.#process = proc;
    try {
      await waitFor(() => probeWebSocket(this.wsUrl), {
        what: `Kamailio WS ${this.wsUrl}`,
        process: proc,
      });
      await waitFor(() => probeSipUdp(this.udpPort, 1000, this.host), {
        what: `Kamailio UDP ${this.host}:${this.udpPort}`,
        process: proc,
      });
    } catch (error) {
      await proc.stop();
      throw error;
    }
  }

  async stop(timeoutMs?: number): Promise<void> {
    await this.#process?.stop(timeoutMs);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  readLog(): string {
    return this.#process?.readLog() ?? '';
  }

  countInLog(re: RegExp): number {
    const plain = new RegExp(re.source, re.flags.replace(/[gy]/g, ''));
    return this.readLog()
      .split('\n')
      .filter((line) => plain.test(line)).length;
  }

  async waitForLog(
    re: RegExp,
    waitOpts: { count?: number; timeoutMs?: number } = {},
  ): Promise<void> {
    const count = waitOpts.count ?? 1;
    await waitFor(() => this.countInLog(re) >= count, {
      what: `${count} Kamailio log line(s) matching ${String(re)}`,
      timeoutMs: waitOpts.timeoutMs ?? 10_000,
      process: this.process,
    });
  }

  registerCount(user: string): number {
    return this.countInLog(new RegExp(`LAB REGISTER from ${escapeRegExp(user)}$`));
  }

  query(db: KamailioDb, sql: string): Record<string, unknown>[] {
    if (!kamailioDatabases(this.features).includes(db)) {
      throw new Error(
        `kamailio(${this.domain}): started without the ${db} feature (no ${db} database)`,
      );
    }
    return sqliteQuery(kamailioDbFile(this.dbDir, db), sql);
  }

  storedMessages(): StoredMessage[] {
    return this.query(
      'msilo',
      'SELECT username, domain, src_addr, dst_addr, ctype, CAST(body AS TEXT) AS body FROM silo ORDER BY id',
    ).map((r) => ({
      username: String(r['username']),
      domain: String(r['domain']),
      src_addr: String(r['src_addr']),
      dst_addr: String(r['dst_addr']),
      ctype: String(r['ctype']),
      body: String(r['body']),
    }));
  }
}

/**
 * Starts a lab Kamailio on free loopback ports (or the given ones) and resolves once it is ready:
 * its WS port completes a WebSocket handshake and its UDP port answers an OPTIONS.
 */
export async function startKamailio(opts: KamailioOptions): Promise<Kamailio> {
  const wsPort = opts.wsPort ?? (await freePort('tcp'));
  const udpPort = opts.udpPort ?? (await freePort('udp'));
  const k = new LabKamailio(opts, wsPort, udpPort);
  await k.start();
  return k;
}
