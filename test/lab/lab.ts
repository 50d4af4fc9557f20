// The SIP test lab: starts rtpengine, one Kamailio per domain and baresip phones with fresh credentials; owns the log dir and teardown.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBaresip, type Baresip } from './baresip';
import { startKamailio, type Kamailio, type LabCredentials } from './kamailio';
import { startRtpengine, type Rtpengine } from './rtpengine';
import { startWsFront, type WsFront, type WsFrontMode } from './ws-front';

/** Repository root (two levels above test/lab). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Root of lab log dirs: $LAB_LOG_ROOT or `<repo>/.lab-logs` (gitignored). */
export const LAB_LOG_ROOT = process.env['LAB_LOG_ROOT'] ?? join(REPO_ROOT, '.lab-logs');

/** Per-phone settings when `baresip` is given as a list. */
export interface BaresipSpec {
  /** Sine frequency the phone sends (default 440, 880, 660, 1000, … by index). */
  tone?: number;
  autoAnswer?: boolean;
  /** Domain to register in (default the lab's first domain). */
  domain?: string;
  /** Audio codecs in preference order (baresip names). */
  audioCodecs?: string[];
}

/** Options for {@link startLab}. */
export interface StartLabOptions {
  /** One Kamailio per domain (default ['lab.test']). */
  domains?: string[];
  /** Users created in every domain (default ['alice', 'bob', 'carol', 'dave']). */
  accounts?: string[];
  /** Number of baresip phones (`bare1`, `bare2`, … in the first domain) or per-phone settings. Default 0. */
  baresip?: number | BaresipSpec[];
  /** Kamailio rejects INVITEs whose session interval is below this with 422. */
  minSE?: number;
  /** Seconds before an unanswered INVITE gets 480 (default 60). */
  inviteTimeoutSec?: number;
  /** Start rtpengine and wire Kamailio to it (default true). */
  rtpengine?: boolean;
  /** Log dir name prefix (default 'lab'). */
  name?: string;
}

/** A SIP account of the lab. */
export interface LabAccount {
  user: string;
  password: string;
  domain: string;
  /** sip:user@domain */
  uri: string;
  /** Digest username (same as user). */
  authUser: string;
  /** WebSocket URL of the Kamailio serving this domain. */
  wsUrl: string;
}

/** Options for {@link Lab.stop}. */
export interface LabStopOptions {
  /** Keep the log dir even when `failed` is false. */
  keepLogs?: boolean;
  /** The test(s) using the lab failed: keep the log dir. */
  failed?: boolean;
}

/** A running lab. */
export interface Lab {
  /** One per domain, in `domains` order. */
  kamailios: Kamailio[];
  /** The first domain's Kamailio. */
  kamailio: Kamailio;
  /** undefined when started with `rtpengine: false`. */
  rtpengine: Rtpengine | undefined;
  /** The first Kamailio's ws://127.0.0.1:P. */
  wsUrl: string;
  /** The first domain. */
  domain: string;
  domains: string[];
  /** Every WebSocket account in every domain (not the baresip phones). */
  accounts: LabAccount[];
  /** Accounts of the baresip phones. */
  baresipAccounts: LabAccount[];
  baresips: Baresip[];
  /** `.lab-logs/<name>-<timestamp>/` */
  logDir: string;
  /** An account by user (and domain, default the first). Throws when unknown. */
  account(user: string, domain?: string): LabAccount;
  /** The Kamailio of a domain. Throws when unknown. */
  kamailioFor(domain: string): Kamailio;
  /** Starts a {@link WsFront} before a domain's Kamailio (default the first); stopped with the lab. */
  startWsFront(opts?: { domain?: string; mode?: WsFrontMode }): Promise<WsFront>;
  /**
   * Stops every process (SIGTERM, then SIGKILL after a timeout) and awaits their exit. The log
   * dir is deleted unless `failed` or `keepLogs` is true or the env has LAB_KEEP_LOGS=1.
   */
  stop(opts?: LabStopOptions): Promise<void>;
}

/** A random password of 24 hex chars (safe to embed in configs). */
export function randomPassword(): string {
  return randomBytes(12).toString('hex');
}

const DEFAULT_TONES = [440, 880, 660, 1000, 550, 770];

function makeLogDir(name: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = join(LAB_LOG_ROOT, `${name}-${stamp}-${randomBytes(2).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Starts the lab and resolves once everything is ready: rtpengine answers ng ping, each Kamailio
 * accepts a WebSocket handshake and answers OPTIONS over UDP, each baresip is registered.
 * If anything fails to start, whatever did start is stopped and the logs are kept.
 */
export async function startLab(opts: StartLabOptions = {}): Promise<Lab> {
  const domains = opts.domains ?? ['lab.test'];
  const firstDomain = domains[0];
  if (firstDomain === undefined) {
    throw new Error('startLab: at least one domain is required');
  }
  const users = opts.accounts ?? ['alice', 'bob', 'carol', 'dave'];
  const specs: BaresipSpec[] =
    typeof opts.baresip === 'number'
      ? Array.from({ length: opts.baresip }, () => ({}))
      : (opts.baresip ?? []);
  const logDir = makeLogDir(opts.name ?? 'lab');

  const accounts: LabAccount[] = [];
  for (const domain of domains) {
    for (const user of users) {
      accounts.push({
        user,
        password: randomPassword(),
        domain,
        uri: `sip:${user}@${domain}`,
        authUser: user,
        wsUrl: '',
      });
    }
  }
  const phones = specs.map((spec, i) => {
    const domain = spec.domain ?? firstDomain;
    if (!domains.includes(domain)) {
      throw new Error(`startLab: baresip domain ${domain} is not one of ${domains.join(', ')}`);
    }
    const user = `bare${i + 1}`;
    const account: LabAccount = {
      user,
      password: randomPassword(),
      domain,
      uri: `sip:${user}@${domain}`,
      authUser: user,
      wsUrl: '',
    };
    return { spec, account, tone: spec.tone ?? DEFAULT_TONES[i % DEFAULT_TONES.length] ?? 440 };
  });

  let rtpengine: Rtpengine | undefined;
  const kamailios: Kamailio[] = [];
  const baresips: Baresip[] = [];
  const fronts: WsFront[] = [];
  let stopped: Promise<void> | undefined;

  const stopAll = async (): Promise<void> => {
    const results = await Promise.allSettled([
      ...fronts.map((f) => f.stop()),
      ...baresips.map((b) => b.stop()),
    ]);
    results.push(...(await Promise.allSettled(kamailios.map((k) => k.stop()))));
    if (rtpengine !== undefined) {
      results.push(...(await Promise.allSettled([rtpengine.stop()])));
    }
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure !== undefined) {
      throw failure.reason instanceof Error ? failure.reason : new Error(String(failure.reason));
    }
  };

  try {
    if (opts.rtpengine !== false) {
      rtpengine = await startRtpengine({ logDir });
    }
    const ng =
      rtpengine === undefined ? undefined : { host: rtpengine.ngHost, port: rtpengine.ngPort };
    const started = await Promise.allSettled(
      domains.map((domain) => {
        const creds: LabCredentials[] = [...accounts, ...phones.map((p) => p.account)]
          .filter((a) => a.domain === domain)
          .map((a) => ({ user: a.user, password: a.password }));
        return startKamailio({
          domain,
          accounts: creds,
          logDir,
          ...(ng !== undefined ? { rtpengineNg: ng } : {}),
          ...(opts.minSE !== undefined ? { minSE: opts.minSE } : {}),
          ...(opts.inviteTimeoutSec !== undefined
            ? { inviteTimeoutSec: opts.inviteTimeoutSec }
            : {}),
        });
      }),
    );
    for (const r of started) {
      if (r.status === 'fulfilled') {
        kamailios.push(r.value);
      }
    }
    const failedKamailio = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failedKamailio !== undefined) {
      throw failedKamailio.reason;
    }
    const kamailioOf = (domain: string): Kamailio => {
      const k = kamailios[domains.indexOf(domain)];
      if (k === undefined) {
        throw new Error(`lab: no Kamailio for domain ${domain}`);
      }
      return k;
    };
    for (const a of [...accounts, ...phones.map((p) => p.account)]) {
      a.wsUrl = kamailioOf(a.domain).wsUrl;
    }
    const phoneResults = await Promise.allSettled(
      phones.map((p) =>
        startBaresip({
          user: p.account.user,
          password: p.account.password,
          domain: p.account.domain,
          kamailioUdpPort: kamailioOf(p.account.domain).udpPort,
          logDir,
          tone: p.tone,
          autoAnswer: p.spec.autoAnswer ?? false,
          ...(p.spec.audioCodecs !== undefined ? { audioCodecs: p.spec.audioCodecs } : {}),
        }),
      ),
    );
    for (const r of phoneResults) {
      if (r.status === 'fulfilled') {
        baresips.push(r.value);
      }
    }
    const failedPhone = phoneResults.find(
      (r): r is PromiseRejectedResult => r.status === 'rejected',
    );
    if (failedPhone !== undefined) {
      throw failedPhone.reason;
    }
    // Keep the phones in bare1, bare2, … order.
    baresips.sort((a, b) => Number(a.user.slice(4)) - Number(b.user.slice(4)));

    const kamailio = kamailios[0];
    if (kamailio === undefined) {
      throw new Error('startLab: no Kamailio started');
    }
    const lab: Lab = {
      kamailios,
      kamailio,
      rtpengine,
      wsUrl: kamailio.wsUrl,
      domain: firstDomain,
      domains,
      accounts,
      baresipAccounts: phones.map((p) => p.account),
      baresips,
      logDir,
      account(user, domain = firstDomain) {
        const found = [...accounts, ...phones.map((p) => p.account)].find(
          (a) => a.user === user && a.domain === domain,
        );
        if (found === undefined) {
          throw new Error(`lab: no account ${user}@${domain}`);
        }
        return found;
      },
      kamailioFor: kamailioOf,
      async startWsFront(frontOpts = {}) {
        const front = await startWsFront({
          upstreamUrl: kamailioOf(frontOpts.domain ?? firstDomain).wsUrl,
          ...(frontOpts.mode !== undefined ? { mode: frontOpts.mode } : {}),
        });
        fronts.push(front);
        return front;
      },
      stop(stopOpts = {}) {
        stopped ??= stopAll().then(() => {
          const keep =
            stopOpts.keepLogs === true ||
            stopOpts.failed === true ||
            process.env['LAB_KEEP_LOGS'] === '1';
          if (!keep) {
            rmSync(logDir, { recursive: true, force: true });
          }
        });
        return stopped;
      },
    };
    return lab;
  } catch (error) {
    await stopAll().catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`startLab failed (logs kept in ${logDir}): ${message}`, { cause: error });
  }
}
