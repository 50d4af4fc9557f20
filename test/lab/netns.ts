// Lab network namespaces: a namespace joined to the root namespace by a veth pair on a private /24 that no
// existing route uses, with link down/up, address changes, processes run inside, and teardown (also on a crash).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { spawnLabProcess, type LabProcess, type SpawnLabProcessOptions } from './process';

/** Whether this machine can create network namespaces, and why not. */
export interface NetnsSupport {
  ok: boolean;
  /** Why not (when `ok` is false), in words a CI log reader understands. */
  reason?: string;
}

function ip(args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.error !== undefined) {
    return { ok: false, out: `cannot run ip (${r.error.message}); install iproute2` };
  }
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}`.trim() };
}

function ipOrThrow(args: string[]): string {
  const r = ip(args);
  if (!r.ok) {
    throw new Error(`ip ${args.join(' ')} failed: ${r.out}`);
  }
  return r.out;
}

let support: NetnsSupport | undefined;

/**
 * Probes once whether namespaces can be made here: running as root, `ip` (iproute2) present,
 * and `ip netns add` + `ip link add … type veth` actually working (containers may forbid it).
 */
export function netnsSupport(): NetnsSupport {
  if (support !== undefined) {
    return support;
  }
  const uid = process.getuid?.() ?? -1;
  if (uid !== 0) {
    support = {
      ok: false,
      reason: `network namespaces need root (running as uid ${uid}); CI runs the suite as root`,
    };
    return support;
  }
  const probe = `labprobe-${randomBytes(3).toString('hex')}`;
  const add = ip(['netns', 'add', probe]);
  if (!add.ok) {
    support = { ok: false, reason: `'ip netns add' does not work here: ${add.out}` };
    return support;
  }
  const ifname = `lp${probe.slice(-6)}`; // interface names have at most 15 characters
  const veth = ip(['link', 'add', `${ifname}a`, 'type', 'veth', 'peer', 'name', `${ifname}b`]);
  ip(['link', 'del', `${ifname}a`]);
  ip(['netns', 'del', probe]);
  support = veth.ok
    ? { ok: true }
    : { ok: false, reason: `veth pairs cannot be created here: ${veth.out}` };
  return support;
}

/** Throws an error naming the reason when network namespaces are not available (tests must fail, not skip). */
export function requireNetns(): void {
  const s = netnsSupport();
  if (!s.ok) {
    throw new Error(`this test needs network namespaces, which are not available: ${s.reason}`);
  }
}

/** Options for {@link createNetns}. */
export interface NetnsOptions {
  /** Prefix of the namespace name (default 'lab'); a random suffix is added. At most 6 characters. */
  prefix?: string;
  /**
   * Third octet of the 10.213.X.0/24 subnet (default: a random one that no route or address of
   * the machine overlaps).
   */
  subnetOctet?: number;
}

/**
 * A network namespace joined to the root namespace by a veth pair: `hostAddress` on the root
 * side, `nsAddress` inside, both in one private /24. There is no default route in the namespace
 * and nothing forwards: traffic only flows between the two ends. In the root namespace an
 * `unreachable` route for the /24 (metric 4000) catches the subnet while the link is down, so
 * nothing for it ever takes the default route off the machine.
 */
export class LabNetns {
  /** Namespace name (for `ip netns exec`). */
  readonly name: string;
  /** veth end in the root namespace. */
  readonly hostIf: string;
  /** veth end inside the namespace. */
  readonly nsIf: string;
  /** The /24 in use, e.g. '10.213.17'. */
  readonly subnet: string;
  /** Address of the root-namespace end (e.g. 10.213.17.1). */
  hostAddress: string;
  /** Address of the namespace end (e.g. 10.213.17.2); see {@link setNsAddress}. */
  nsAddress: string;
  #watchdog: ChildProcess | undefined;
  #destroyed = false;

  private constructor(name: string, subnet: string) {
    this.name = name;
    const suffix = name.slice(-6);
    this.hostIf = `vh${suffix}`;
    this.nsIf = `vn${suffix}`;
    this.subnet = subnet;
    this.hostAddress = `${subnet}.1`;
    this.nsAddress = `${subnet}.2`;
  }

  /** Creates the namespace, the veth pair and the addresses; see {@link createNetns}. */
  static create(opts: NetnsOptions = {}): LabNetns {
    requireNetns();
    const prefix = opts.prefix ?? 'lab';
    if (!/^[a-z]{1,6}$/.test(prefix)) {
      throw new Error(`netns: prefix must be 1–6 lowercase letters, got ${JSON.stringify(prefix)}`);
    }
    const subnet = `10.213.${opts.subnetOctet ?? freeSubnetOctet()}`;
    const ns = new LabNetns(`${prefix}-${randomBytes(3).toString('hex')}`, subnet);
    ns.#startWatchdog();
    try {
      ipOrThrow(['netns', 'add', ns.name]);
      ipOrThrow(['link', 'add', ns.hostIf, 'type', 'veth', 'peer', 'name', ns.nsIf]);
      ipOrThrow(['link', 'set', ns.nsIf, 'netns', ns.name]);
      // While the link is down its connected route is gone; this keeps the subnet from falling
      // through to the default route (off the machine): connections fail at once instead.
      ipOrThrow(['route', 'add', 'unreachable', `${ns.subnet}.0/24`, 'metric', '4000']);
      ipOrThrow(['addr', 'add', `${ns.hostAddress}/24`, 'dev', ns.hostIf]);
      ipOrThrow(['-n', ns.name, 'addr', 'add', `${ns.nsAddress}/24`, 'dev', ns.nsIf]);
      ipOrThrow(['-n', ns.name, 'link', 'set', 'lo', 'up']);
      ns.linkUp();
    } catch (error) {
      ns.destroy();
      throw error;
    }
    live.add(ns);
    installExitCleanup();
    return ns;
  }

  /** Deletes namespace and veth when the Node process dies without {@link destroy} (crash, SIGKILL). */
  #startWatchdog(): void {
    const script =
      `while kill -s 0 ${process.pid} 2>/dev/null; do sleep 1; done; ` +
      `ip netns del ${this.name} 2>/dev/null; ip link del ${this.hostIf} 2>/dev/null; ` +
      `ip route del unreachable ${this.subnet}.0/24 metric 4000 2>/dev/null`;
    this.#watchdog = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
    this.#watchdog.unref();
  }

  /** Runs `ip <args>` inside the namespace (`ip -n`), throwing on failure; returns the output. */
  ip(args: string[]): string {
    return ipOrThrow(['-n', this.name, ...args]);
  }

  /** Runs a command inside the namespace to completion; returns exit status and output. */
  exec(
    command: string,
    args: string[] = [],
  ): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync('ip', ['netns', 'exec', this.name, command, ...args], { encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** Spawns a lab process inside the namespace (stopped like any lab process). */
  spawn(opts: Omit<SpawnLabProcessOptions, 'netns'>): LabProcess {
    return spawnLabProcess({ ...opts, netns: this.name });
  }

  /**
   * Writes an executable shell script at `file` that runs `command` (with the script's
   * arguments) inside the namespace, e.g. as Playwright's `executablePath` for Chromium.
   */
  writeWrapper(file: string, command: string): string {
    writeFileSync(file, `#!/bin/sh\nexec ip netns exec ${this.name} ${command} "$@"\n`);
    chmodSync(file, 0o755);
    return file;
  }

  /** Takes both veth ends down: packets between the namespaces are lost (sockets stay open). */
  linkDown(): void {
    ipOrThrow(['link', 'set', this.hostIf, 'down']);
    this.ip(['link', 'set', this.nsIf, 'down']);
  }

  /** Brings both veth ends up again. */
  linkUp(): void {
    ipOrThrow(['link', 'set', this.hostIf, 'up']);
    this.ip(['link', 'set', this.nsIf, 'up']);
  }

  /** True when both ends are administratively up. */
  get linkIsUp(): boolean {
    const host = ipOrThrow(['-o', 'link', 'show', this.hostIf]);
    const inner = this.ip(['-o', 'link', 'show', this.nsIf]);
    return /[<,]UP[,>]/.test(host) && /[<,]UP[,>]/.test(inner);
  }

  /**
   * Moves the namespace end to another address of the subnet (host part 2–254): the old address
   * is removed, so connections bound to it break, as on a network switch.
   */
  setNsAddress(host: number): string {
    const next = this.#address(host);
    // Delete first: removing a primary address also removes the secondaries of its subnet.
    this.ip(['addr', 'del', `${this.nsAddress}/24`, 'dev', this.nsIf]);
    this.ip(['addr', 'add', `${next}/24`, 'dev', this.nsIf]);
    this.nsAddress = next;
    return next;
  }

  /** Moves the root-namespace end to another address of the subnet (host part 1–254). */
  setHostAddress(host: number): string {
    const next = this.#address(host);
    ipOrThrow(['addr', 'del', `${this.hostAddress}/24`, 'dev', this.hostIf]);
    ipOrThrow(['addr', 'add', `${next}/24`, 'dev', this.hostIf]);
    this.hostAddress = next;
    return next;
  }

  #address(host: number): string {
    const next = `${this.subnet}.${host}`;
    if (
      !Number.isInteger(host) ||
      host < 1 ||
      host > 254 ||
      next === this.hostAddress ||
      next === this.nsAddress
    ) {
      throw new Error(`netns: ${next} is not a free address of ${this.subnet}.0/24`);
    }
    return next;
  }

  /** Deletes the namespace (its veth end, and so the pair, goes with it). Idempotent. */
  destroy(): void {
    if (this.#destroyed) {
      return;
    }
    this.#destroyed = true;
    ip(['netns', 'del', this.name]);
    ip(['link', 'del', this.hostIf]);
    ip(['route', 'del', 'unreachable', `${this.subnet}.0/24`, 'metric', '4000']);
    if (this.#watchdog?.exitCode === null) {
      this.#watchdog.kill('SIGKILL');
    }
    live.delete(this);
  }
}

const live = new Set<LabNetns>();
let exitCleanupInstalled = false;

function installExitCleanup(): void {
  if (exitCleanupInstalled) {
    return;
  }
  exitCleanupInstalled = true;
  process.on('exit', () => {
    for (const ns of live) {
      ns.destroy();
    }
  });
}

/** A /24 third octet of 10.213.X.0 that no address or route of the machine overlaps. */
export function freeSubnetOctet(): number {
  const used = `${ip(['-4', 'route', 'show', 'table', 'all']).out}\n${ip(['-4', 'addr', 'show']).out}`;
  for (let attempt = 0; attempt < 100; attempt++) {
    const octet = 1 + Math.floor(Math.random() * 250);
    if (!used.includes(`10.213.${octet}.`)) {
      return octet;
    }
  }
  throw new Error('netns: no free 10.213.X.0/24 subnet');
}

/** Creates a {@link LabNetns} (root only; see {@link requireNetns}). Call `destroy()` when done. */
export function createNetns(opts: NetnsOptions = {}): LabNetns {
  return LabNetns.create(opts);
}
