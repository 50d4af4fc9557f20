// Lab linphonec phones (Debian's linphone-cli, liblinphone 5.1): config and HOME per instance, start/stop, commands
// over stdin, events parsed from stdout, WAV play/record in file mode, and the SIP trace from its debug log.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventLog, eventNow, type LabEvent } from '../support/event-log';
import { freePort, freePortRange, LAB_HOST } from './ports';
import { spawnLabProcess, waitFor, type LabProcess } from './process';
import { parseSipMessage, type SipMessage } from '../support/sip-client';
import { writeToneWav } from '../support/wav';

/** How a linphonec phone sends DTMF: RFC 4733 telephone-events in RTP, or SIP INFO (application/dtmf-relay). */
export type LinphoneDtmfMode = 'rfc4733' | 'sip-info';

/** Options for {@link startLinphone}. */
export interface LinphoneOptions {
  user: string;
  password: string;
  /** SIP domain of the account (the lab Kamailio's domain; never resolved). */
  domain: string;
  /** Kamailio's UDP port: registrar and outbound proxy (`reg_proxy` and `reg_route`). */
  kamailioUdpPort: number;
  /** Kamailio's address (default 127.0.0.1). */
  kamailioHost?: string;
  /** Directory for the HOME, config, logs and recordings. */
  logDir: string;
  /** DTMF mode (default 'rfc4733'). */
  dtmf?: LinphoneDtmfMode;
  /** Frequency of the sine tone played as microphone (default 1200 Hz); ignored with `playFile`. */
  tone?: number;
  /** WAV played (looped) as the microphone instead of the tone. */
  playFile?: string;
  /** Answer incoming calls automatically (default false). */
  autoAnswer?: boolean;
  /**
   * Audio codecs enabled, in preference order, as `mime/rate` (e.g. ['PCMU/8000', 'opus/48000']).
   * Default: linphone's own list (opus, speex, PCMU, PCMA, …), which is what real Linphone offers.
   */
  audioCodecs?: string[];
  /** Registration expiry in seconds (default 3600). */
  regExpires?: number;
  /** File-name stem (default `linphone-<user>`). */
  name?: string;
}

/** Kinds of events parsed from linphonec's output. */
export type LinphoneEventType =
  | 'incoming'
  | 'outgoing'
  | 'progress'
  | 'ringing'
  | 'early-media'
  | 'connected'
  | 'streams-running'
  | 'pausing'
  | 'paused'
  | 'paused-by-remote'
  | 'resuming'
  | 'ended'
  | 'error'
  | 'dtmf'
  | 'message'
  | 'transferred'
  | 'refer';

/** One event printed by linphonec. */
export interface LinphoneEvent extends LabEvent {
  type: LinphoneEventType;
  /** linphonec's call id (1, 2, …), when the line names a call. */
  call?: number;
  /** The remote party as printed (e.g. `sip:alice@lab.test`). */
  peer?: string;
  /** DTMF key ('dtmf'), message text ('message'), end reason ('ended'), stream list ('streams-running'). */
  text?: string;
  /** The output line. */
  line: string;
}

/** One SIP message from linphonec's debug log (belle-sip's trace). */
export interface LinphoneSipTrace {
  dir: 'sent' | 'received';
  /** e.g. `UDP://127.0.0.1:5060`. */
  peer: string;
  message: SipMessage;
}

const PATTERNS: [LinphoneEventType, RegExp, (m: RegExpExecArray) => Partial<LinphoneEvent>][] = [
  [
    'incoming',
    /^Receiving new incoming call from (.+), assigned id (\d+)$/,
    (m) => ({ peer: m[1], call: Number(m[2]) }),
  ],
  [
    'outgoing',
    /^Establishing call id to (.+), assigned id (\d+)$/,
    (m) => ({ peer: m[1], call: Number(m[2]) }),
  ],
  ['progress', /^Call (\d+) to (.+) in progress\.$/, (m) => ({ call: Number(m[1]), peer: m[2] })],
  ['ringing', /^Call (\d+) to (.+) ringing\.$/, (m) => ({ call: Number(m[1]), peer: m[2] })],
  [
    'early-media',
    /^Call (\d+) with (.+) early media\.$/,
    (m) => ({ call: Number(m[1]), peer: m[2] }),
  ],
  ['connected', /^Call (\d+) with (.+) connected\.$/, (m) => ({ call: Number(m[1]), peer: m[2] })],
  [
    'streams-running',
    /^Media streams established with (.+) for call (\d+) \((.*)\)\.$/,
    (m) => ({ peer: m[1], call: Number(m[2]), text: m[3] }),
  ],
  ['pausing', /^Pausing call (\d+) with (.+)\.$/, (m) => ({ call: Number(m[1]), peer: m[2] })],
  ['paused', /^Call (\d+) with (.+) is now paused\.$/, (m) => ({ call: Number(m[1]), peer: m[2] })],
  [
    'paused-by-remote',
    /^Call (\d+) has been paused by (.+)\.$/,
    (m) => ({ call: Number(m[1]), peer: m[2] }),
  ],
  ['resuming', /^Resuming call (\d+) with (.+)\.$/, (m) => ({ call: Number(m[1]), peer: m[2] })],
  [
    'ended',
    /^Call (\d+) with (.+) ended \((.*)\)\.$/,
    (m) => ({ call: Number(m[1]), peer: m[2], text: m[3] }),
  ],
  ['error', /^Call (\d+) with (.+) error\.$/, (m) => ({ call: Number(m[1]), peer: m[2] })],
  ['dtmf', /^Receiving tone (.) from (.+)$/, (m) => ({ text: m[1], peer: m[2] })],
  ['message', /^Message received from (.+?): (.*)$/, (m) => ({ peer: m[1], text: m[2] })],
  [
    'transferred',
    /^The distant endpoint (.+) of call (\d+) has been transfered/,
    (m) => ({ peer: m[1], call: Number(m[2]) }),
  ],
  ['refer', /^Receiving out of call refer to (.+)$/, (m) => ({ peer: m[1] })],
];

/** Parses one line of linphonec output (prompts stripped) into an event, or undefined. */
export function parseLinphoneLine(line: string, t = eventNow()): LinphoneEvent | undefined {
  for (const [type, re, fields] of PATTERNS) {
    const m = re.exec(line);
    if (m !== null) {
      return { type, t, line, ...fields(m) };
    }
  }
  return undefined;
}

/** linphone's default audio codecs (mime/rate/channels), written out so `audioCodecs` can disable the rest. */
const KNOWN_CODECS = [
  'opus/48000/2',
  'speex/16000/1',
  'speex/8000/1',
  'PCMU/8000/1',
  'PCMA/8000/1',
  'GSM/8000/1',
  'G722/8000/1',
  'G729/8000/1',
  'speex/32000/1',
  'L16/44100/2',
  'L16/44100/1',
];

function codecSections(codecs: string[] | undefined): string[] {
  if (codecs === undefined) {
    return [];
  }
  const wanted = codecs.map((c) => c.toLowerCase());
  const key = (c: string): string => c.split('/').slice(0, 2).join('/').toLowerCase();
  const enabled = codecs.map((c) => {
    const known = KNOWN_CODECS.find((k) => key(k) === key(c));
    if (known === undefined) {
      throw new Error(`linphone: unknown codec ${c} (known: ${KNOWN_CODECS.join(', ')})`);
    }
    return known;
  });
  const disabled = KNOWN_CODECS.filter((k) => !wanted.some((w) => key(w) === key(k)));
  return [...enabled, ...disabled].flatMap((codec, i) => {
    const [mime, rate, channels] = codec.split('/');
    return [
      `[audio_codec_${i}]`,
      `mime=${mime}`,
      `rate=${rate}`,
      `channels=${channels}`,
      `enabled=${i < enabled.length ? 1 : 0}`,
      '',
    ];
  });
}

/** Writes the linphonerc text of one phone. */
export function linphoneConfig(input: {
  user: string;
  password: string;
  domain: string;
  proxyHost: string;
  proxyPort: number;
  sipPort: number;
  rtpMin: number;
  rtpMax: number;
  dtmf: LinphoneDtmfMode;
  regExpires: number;
  audioCodecs?: string[];
}): string {
  const proxy = `sip:${input.proxyHost}:${input.proxyPort};transport=udp`;
  return [
    '# Generated by test/lab/linphone.ts. Do not edit.',
    '[sip]',
    `sip_port=${input.sipPort}`,
    'sip_tcp_port=0',
    'sip_tls_port=0',
    // IPv4 only; the migration flag keeps liblinphone from turning IPv6 back on.
    'use_ipv6=0',
    'ipv6_migration_done=1',
    'default_proxy=0',
    `use_info=${input.dtmf === 'sip-info' ? 1 : 0}`,
    `use_rfc2833=${input.dtmf === 'rfc4733' ? 1 : 0}`,
    'guess_hostname=0',
    'register_only_when_network_is_up=0',
    'inc_timeout=120',
    '',
    '[net]',
    'dns_srv_enabled=0',
    '',
    '[rtp]',
    `audio_rtp_port=${input.rtpMin}-${input.rtpMax}`,
    '',
    '[video]',
    'capture=0',
    'display=0',
    '',
    // The proxy and the route are IP addresses: lab domains never resolve, and belle-sip would
    // otherwise query the system's DNS servers for them.
    '[proxy_0]',
    `reg_proxy=<${proxy}>`,
    `reg_route=<${proxy};lr>`,
    `reg_identity=sip:${input.user}@${input.domain}`,
    `reg_expires=${input.regExpires}`,
    'reg_sendregister=1',
    'publish=0',
    '',
    '[auth_info_0]',
    `username=${input.user}`,
    `passwd=${input.password}`,
    `realm=${input.domain}`,
    `domain=${input.domain}`,
    '',
    '[misc]',
    'prefer_basic_chat_room=1',
    '',
    ...codecSections(input.audioCodecs),
  ].join('\n');
}

// linphonec sends a line made only of these as DTMF (it does not send A–D).
const DTMF_LINE = /^[0-9*#]+$/;

/**
 * A linphonec phone of the lab, registered over UDP through the lab Kamailio and driven through
 * its stdin. Every event it prints is kept in {@link Linphone.events}.
 */
export class Linphone {
  readonly user: string;
  readonly domain: string;
  /** sip:user@domain */
  readonly aor: string;
  readonly dtmf: LinphoneDtmfMode;
  readonly sipPort: number;
  /** HOME of the process (holds .local/share/linphone). */
  readonly home: string;
  readonly configFile: string;
  /** linphonec's stdout/stderr. */
  readonly logFile: string;
  /** liblinphone's debug log (level 6: the full SIP trace). */
  readonly debugLogFile: string;
  /** Where {@link recordings} are written. */
  readonly recordDir: string;
  /** The WAV played as the microphone. */
  readonly playFile: string;
  readonly #log: EventLog<LinphoneEvent>;
  /** Every output line (prompts stripped), for command responses. */
  readonly #lines: string[] = [];
  readonly #options: LinphoneOptions;
  readonly #config: string;
  readonly #dir: string;
  #process: LabProcess | undefined;
  #partial = '';
  #recordings = 0;
  #quitting = false;

  private constructor(opts: {
    options: LinphoneOptions;
    sipPort: number;
    dir: string;
    playFile: string;
    config: string;
  }) {
    const o = opts.options;
    this.user = o.user;
    this.domain = o.domain;
    this.aor = `sip:${o.user}@${o.domain}`;
    this.dtmf = o.dtmf ?? 'rfc4733';
    this.sipPort = opts.sipPort;
    this.home = join(opts.dir, 'home');
    this.configFile = join(opts.dir, 'linphonerc');
    this.logFile = join(opts.dir, 'stdout.log');
    this.debugLogFile = join(opts.dir, 'debug.log');
    this.recordDir = join(opts.dir, 'rec');
    this.playFile = opts.playFile;
    this.#options = o;
    this.#config = opts.config;
    this.#dir = opts.dir;
    this.#log = new EventLog(`linphone ${o.user}`, (e) => e.line);
  }

  /** Starts a phone and resolves once linphonec reports the account registered. */
  static async start(options: LinphoneOptions): Promise<Linphone> {
    const dir = join(options.logDir, options.name ?? `linphone-${options.user}`);
    // liblinphone keeps its databases there and fails without it.
    mkdirSync(join(dir, 'home', '.local', 'share', 'linphone'), { recursive: true });
    mkdirSync(join(dir, 'rec'), { recursive: true });
    const sipPort = await freePort('udp');
    const rtp = await freePortRange(20);
    const playFile = options.playFile ?? join(dir, 'mic.wav');
    if (options.playFile === undefined) {
      writeToneWav(playFile, { freq: options.tone ?? 1200, seconds: 10, amplitude: 0.5 });
    }
    const config = linphoneConfig({
      user: options.user,
      password: options.password,
      domain: options.domain,
      proxyHost: options.kamailioHost ?? LAB_HOST,
      proxyPort: options.kamailioUdpPort,
      sipPort,
      rtpMin: rtp.min,
      rtpMax: rtp.max,
      dtmf: options.dtmf ?? 'rfc4733',
      regExpires: options.regExpires ?? 3600,
      ...(options.audioCodecs !== undefined ? { audioCodecs: options.audioCodecs } : {}),
    });
    const phone = new Linphone({ options, sipPort, dir, playFile, config });
    await phone.start();
    return phone;
  }

  /** The current linphonec process (a new one after each {@link start}). */
  get process(): LabProcess {
    if (this.#process === undefined) {
      throw new Error(`linphone ${this.user}: never started`);
    }
    return this.#process;
  }

  /** True while linphonec runs. */
  get running(): boolean {
    return this.#process?.running === true;
  }

  /**
   * Starts linphonec (again, after {@link stop}) with the same config, HOME and ports, and
   * resolves once it is registered. Events keep accumulating in the same {@link events}.
   */
  async start(): Promise<void> {
    if (this.running) {
      throw new Error(`linphone ${this.user}: already running`);
    }
    // linphonec rewrites its config on exit: start from the generated one every time.
    writeFileSync(this.configFile, this.#config);
    this.#quitting = false;
    this.#partial = '';
    this.#process = spawnLabProcess({
      name: `linphonec(${this.user})`,
      command: 'linphonec',
      args: ['-c', this.configFile, '-d', '6', '-l', this.debugLogFile],
      logFile: this.logFile,
      cwd: this.#dir,
      env: { ...process.env, HOME: this.home, LANG: 'C.UTF-8' },
      stdin: 'pipe',
      onOutput: (text) => this.#onOutput(text),
    });
    try {
      // File mode: the microphone is a WAV file and what the phone hears goes to a WAV file.
      this.command('soundcard use files');
      this.command(`play ${this.playFile}`);
      this.#nextRecording();
      if (this.#options.autoAnswer === true) {
        this.command('autoanswer enable');
      }
      await this.waitRegistered();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** {@link stop} (which unregisters) then {@link start}: the phone goes offline and comes back. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /**
   * Unregisters (REGISTER with expires 0) and resolves once linphonec reports it; the phone
   * stays up (it can still make calls through the proxy). Use {@link restart} to register again.
   */
  async unregister(timeoutMs = 10_000): Promise<void> {
    this.command('unregister');
    await waitFor(async () => /^registered=0$/.test(await this.registrationStatus()), {
      what: `linphone ${this.user} unregistered`,
      process: this.process,
      timeoutMs,
      intervalMs: 100,
    });
  }

  #onOutput(text: string): void {
    const chunks = (this.#partial + text).split('\n');
    this.#partial = chunks.pop() ?? '';
    for (const raw of chunks) {
      const line = raw.replace(/\r$/, '').replace(/^(linphonec> )+/, '');
      this.#lines.push(line);
      const event = parseLinphoneLine(line);
      if (event === undefined) {
        continue;
      }
      if ((event.type === 'ended' || event.type === 'error') && this.running && !this.#quitting) {
        this.#nextRecording();
      }
      this.#log.push(event);
    }
  }

  /** Every event, in arrival order. */
  get events(): LinphoneEvent[] {
    return this.#log.events;
  }

  /** Output lines so far (prompts stripped). */
  get lines(): readonly string[] {
    return this.#lines;
  }

  /** Writes one command line to linphonec's stdin (no response is awaited). */
  command(line: string): void {
    if (/[\r\n]/.test(line)) {
      throw new Error(`linphone ${this.user}: a command is one line, got ${JSON.stringify(line)}`);
    }
    this.process.write(`${line}\n`);
  }

  /**
   * Runs a command and resolves with the first output line after it that matches `response`
   * (linphonec has no request ids: use commands whose answer is recognisable).
   */
  async query(line: string, response: RegExp, timeoutMs = 5000): Promise<string> {
    const from = this.#lines.length;
    this.command(line);
    return waitFor(() => this.#lines.slice(from).find((l) => response.test(l)), {
      what: `linphone ${this.user}: answer to '${line}'`,
      process: this.process,
      timeoutMs,
      intervalMs: 20,
    });
  }

  /** Registration state as linphonec prints it for `status register`. */
  registrationStatus(): Promise<string> {
    return this.query('status register', /^(registered|unregistered)/);
  }

  /** Resolves once `status register` reports this account registered. */
  async waitRegistered(timeoutMs = 10_000): Promise<void> {
    await waitFor(async () => /^registered, identity=/.test(await this.registrationStatus()), {
      what: `linphone ${this.user} registered`,
      process: this.process,
      timeoutMs,
      intervalMs: 100,
    });
  }

  /**
   * Resolves with the first event (index >= `fromIndex` of {@link events}) matching `pred`,
   * waiting up to `timeoutMs`.
   */
  waitForEvent(
    pred: (e: LinphoneEvent) => boolean,
    timeoutMs = 10_000,
    fromIndex = 0,
  ): Promise<LinphoneEvent> {
    return this.#log.waitFor(pred, timeoutMs, fromIndex);
  }

  /** Waits for an event of the given type (from `fromIndex`). */
  waitForEventType(
    type: LinphoneEventType,
    timeoutMs = 10_000,
    fromIndex = 0,
  ): Promise<LinphoneEvent> {
    return this.#log.waitFor((e) => e.type === type, timeoutMs, fromIndex);
  }

  /** Calls `uri` and resolves with linphonec's call id once the call is created. */
  async dial(uri: string): Promise<number> {
    const from = this.#log.length;
    this.command(`call ${uri}`);
    const e = await this.waitForEvent(
      (ev) => ev.type === 'outgoing' || ev.type === 'error',
      5000,
      from,
    );
    if (e.type === 'error' || e.call === undefined) {
      throw new Error(`linphone ${this.user}: could not call ${uri}: ${e.line}`);
    }
    return e.call;
  }

  /** Answers the current incoming call (or call `call`). */
  answer(call?: number): void {
    this.command(call === undefined ? 'answer' : `answer ${call}`);
  }

  /** Hangs up the current call (or call `call`). */
  hangup(call?: number): void {
    this.command(call === undefined ? 'terminate' : `terminate ${call}`);
  }

  /** Hangs up every call (e.g. to clean up after a failed test). */
  hangupAll(): void {
    this.command('terminate all');
  }

  /** Puts the current call on hold (re-INVITE with a=sendonly); await 'paused'. */
  hold(call?: number): void {
    this.command(call === undefined ? 'pause' : `pause ${call}`);
  }

  /** Resumes a held call; await 'streams-running'. */
  resume(call?: number): void {
    this.command(call === undefined ? 'resume' : `resume ${call}`);
  }

  /**
   * Sends DTMF in the current call, one key per command (linphonec sends a line made only of
   * keys as DTMF), in the phone's {@link dtmf} mode.
   */
  sendDtmf(digits: string): void {
    if (!DTMF_LINE.test(digits)) {
      throw new Error(`linphone ${this.user}: not DTMF keys: ${JSON.stringify(digits)}`);
    }
    for (const key of digits) {
      this.command(key);
    }
  }

  /** DTMF keys received so far (from index `fromIndex` of {@link events}), in order. */
  receivedDtmf(fromIndex = 0): string {
    return this.events
      .slice(fromIndex)
      .filter((e) => e.type === 'dtmf')
      .map((e) => e.text ?? '')
      .join('');
  }

  /**
   * Sends a chat message (SIP MESSAGE, text/plain) to `uri`. linphonec takes one line: text
   * with a line break is refused. The delivery result is in the SIP trace ({@link sipTrace}).
   */
  sendMessage(uri: string, text: string): void {
    if (/[\r\n]/.test(text) || text === '') {
      throw new Error(`linphone ${this.user}: linphonec sends one non-empty line per message`);
    }
    this.command(`chat ${uri} ${text}`);
  }

  /** Blind transfer of the current call (or `call`) to `uri` (REFER). */
  transfer(uri: string, call?: number): void {
    this.command(call === undefined ? `transfer ${uri}` : `transfer ${call} ${uri}`);
  }

  /** Attended transfer of `call` to the party of `toCall`. */
  attendedTransfer(call: number, toCall: number): void {
    this.command(`transfer ${call} --to-call ${toCall}`);
  }

  /** Plays `wav` (looped) as the microphone from the next call on. */
  setPlayFile(wav: string): void {
    this.command(`play ${wav}`);
  }

  /**
   * Points the recording of the next call at a new file `rec/call-<n>.wav`. Called at start and
   * after every call, so each call has its own file (linphone opens it when the call's audio
   * starts and completes it when the call ends).
   */
  #nextRecording(): void {
    this.#recordings += 1;
    this.command(`record ${join(this.recordDir, `call-${this.#recordings}.wav`)}`);
  }

  /** WAV files of what the phone heard, one per call that had audio (full paths, in call order). */
  recordings(): string[] {
    if (!existsSync(this.recordDir)) {
      return [];
    }
    return readdirSync(this.recordDir)
      .filter((f) => /^call-\d+\.wav$/.test(f))
      .sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]))
      .map((f) => join(this.recordDir, f));
  }

  /** SIP messages sent and received, from the debug log (belle-sip prints each one in full). */
  sipTrace(): LinphoneSipTrace[] {
    if (!existsSync(this.debugLogFile)) {
      return [];
    }
    return parseBelleSipTrace(readFileSync(this.debugLogFile, 'utf8'));
  }

  /** Quits linphonec (the `quit` command, which unregisters, then SIGTERM/SIGKILL if it lingers). Idempotent. */
  async stop(timeoutMs = 5000): Promise<void> {
    const proc = this.#process;
    if (proc === undefined) {
      return;
    }
    if (!this.#quitting && proc.running) {
      this.#quitting = true;
      try {
        this.command('quit');
      } catch {
        // already gone
      }
      await Promise.race([proc.exited, new Promise((r) => setTimeout(r, 2000))]);
    }
    await proc.stop(timeoutMs);
  }
}

const LOG_LINE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}:\d{3} /;
const TRACE_HEAD =
  /belle-sip-message-channel \[[^\]]*\]: (?:message sent to \[([^\]]+)\], size: \[\d+\] bytes|received \[\d+\] new bytes from \[([^\]]+)\]:)$/;

/** Extracts the SIP messages from a belle-sip debug log (each printed after a "message sent"/"received" line). */
export function parseBelleSipTrace(log: string): LinphoneSipTrace[] {
  const out: LinphoneSipTrace[] = [];
  const lines = log.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = TRACE_HEAD.exec(lines[i] ?? '');
    if (head === null) {
      continue;
    }
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !LOG_LINE.test(lines[j] ?? ''); j++) {
      body.push((lines[j] ?? '').replace(/\r$/, ''));
    }
    i = j - 1;
    const text = body.join('\r\n').replace(/(\r\n)+$/, '');
    if (!/^(SIP\/2\.0 \d{3}|[A-Z]+ \S+ SIP\/2\.0)/.test(text)) {
      continue; // keep-alives and fragments
    }
    const full = text.includes('\r\n\r\n') ? `${text}\r\n` : `${text}\r\n\r\n`;
    out.push({
      dir: head[1] !== undefined ? 'sent' : 'received',
      peer: head[1] ?? head[2] ?? '',
      message: parseSipMessage(full),
    });
  }
  return out;
}

/** Starts a lab linphonec phone; see {@link Linphone.start}. */
export function startLinphone(options: LinphoneOptions): Promise<Linphone> {
  return Linphone.start(options);
}
