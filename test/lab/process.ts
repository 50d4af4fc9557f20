// Lab child processes: spawning with a log file, readiness polling, stopping, and orphan cleanup.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** How a lab process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Options for {@link spawnLabProcess}. */
export interface SpawnLabProcessOptions {
  /** Short name used in errors (e.g. 'kamailio'). */
  name: string;
  command: string;
  args: string[];
  /** stdout and stderr both go (appended) to this file. */
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** 'pipe' gives the process a stdin that {@link LabProcess.write} writes to (default 'ignore'). */
  stdin?: 'pipe' | 'ignore';
  /**
   * Called with every chunk of stdout/stderr (UTF-8). stdout and stderr then go through Node,
   * which still appends them to `logFile`.
   */
  onOutput?: (text: string) => void;
  /** Run the command inside this network namespace (`ip netns exec <netns> …`, needs root). */
  netns?: string;
}

const live = new Set<LabProcess>();
let cleanupInstalled = false;

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // group already gone
  }
}

/** Synchronously SIGKILLs every lab process (and its process group) still alive in this process. */
export function killAllLabProcesses(): void {
  for (const p of live) {
    p.killNow();
  }
}

function installCleanup(): void {
  if (cleanupInstalled) {
    return;
  }
  cleanupInstalled = true;
  process.on('exit', killAllLabProcesses);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      killAllLabProcesses();
      if (process.listenerCount(signal) === 1) {
        // We were the only listener: restore the default action and re-raise.
        process.removeListener(signal, handler);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, handler);
  }
}

/** Last `lines` lines of a text file ('' when it does not exist). */
export function logTail(file: string, lines = 40): string {
  if (!existsSync(file)) {
    return '';
  }
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/**
 * A child process of the lab. It runs in its own process group (so its own children can be
 * killed with it) and is watched by a tiny shell watchdog that SIGKILLs the group when the Node
 * process dies without cleaning up (crash, SIGKILL of a test worker).
 */
export class LabProcess {
  /** Short name used in errors. */
  readonly name: string;
  /** Pid of the process (and id of its process group). */
  readonly pid: number;
  /** Where stdout/stderr go. */
  readonly logFile: string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ProcessExit>;
  private exitInfo: ProcessExit | undefined;
  private readonly watchdog: ChildProcess | undefined;
  private readonly child: ChildProcess;
  private stopping: Promise<void> | undefined;
  private frozen = false;

  constructor(opts: SpawnLabProcessOptions) {
    installCleanup();
    this.name = opts.name;
    this.logFile = opts.logFile;
    const command = opts.netns === undefined ? opts.command : 'ip';
    const args =
      opts.netns === undefined
        ? opts.args
        : ['netns', 'exec', opts.netns, opts.command, ...opts.args];
    const child = spawnChild(command, args, opts);
    if (child.pid === undefined) {
      // spawn reports ENOENT & co. asynchronously; keep that from becoming an uncaught error.
      child.once('error', () => undefined);
      throw new Error(`${opts.name}: failed to spawn ${opts.command} (is it installed?)`);
    }
    this.pid = child.pid;
    this.child = child;
    this.exited = new Promise<ProcessExit>((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
      child.once('error', () => {
        this.exitInfo = { code: null, signal: null };
        resolve(this.exitInfo);
      });
    });
    live.add(this);
    // POSIX sh (dash): `kill -s SIG -- -PGID` addresses the process group.
    const script =
      `while kill -s 0 ${process.pid} 2>/dev/null; do ` +
      `kill -s 0 -- -${this.pid} 2>/dev/null || exit 0; sleep 1; done; ` +
      `kill -s KILL -- -${this.pid} 2>/dev/null`;
    this.watchdog = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
    this.watchdog.unref();
  }

  /** True until the process has exited. */
  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** Exit status once exited. */
  get exit(): ProcessExit | undefined {
    return this.exitInfo;
  }

  /** Writes to the process's stdin (spawned with `stdin: 'pipe'`). Throws when it has exited. */
  write(text: string): void {
    const stdin = this.child.stdin;
    if (stdin === null) {
      throw new Error(`${this.name}: spawned without a stdin pipe`);
    }
    this.assertRunning();
    stdin.write(text);
  }

  /** The log file's contents so far. */
  readLog(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
  }

  /** Throws (with the log tail) if the process has already exited. */
  assertRunning(): void {
    if (this.exitInfo !== undefined) {
      throw new Error(
        `${this.name} exited early (code ${String(this.exitInfo.code)}, signal ` +
          `${String(this.exitInfo.signal)}); log ${this.logFile}:\n${logTail(this.logFile)}`,
      );
    }
  }

  /**
   * Freezes the process group (SIGSTOP): a peer that vanished without a word, as a crashed or
   * suspended machine does. `thaw()` (or `stop()`) lets it run again.
   */
  freeze(): void {
    this.frozen = true;
    killGroup(this.pid, 'SIGSTOP');
  }

  /** Lets a frozen process group run again (SIGCONT). */
  thaw(): void {
    if (this.frozen) {
      this.frozen = false;
      killGroup(this.pid, 'SIGCONT');
    }
  }

  /** SIGKILLs the process group and the watchdog right now, synchronously. */
  killNow(): void {
    killGroup(this.pid, 'SIGKILL');
    this.killWatchdog();
    live.delete(this);
  }

  private killWatchdog(): void {
    if (this.watchdog?.pid !== undefined && this.watchdog.exitCode === null) {
      try {
        this.watchdog.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /**
   * Sends SIGTERM, waits up to `timeoutMs` for the process and every member of its group to
   * exit, then SIGKILLs the group. Resolves once the process has exited. Idempotent.
   */
  stop(timeoutMs = 5000): Promise<void> {
    this.stopping ??= this.doStop(timeoutMs);
    return this.stopping;
  }

  private async doStop(timeoutMs: number): Promise<void> {
    this.thaw(); // a stopped process never acts on SIGTERM
    if (this.running) {
      try {
        process.kill(this.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    const deadline = Date.now() + timeoutMs;
    const timedOut = await Promise.race([
      this.exited.then(() => false),
      delay(timeoutMs).then(() => true),
    ]);
    if (timedOut) {
      killGroup(this.pid, 'SIGKILL');
      await this.exited;
    }
    while (groupAlive(this.pid) && Date.now() < deadline) {
      await delay(50);
    }
    if (groupAlive(this.pid)) {
      killGroup(this.pid, 'SIGKILL');
      const killDeadline = Date.now() + 2000;
      while (groupAlive(this.pid) && Date.now() < killDeadline) {
        await delay(20);
      }
    }
    this.killWatchdog();
    live.delete(this);
  }
}

/**
 * Spawns the child: stdout/stderr go straight to the log file, or through Node (appended to the
 * log file and handed to `onOutput`) when `onOutput` is set.
 */
function spawnChild(command: string, args: string[], opts: SpawnLabProcessOptions): ChildProcess {
  const stdin = opts.stdin ?? 'ignore';
  const onOutput = opts.onOutput;
  if (onOutput === undefined) {
    const fd = openSync(opts.logFile, 'a');
    try {
      return spawn(command, args, {
        cwd: opts.cwd,
        env: opts.env ?? process.env,
        stdio: [stdin, fd, fd],
        detached: true,
      });
    } finally {
      closeSync(fd);
    }
  }
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: [stdin, 'pipe', 'pipe'],
    detached: true,
  });
  // One decoder per stream: a UTF-8 character may be split across chunks.
  const sink = (): ((chunk: Buffer) => void) => {
    const decoder = new StringDecoder('utf8');
    return (chunk: Buffer): void => {
      appendFileSync(opts.logFile, chunk);
      onOutput(decoder.write(chunk));
    };
  };
  child.stdout?.on('data', sink());
  child.stderr?.on('data', sink());
  // A write after the process died must not become an uncaught EPIPE.
  child.stdin?.on('error', () => undefined);
  return child;
}

/** Spawns a lab process; see {@link LabProcess}. */
export function spawnLabProcess(opts: SpawnLabProcessOptions): LabProcess {
  return new LabProcess(opts);
}

/** Promise that resolves after `ms` milliseconds (for polling intervals, never for readiness). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Options for {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Poll interval (default 50 ms). */
  intervalMs?: number;
  /** What is awaited, for the timeout error. */
  what: string;
  /** Fail fast (with its log tail) when this process exits while waiting. */
  process?: LabProcess;
}

/**
 * Polls `probe` until it returns a value other than `undefined`/`false` and resolves with it.
 * Probe errors count as "not yet". Throws on timeout (with the last probe error) or when the
 * watched process exits.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  opts: WaitForOptions,
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    opts.process?.assertRunning();
    try {
      const value = await probe();
      if (value !== undefined && value !== false) {
        return value;
      }
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      const tail = opts.process
        ? `\nlog ${opts.process.logFile}:\n${logTail(opts.process.logFile)}`
        : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${opts.what}${reason}${tail}`);
    }
    await delay(intervalMs);
  }
}
