// The SIP test lab: starts rtpengine, one Kamailio per domain, baresip and linphonec phones with fresh credentials;
// helpers for SIPp notifiers, MWI/presence state and network namespaces; owns the log dir and teardown.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBaresip, type Baresip } from './baresip';
import {
  startKamailio,
  type Kamailio,
  type KamailioFeatures,
  type KamailioOptions,
  type LabCredentials,
} from './kamailio';
import { startLinphone, type Linphone, type LinphoneDtmfMode } from './linphone';
import { createNetns, type LabNetns, type NetnsOptions } from './netns';
import { startRtpengine, type Rtpengine } from './rtpengine';
import {
  sendMwiNotify,
  startSippNotifier,
  type MwiNotifyResult,
  type SippNotifier,
  type SippNotifierOptions,
} from './sipp';
import { startSippCaller, type SippCaller, type SippCallerOptions } from './sipp-caller';
import { startWsFront, type WsFront, type WsFrontMode } from './ws-front';
import { SipUdpClient } from '../support/sip-udp-client';

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

/** Per-phone settings when `linphone` is given as a list. */
export interface LinphoneSpec {
  /** 'rfc4733' (default) or 'sip-info'. */
  dtmf?: LinphoneDtmfMode;
  /** Sine frequency played as microphone (default 1200, 1500, 1800, 2100, … by index). */
  tone?: number;
  /** WAV played as microphone instead of the tone. */
  playFile?: string;
  autoAnswer?: boolean;
  /** Domain to register in (default the lab's first domain). */
  domain?: string;
  /** Audio codecs as `mime/rate`, in preference order (default linphone's own list). */
  audioCodecs?: string[];
}

/** Options for {@link startLab}. */
export interface StartLabOptions extends KamailioFeatures {
  /** One Kamailio per domain (default ['lab.test']). */
  domains?: string[];
  /** Users created in every domain (default ['alice', 'bob', 'carol', 'dave']). */
  accounts?: string[];
  /** Number of baresip phones (`bare1`, `bare2`, … in the first domain) or per-phone settings. Default 0. */
  baresip?: number | BaresipSpec[];
  /** Number of linphonec phones (`lin1`, `lin2`, … in the first domain) or per-phone settings. Default 0. */
  linphone?: number | LinphoneSpec[];
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
  /** Accounts of the linphonec phones (`lin1`, …). */
  linphoneAccounts: LabAccount[];
  /** The linphonec phones, in `lin1`, `lin2`, … order. */
  linphones: Linphone[];
  /** `.lab-logs/<name>-<timestamp>/` */
  logDir: string;
  /** An account by user (and domain, default the first). Throws when unknown. */
  account(user: string, domain?: string): LabAccount;
  /** The Kamailio of a domain. Throws when unknown. */
  kamailioFor(domain: string): Kamailio;
  /** Starts a {@link WsFront} before a domain's Kamailio (default the first); stopped with the lab. */
  startWsFront(opts?: { domain?: string; mode?: WsFrontMode }): Promise<WsFront>;
  /**
   * Starts a SIPp notifier registered as the lab account `user` (list it in `forwardSubscribe`
   * when presence is on); stopped with the lab.
   */
  startSippNotifier(
    opts: Omit<SippNotifierOptions, 'password' | 'domain' | 'kamailioUdpPort' | 'logDir'> & {
      domain?: string;
    },
  ): Promise<SippNotifier>;
  /**
   * Starts a SIPp caller registered as the lab account `user`: it calls `to` at once and takes
   * a pickup of that ringing call (INVITE with Replaces; see `sipp-caller.ts`); stopped with the lab.
   */
  startSippCaller(
    opts: Omit<SippCallerOptions, 'password' | 'domain' | 'kamailioUdpPort' | 'logDir'> & {
      domain?: string;
    },
  ): Promise<SippCaller>;
  /**
   * Sends an unsolicited MWI NOTIFY to `to` through the domain's Kamailio, from the lab's
   * `voicemail` service account (SIPp, digest auth). Resolves with the final status.
   */
  sendMwiNotify(opts: {
    to: string;
    newMessages: number;
    oldMessages: number;
    domain?: string;
    subscriptionState?: string | null;
  }): Promise<MwiNotifyResult>;
  /**
   * PUBLISHes `user`'s message-summary state to the presence server (needs `presence`), as the
   * user (Kamailio only lets a user publish its own state). Its `message-summary` subscribers
   * get a NOTIFY. Resolves with the final status (200).
   */
  publishMwi(opts: {
    user: string;
    newMessages: number;
    oldMessages: number;
    domain?: string;
    expires?: number;
  }): Promise<number>;
  /**
   * PUBLISHes `user`'s presence (PIDF, basic open/closed and an optional note such as 'Away')
   * to the presence server (needs `presence`). Resolves with the final status (200).
   */
  publishPresence(opts: {
    user: string;
    basic: 'open' | 'closed';
    note?: string;
    domain?: string;
    expires?: number;
  }): Promise<number>;
  /** Creates a network namespace (root only), destroyed with the lab after its processes stop. */
  createNetns(opts?: NetnsOptions): LabNetns;
  /**
   * Starts one more Kamailio for a lab domain (e.g. in a namespace: `host` + `netns`), with the
   * domain's accounts and the lab's features unless overridden; stopped with the lab. In a
   * namespace it runs without rtpengine (unless `rtpengineNg` is given), which the namespace
   * cannot reach.
   */
  startExtraKamailio(
    opts: Partial<Omit<KamailioOptions, 'accounts' | 'logDir'>> & { domain?: string },
  ): Promise<Kamailio>;
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
const DEFAULT_LINPHONE_TONES = [1200, 1500, 1800, 2100, 1350, 1650];

/** The lab's service account that sends unsolicited MWI NOTIFYs (in every domain, not in `accounts`). */
export const VOICEMAIL_USER = 'voicemail';

function pidf(entity: string, basic: 'open' | 'closed', note: string | undefined): string {
  const escaped = (note ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="${entity}">`,
    `<tuple id="lab"><status><basic>${basic}</basic></status>${note === undefined ? '' : `<note>${escaped}</note>`}</tuple>`,
    '</presence>',
  ].join('\n');
}

function makeLogDir(name: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = join(LAB_LOG_ROOT, `${name}-${stamp}-${randomBytes(2).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function newAccount(user: string, domain: string): LabAccount {
  return {
    user,
    password: randomPassword(),
    domain,
    uri: `sip:${user}@${domain}`,
    authUser: user,
    wsUrl: '',
  };
}

function phoneDomain(kind: string, domain: string, domains: string[]): string {
  if (!domains.includes(domain)) {
    throw new Error(`startLab: ${kind} domain ${domain} is not one of ${domains.join(', ')}`);
  }
  return domain;
}

/** Throws the first rejection of `results` after keeping the fulfilled values in `into`. */
function collect<T>(results: PromiseSettledResult<T>[], into: T[]): void {
  for (const r of results) {
    if (r.status === 'fulfilled') {
      into.push(r.value);
    }
  }
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) {
    throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }
}

function kamailioFeatures(opts: StartLabOptions): KamailioFeatures {
  return {
    ...(opts.msilo !== undefined ? { msilo: opts.msilo } : {}),
    ...(opts.presence !== undefined ? { presence: opts.presence } : {}),
    ...(opts.outbound !== undefined ? { outbound: opts.outbound } : {}),
    ...(opts.persistLocation !== undefined ? { persistLocation: opts.persistLocation } : {}),
    ...(opts.forwardSubscribe !== undefined ? { forwardSubscribe: opts.forwardSubscribe } : {}),
    ...(opts.presenceMaxExpires !== undefined
      ? { presenceMaxExpires: opts.presenceMaxExpires }
      : {}),
  };
}

/** Settings baresip and linphonec phones share. */
interface PhoneBase {
  user: string;
  password: string;
  domain: string;
  kamailioUdpPort: number;
  logDir: string;
  tone: number;
  autoAnswer: boolean;
  audioCodecs?: string[];
}

/** Sends one PUBLISH as `account` over UDP to `kamailio` and resolves with the final status. */
async function publish(
  kamailio: Kamailio,
  account: LabAccount,
  event: string,
  contentType: string,
  body: string,
  expires: number,
): Promise<number> {
  const client = await SipUdpClient.listen({
    serverHost: kamailio.host,
    serverPort: kamailio.udpPort,
    aor: account.uri,
  });
  try {
    const res = await client.requestWithAuth(
      {
        method: 'PUBLISH',
        uri: account.uri,
        to: account.uri,
        headers: [
          ['Event', event],
          ['Expires', String(expires)],
        ],
        body,
        contentType,
      },
      { user: account.user, password: account.password },
    );
    return res.status ?? 0;
  } finally {
    await client.close();
  }
}

/**
 * Starts the lab and resolves once everything is ready: rtpengine answers ng ping, each Kamailio
 * accepts a WebSocket handshake and answers OPTIONS over UDP, each baresip and linphonec phone is
 * registered. If anything fails to start, whatever did start is stopped and the logs are kept.
 */
export async function startLab(opts: StartLabOptions = {}): Promise<Lab> {
  const domains = opts.domains ?? ['lab.test'];
  const firstDomain = domains[0];
  if (firstDomain === undefined) {
    throw new Error('startLab: at least one domain is required');
  }
  const users = [...(opts.accounts ?? ['alice', 'bob', 'carol', 'dave'])];
  for (const u of opts.forwardSubscribe ?? []) {
    if (!users.includes(u)) {
      users.push(u);
    }
  }
  const bareSpecs: BaresipSpec[] =
    typeof opts.baresip === 'number'
      ? Array.from({ length: opts.baresip }, () => ({}))
      : (opts.baresip ?? []);
  const linSpecs: LinphoneSpec[] =
    typeof opts.linphone === 'number'
      ? Array.from({ length: opts.linphone }, () => ({}))
      : (opts.linphone ?? []);
  const logDir = makeLogDir(opts.name ?? 'lab');

  const accounts = domains.flatMap((domain) => users.map((user) => newAccount(user, domain)));
  // Unless a test made `voicemail` a regular account, it is a service account (not in `accounts`).
  const services = users.includes(VOICEMAIL_USER)
    ? []
    : domains.map((domain) => newAccount(VOICEMAIL_USER, domain));
  const bares = bareSpecs.map((spec, i) => ({
    spec,
    account: newAccount(
      `bare${i + 1}`,
      phoneDomain('baresip', spec.domain ?? firstDomain, domains),
    ),
    tone: spec.tone ?? DEFAULT_TONES[i % DEFAULT_TONES.length] ?? 440,
  }));
  const lins = linSpecs.map((spec, i) => ({
    spec,
    account: newAccount(
      `lin${i + 1}`,
      phoneDomain('linphone', spec.domain ?? firstDomain, domains),
    ),
    tone: spec.tone ?? DEFAULT_LINPHONE_TONES[i % DEFAULT_LINPHONE_TONES.length] ?? 1200,
  }));
  const allAccounts = [...accounts, ...bares.map((p) => p.account), ...lins.map((p) => p.account)];
  const credentialsOf = (domain: string): LabCredentials[] =>
    [...allAccounts, ...services]
      .filter((a) => a.domain === domain)
      .map((a) => ({ user: a.user, password: a.password }));

  let rtpengine: Rtpengine | undefined;
  const kamailios: Kamailio[] = [];
  const extraKamailios: Kamailio[] = [];
  const baresips: Baresip[] = [];
  const linphones: Linphone[] = [];
  const fronts: WsFront[] = [];
  const notifiers: SippNotifier[] = [];
  const callers: SippCaller[] = [];
  const namespaces: LabNetns[] = [];
  let stopped: Promise<void> | undefined;

  const stopAll = async (): Promise<void> => {
    const results = await Promise.allSettled([
      ...fronts.map((f) => f.stop()),
      ...baresips.map((b) => b.stop()),
      ...linphones.map((l) => l.stop()),
      ...notifiers.map((n) => n.stop()),
      ...callers.map((c) => c.stop()),
    ]);
    results.push(
      ...(await Promise.allSettled([...kamailios, ...extraKamailios].map((k) => k.stop()))),
    );
    if (rtpengine !== undefined) {
      results.push(...(await Promise.allSettled([rtpengine.stop()])));
    }
    for (const ns of namespaces) {
      ns.destroy();
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
    const features = kamailioFeatures(opts);
    const kamailioBase = (domain: string): KamailioOptions => ({
      domain,
      accounts: credentialsOf(domain),
      logDir,
      ...features,
      ...(ng !== undefined ? { rtpengineNg: ng } : {}),
      ...(opts.minSE !== undefined ? { minSE: opts.minSE } : {}),
      ...(opts.inviteTimeoutSec !== undefined ? { inviteTimeoutSec: opts.inviteTimeoutSec } : {}),
    });
    const started = await Promise.allSettled(
      domains.map((domain) => startKamailio(kamailioBase(domain))),
    );
    collect(started, kamailios);
    // Keep the Kamailios in `domains` order.
    kamailios.sort((a, b) => domains.indexOf(a.domain) - domains.indexOf(b.domain));
    const kamailioOf = (domain: string): Kamailio => {
      const k = kamailios[domains.indexOf(domain)];
      if (k === undefined) {
        throw new Error(`lab: no Kamailio for domain ${domain}`);
      }
      return k;
    };
    for (const a of [...allAccounts, ...services]) {
      a.wsUrl = kamailioOf(a.domain).wsUrl;
    }
    const phoneBase = (p: {
      account: LabAccount;
      tone: number;
      spec: { autoAnswer?: boolean; audioCodecs?: string[] };
    }): PhoneBase => ({
      user: p.account.user,
      password: p.account.password,
      domain: p.account.domain,
      kamailioUdpPort: kamailioOf(p.account.domain).udpPort,
      logDir,
      tone: p.tone,
      autoAnswer: p.spec.autoAnswer ?? false,
      ...(p.spec.audioCodecs !== undefined ? { audioCodecs: p.spec.audioCodecs } : {}),
    });
    const phoneResults = await Promise.allSettled(bares.map((p) => startBaresip(phoneBase(p))));
    const linResults = await Promise.allSettled(
      lins.map((p) =>
        startLinphone({
          ...phoneBase(p),
          ...(p.spec.dtmf !== undefined ? { dtmf: p.spec.dtmf } : {}),
          ...(p.spec.playFile !== undefined ? { playFile: p.spec.playFile } : {}),
        }),
      ),
    );
    collect(phoneResults, baresips);
    collect(linResults, linphones);
    // Keep the phones in bare1, bare2, … and lin1, lin2, … order.
    baresips.sort((a, b) => Number(a.user.slice(4)) - Number(b.user.slice(4)));
    linphones.sort((a, b) => Number(a.user.slice(3)) - Number(b.user.slice(3)));

    const kamailio = kamailios[0];
    if (kamailio === undefined) {
      throw new Error('startLab: no Kamailio started');
    }
    const accountOf = (user: string, domain = firstDomain): LabAccount => {
      const found = allAccounts.find((a) => a.user === user && a.domain === domain);
      if (found === undefined) {
        throw new Error(`lab: no account ${user}@${domain}`);
      }
      return found;
    };
    const lab: Lab = {
      kamailios,
      kamailio,
      rtpengine,
      wsUrl: kamailio.wsUrl,
      domain: firstDomain,
      domains,
      accounts,
      baresipAccounts: bares.map((p) => p.account),
      baresips,
      linphoneAccounts: lins.map((p) => p.account),
      linphones,
      logDir,
      account: accountOf,
      kamailioFor: kamailioOf,
      async startWsFront(frontOpts = {}) {
        const front = await startWsFront({
          upstreamUrl: kamailioOf(frontOpts.domain ?? firstDomain).wsUrl,
          ...(frontOpts.mode !== undefined ? { mode: frontOpts.mode } : {}),
        });
        fronts.push(front);
        return front;
      },
      async startSippNotifier(notifierOpts) {
        const account = accountOf(notifierOpts.user, notifierOpts.domain);
        const notifier = await startSippNotifier({
          ...notifierOpts,
          password: account.password,
          domain: account.domain,
          kamailioUdpPort: kamailioOf(account.domain).udpPort,
          logDir,
        });
        notifiers.push(notifier);
        return notifier;
      },
      async startSippCaller(callerOpts) {
        const account = accountOf(callerOpts.user, callerOpts.domain);
        const caller = await startSippCaller({
          ...callerOpts,
          password: account.password,
          domain: account.domain,
          kamailioUdpPort: kamailioOf(account.domain).udpPort,
          logDir,
        });
        callers.push(caller);
        return caller;
      },
      sendMwiNotify(mwi) {
        const domain = mwi.domain ?? firstDomain;
        const service = [...services, ...accounts].find(
          (a) => a.domain === domain && a.user === VOICEMAIL_USER,
        );
        if (service === undefined) {
          throw new Error(`lab: no domain ${domain}`);
        }
        return sendMwiNotify({
          user: service.user,
          password: service.password,
          domain,
          kamailioUdpPort: kamailioOf(domain).udpPort,
          logDir,
          to: mwi.to,
          newMessages: mwi.newMessages,
          oldMessages: mwi.oldMessages,
          ...(mwi.subscriptionState !== undefined
            ? { subscriptionState: mwi.subscriptionState }
            : {}),
        });
      },
      publishMwi(mwi) {
        const account = accountOf(mwi.user, mwi.domain);
        const body = [
          `Messages-Waiting: ${mwi.newMessages > 0 ? 'yes' : 'no'}`,
          `Message-Account: ${account.uri}`,
          `Voice-Message: ${mwi.newMessages}/${mwi.oldMessages} (0/0)`,
          '',
        ].join('\r\n');
        return publish(
          kamailioOf(account.domain),
          account,
          'message-summary',
          'application/simple-message-summary',
          body,
          mwi.expires ?? 3600,
        );
      },
      publishPresence(p) {
        const account = accountOf(p.user, p.domain);
        return publish(
          kamailioOf(account.domain),
          account,
          'presence',
          'application/pidf+xml',
          pidf(account.uri, p.basic, p.note),
          p.expires ?? 3600,
        );
      },
      createNetns(nsOpts) {
        const ns = createNetns(nsOpts);
        namespaces.push(ns);
        return ns;
      },
      async startExtraKamailio(extra) {
        const domain = extra.domain ?? firstDomain;
        // rtpengine listens on the root namespace's loopback, out of a namespace's reach.
        const { rtpengineNg, ...base } = kamailioBase(domain);
        const k = await startKamailio({
          ...base,
          ...(extra.netns === undefined && rtpengineNg !== undefined ? { rtpengineNg } : {}),
          name: `kamailio-${domain}-${extraKamailios.length + 2}`,
          ...extra,
          domain,
        });
        extraKamailios.push(k);
        return k;
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
