// SIPp in the lab: an early-media phone (183 + a PCMU tone before 200 OK), subscription notifiers
// that answer a refresh with 481 or end the subscription with `terminated;retry-after`, and an
// unsolicited MWI NOTIFY sender. Each UAS is registered by a second SIPp run (digest auth) that
// binds the user's AOR to the UAS's UDP port. Scenarios are generated into the lab's log dir.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, freePortRange, LAB_HOST } from './ports';
import { spawnLabProcess, waitFor, type LabProcess } from './process';
import { parseSipMessage, type SipMessage } from '../support/sip-client';

/** Options for {@link startEarlyMediaPhone}. */
export interface EarlyMediaPhoneOptions extends SippAccount {
  /** Tone played as early media, Hz (default 1000). */
  tone?: number;
  /** How long the early media plays before 200 OK, ms (default 4000). */
  earlyMs?: number;
  /** Calls to take before exiting (default 3). */
  calls?: number;
}

/** A running early-media phone. */
export interface EarlyMediaPhone {
  user: string;
  uri: string;
  /** The UAS's message log (SIPp -trace_msg). */
  messages(): string;
  stop(): Promise<void>;
}

/** G.711 µ-law encoding of one 16-bit linear sample. */
export function muLaw(sample: number): number {
  const BIAS = 0x84;
  const sign = sample < 0 ? 0x80 : 0;
  let magnitude = Math.min(32635, Math.abs(sample)) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) {
    exponent -= 1;
  }
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  magnitude = ~(sign | (exponent << 4) | mantissa) & 0xff;
  return magnitude;
}

/** Raw PCMU (8 kHz µ-law) of a sine tone. */
export function pcmuTone(freq: number, seconds: number, amplitude = 0.5): Buffer {
  const n = Math.round(seconds * 8000);
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i += 1) {
    out[i] = muLaw(Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * freq * i) / 8000)));
  }
  return out;
}

/** SDP of a SIPp phone: PCMU and telephone-event on SIPp's media port (its `-mp`). */
export const SIPP_PCMU_SDP = `v=0
o=sipp 1 1 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=sendrecv
`;

function response(status: string, withSdp: boolean): string {
  return `<![CDATA[
SIP/2.0 ${status}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
[last_Record-Route:]
Contact: <sip:[local_ip]:[local_port];transport=[transport]>
${withSdp ? `Content-Type: application/sdp\nContent-Length: [len]\n\n${SIPP_PCMU_SDP}` : 'Content-Length: 0\n'}
]]>`;
}

function uasScenario(toneFile: string, earlyMs: number): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="early media phone">
  <recv request="INVITE" crlf="true"/>
  <send>${response('100 Trying', false)}</send>
  <send>${response('183 Session Progress', true)}</send>
  <nop><action><exec rtp_stream="${toneFile},-1,0"/></action></nop>
  <pause milliseconds="${earlyMs}"/>
  <send retrans="500">${response('200 OK', true)}</send>
  <recv request="ACK" crlf="true"/>
  <recv request="BYE"/>
  <send>${response('200 OK', false)}</send>
</scenario>
`;
}

/** A REGISTER with digest auth binding `user@domain` to 127.0.0.1:`contactPort` (SIPp scenario). */
export function registerScenario(user: string, domain: string, contactPort: number): string {
  const head = (cseq: number): string => `REGISTER sip:${domain} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:${user}@${domain}>;tag=[pid]SIPpReg
To: <sip:${user}@${domain}>
Call-ID: [call_id]
CSeq: ${cseq} REGISTER
Contact: <sip:${user}@${LAB_HOST}:${contactPort}>
Max-Forwards: 70
Expires: 3600`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="register">
  <send retrans="500"><![CDATA[
${head(1)}
Content-Length: 0

]]></send>
  <recv response="401" auth="true"/>
  <send retrans="500"><![CDATA[
${head(2)}
[authentication username=${user}]
Content-Length: 0

]]></send>
  <recv response="200"/>
</scenario>
`;
}

/** Account and server of a SIPp user. */
export interface SippAccount {
  user: string;
  password: string;
  domain: string;
  /** The lab Kamailio's UDP port on 127.0.0.1. */
  kamailioUdpPort: number;
  /** Where scenarios and logs go. */
  logDir: string;
}

/** Arguments of a one-shot SIPp UAC run of `scenario` toward Kamailio, authenticating as `account`. */
async function uacArgs(
  account: SippAccount,
  scenario: string,
  extra: string[] = [],
): Promise<string[]> {
  return [
    `${LAB_HOST}:${account.kamailioUdpPort}`,
    '-sf',
    scenario,
    '-i',
    LAB_HOST,
    '-p',
    String(await freePort('udp')),
    '-au',
    account.user,
    '-ap',
    account.password,
    '-m',
    '1',
    '-timeout',
    '15',
    '-timeout_error',
    '-nostdin',
    ...extra,
  ];
}

/**
 * Registers `user` with its Contact at 127.0.0.1:`contactPort` (where a SIPp UAS listens) by
 * running a one-shot SIPp UAC; resolves when the 200 OK arrived, rejects with SIPp's output.
 */
export async function registerSippUser(account: SippAccount, contactPort: number): Promise<void> {
  const file = join(account.logDir, `${account.user}-reg.xml`);
  writeFileSync(file, registerScenario(account.user, account.domain, contactPort));
  const reg = spawnLabProcess({
    name: `sipp-reg(${account.user})`,
    command: 'sipp',
    args: await uacArgs(account, file),
    logFile: join(account.logDir, `${account.user}-reg.out`),
  });
  const outcome = await reg.exited;
  if (outcome.code !== 0) {
    throw new Error(
      `SIPp could not register ${account.user} (exit ${String(outcome.code)}):\n${reg.readLog()}`,
    );
  }
}

/** One message of a SIPp message log (`-trace_msg`). */
export interface SippTraceEntry {
  dir: 'sent' | 'received';
  message: SipMessage;
}

/** Parses SIPp's `-trace_msg` log ("UDP message received [N] bytes :" / "UDP message sent (N bytes):" blocks). */
export function parseSippTrace(log: string): SippTraceEntry[] {
  const out: SippTraceEntry[] = [];
  const blocks = log.split(/^-{20,}.*$/m);
  for (const block of blocks) {
    const m =
      /^\s*\w+ message (sent|received) (?:\[\d+\] bytes :|\(\d+ bytes\):)\n\n([\s\S]*)$/m.exec(
        block,
      );
    if (m === null) {
      continue;
    }
    const text = (m[2] ?? '').replace(/\r?\n/g, '\r\n').replace(/(\r\n)+$/, '');
    if (!/^(SIP\/2\.0 \d{3}|[A-Z]+ \S+ SIP\/2\.0)/.test(text)) {
      continue;
    }
    const full = text.includes('\r\n\r\n') ? `${text}\r\n` : `${text}\r\n\r\n`;
    out.push({ dir: m[1] === 'sent' ? 'sent' : 'received', message: parseSipMessage(full) });
  }
  return out;
}

/** The errors and warnings SIPp wrote to its output (its "date\ttime\tepoch: message" lines), deduplicated. */
export function sippErrors(output: string): string[] {
  const lines = output.matchAll(/^\d{4}-\d\d-\d\d\t[\d:.]+\t[\d.]+: (.*)$/gm);
  return [...new Set([...lines].map((m) => m[1] ?? ''))];
}

/** The text of `file`, '' when it does not exist (yet). */
export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Starts the early-media phone and resolves once it is registered. */
export async function startEarlyMediaPhone(opts: EarlyMediaPhoneOptions): Promise<EarlyMediaPhone> {
  const dir = opts.logDir;
  const toneFile = join(dir, `${opts.user}-tone.pcmu`);
  writeFileSync(toneFile, pcmuTone(opts.tone ?? 1000, 30));
  writeFileSync(join(dir, `${opts.user}-uas.xml`), uasScenario(toneFile, opts.earlyMs ?? 4000));
  const sipPort = await freePort('udp');
  const media = await freePortRange(4, 'udp');
  const uasLog = join(dir, `${opts.user}-uas.log`);
  const uas: LabProcess = spawnLabProcess({
    name: `sipp-uas(${opts.user})`,
    command: 'sipp',
    args: [
      '-sf',
      join(dir, `${opts.user}-uas.xml`),
      '-i',
      LAB_HOST,
      '-p',
      String(sipPort),
      '-mi',
      LAB_HOST,
      '-mp',
      String(media.min),
      '-m',
      String(opts.calls ?? 3),
      '-nostdin',
      '-trace_msg',
      '-message_file',
      uasLog,
    ],
    logFile: join(dir, `${opts.user}-uas.out`),
  });
  try {
    await registerSippUser(opts, sipPort);
  } catch (error) {
    await uas.stop();
    throw error;
  }
  await waitFor(() => uas.running, { what: 'SIPp UAS running', process: uas, timeoutMs: 15_000 });
  return {
    user: opts.user,
    uri: `sip:${opts.user}@${opts.domain}`,
    messages: () => readText(uasLog),
    stop: () => uas.stop(),
  };
}

/** Event packages a {@link startSippNotifier} serves. */
export type SippNotifierEvent = 'presence' | 'dialog' | 'message-summary';

/**
 * What a notifier does after its first NOTIFY (`active`):
 * - 'refresh-481': answers the subscriber's refresh SUBSCRIBE with `481 Call/Transaction Does Not Exist`
 *   (as a notifier that lost the subscription, e.g. after a restart, does);
 * - 'terminate': after `terminateAfterMs`, sends `Subscription-State: terminated;reason=<reason>;retry-after=<retryAfter>`.
 * Every new SUBSCRIBE (new Call-ID) starts the scenario again, so a resubscription gets the same treatment.
 */
export type SippNotifierMode = 'refresh-481' | 'terminate';

/** Options for {@link startSippNotifier}. */
export interface SippNotifierOptions extends SippAccount {
  mode: SippNotifierMode;
  /** Event package of the NOTIFYs and of their body (default 'dialog'). */
  event?: SippNotifierEvent;
  /** Serve several event packages, each SUBSCRIBE in its own (overrides `event`). */
  events?: readonly SippNotifierEvent[];
  /** Expires granted in the 200 OK and the first NOTIFY (default 60). */
  expires?: number;
  /** 'terminate': ms between the first NOTIFY's 200 and the terminating NOTIFY (default 0). */
  terminateAfterMs?: number;
  /** 'terminate': the reason parameter (default 'timeout'; RFC 6665 also has deactivated, probation, rejected, noresource, giveup). */
  reason?: string;
  /** 'terminate': the retry-after parameter in seconds (default 2; null leaves it out). */
  retryAfter?: number | null;
  /** Subscriptions to serve before SIPp exits (default 100). */
  subscriptions?: number;
}

/** A running SIPp notifier. */
export interface SippNotifier {
  user: string;
  uri: string;
  /** SIPp's raw message log. */
  messages(): string;
  /** Messages sent and received so far, parsed. */
  trace(): SippTraceEntry[];
  /** Resolves with the first traced message (index >= `fromIndex`) matching `pred`; rejects after `timeoutMs`. */
  waitForTrace(
    pred: (e: SippTraceEntry) => boolean,
    timeoutMs?: number,
    fromIndex?: number,
  ): Promise<SippTraceEntry>;
  stop(): Promise<void>;
}

/** The body of a NOTIFY for `event` (an idle/neutral state of the entity). */
export function notifierBody(
  event: SippNotifierEvent,
  entity: string,
): { type: string; body: string } {
  switch (event) {
    case 'presence':
      return {
        type: 'application/pidf+xml',
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="${entity}"><tuple id="sipp"><status><basic>open</basic></status></tuple></presence>`,
      };
    case 'message-summary':
      return {
        type: 'application/simple-message-summary',
        body: `Messages-Waiting: no\nMessage-Account: ${entity}\nVoice-Message: 0/0 (0/0)`,
      };
    case 'dialog':
      return {
        type: 'application/dialog-info+xml',
        body: `<?xml version="1.0"?>\n<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="[cseq]" state="full" entity="${entity}"/>`,
      };
  }
}

function notify(
  opts: { event: SippNotifierEvent; entity: string; cseq: number },
  state: string,
): string {
  const { type, body } = notifierBody(opts.event, opts.entity);
  // [next_url] is the subscriber's Contact and [routes] the Record-Route set of the SUBSCRIBE
  // (kept in order: this is the UAS side); SIPp drops the Route line when there is none.
  return `<![CDATA[
NOTIFY [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: [$to];tag=[pid]SIPpNtf[call_number]
To: [$from]
Call-ID: [call_id]
CSeq: ${opts.cseq} NOTIFY
Contact: <sip:[local_ip]:[local_port]>
Max-Forwards: 70
Event: ${opts.event}
Subscription-State: ${state}
Content-Type: ${type}
Content-Length: [len]

${body.replace('[cseq]', String(opts.cseq))}
]]>`;
}

function subscribeResponse(status: string, opts: { expires?: number; addTag: boolean }): string {
  return `<![CDATA[
SIP/2.0 ${status}
[last_Via:]
[last_From:]
[last_To:]${opts.addTag ? ';tag=[pid]SIPpNtf[call_number]' : ''}
[last_Call-ID:]
[last_CSeq:]
[last_Record-Route:]
Contact: <sip:[local_ip]:[local_port]>
${opts.expires === undefined ? '' : `Expires: ${opts.expires}\n`}Content-Length: 0

]]>`;
}

/** Label of the notifier's end with an error: a subscriber answered a NOTIFY with 481. */
const REFUSED = 'notify-refused';

/** The notifier's error exit (jumped over by a scenario that served its subscription). */
const refusedTail = `  <nop next="served"/>
  <label id="${REFUSED}"/>
  <nop>
    <action><error message="the subscriber answered a NOTIFY with 481 (RFC 6665 4.1.2.4: a NOTIFY may come before the 200 to its SUBSCRIBE)"/></action>
  </nop>
  <label id="served"/>
`;

/** What a notifier does for one event package: the `active` NOTIFY, then its mode's tail. */
function notifierBranch(
  opts: {
    mode: SippNotifierMode;
    entity: string;
    expires: number;
    terminateAfterMs: number;
    reason: string;
    retryAfter: number | null;
  },
  event: SippNotifierEvent,
): string {
  const active = notify({ event, entity: opts.entity, cseq: 1 }, `active;expires=${opts.expires}`);
  const tail =
    opts.mode === 'refresh-481'
      ? `  <recv request="SUBSCRIBE"/>
  <send>${subscribeResponse('481 Call/Transaction Does Not Exist', { addTag: false })}</send>
`
      : `  <pause milliseconds="${opts.terminateAfterMs}"/>
  <send retrans="500">${notify(
    { event, entity: opts.entity, cseq: 2 },
    `terminated;reason=${opts.reason}${opts.retryAfter === null ? '' : `;retry-after=${opts.retryAfter}`}`,
  )}</send>
  <recv response="481" optional="true" next="${REFUSED}"/>
  <recv response="200"/>
`;
  // The NOTIFY can overtake the 200 to the SUBSCRIBE (the proxy relays them from different
  // processes). A subscriber must take it all the same (RFC 6665 §4.1.2.4; the app holds it
  // until the 200, notify-reorder.ts): a 481 to any NOTIFY ends the notifier with an error.
  return `  <send retrans="500">${active}</send>
  <recv response="481" optional="true" next="${REFUSED}"/>
  <recv response="200"/>
${tail}`;
}

/**
 * SIPp UAS scenario of a notifier; see {@link SippNotifierMode}. With several `events` (a busy
 * lamp subscribes to 'dialog' and 'presence' of the same user), each SUBSCRIBE is served in the
 * event package its Event header names (the first one when it names none of them).
 */
export function notifierScenario(opts: {
  mode: SippNotifierMode;
  events: readonly SippNotifierEvent[];
  entity: string;
  expires: number;
  terminateAfterMs: number;
  reason: string;
  retryAfter: number | null;
}): string {
  const [first = 'dialog', ...others] = opts.events;
  const match = others
    .map(
      (event, i) =>
        `      <ereg regexp="${event}" search_in="hdr" header="Event:" check_it="false" assign_to="ev${i + 1}"/>
`,
    )
    .join('');
  const jumps = others
    .map(
      (_, i) => `  <nop next="ev${i + 1}" test="ev${i + 1}"/>
`,
    )
    .join('');
  const branches = others
    .map(
      (event, i) =>
        `  <nop next="done"/>
  <label id="ev${i + 1}"/>
${notifierBranch(opts, event)}`,
    )
    .join('');
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="notifier ${opts.mode}">
  <recv request="SUBSCRIBE" rrs="true" crlf="true">
    <action>
      <ereg regexp=".*" search_in="hdr" header="From:" check_it="true" assign_to="from"/>
      <ereg regexp=".*" search_in="hdr" header="To:" check_it="true" assign_to="to"/>
${match}    </action>
  </recv>
  <send>${subscribeResponse('200 OK', { expires: opts.expires, addTag: true })}</send>
${jumps}${notifierBranch(opts, first)}${branches}${others.length > 0 ? '  <label id="done"/>\n' : ''}${refusedTail}</scenario>
`;
}

/**
 * Starts a SIPp notifier registered as `user` (give Kamailio `forwardSubscribe: [user]` when
 * presence is on, so SUBSCRIBEs to it reach SIPp instead of the presence server). It answers
 * each SUBSCRIBE with 200 and an `active` NOTIFY, then behaves as `mode` says.
 */
export async function startSippNotifier(opts: SippNotifierOptions): Promise<SippNotifier> {
  const dir = opts.logDir;
  const stem = `${opts.user}-notifier`;
  const entity = `sip:${opts.user}@${opts.domain}`;
  writeFileSync(
    join(dir, `${stem}.xml`),
    notifierScenario({
      mode: opts.mode,
      events: opts.events ?? [opts.event ?? 'dialog'],
      entity,
      expires: opts.expires ?? 60,
      terminateAfterMs: opts.terminateAfterMs ?? 0,
      reason: opts.reason ?? 'timeout',
      retryAfter: opts.retryAfter === undefined ? 2 : opts.retryAfter,
    }),
  );
  const sipPort = await freePort('udp');
  const messageLog = join(dir, `${stem}-messages.log`);
  const uas = spawnLabProcess({
    name: `sipp-notifier(${opts.user})`,
    command: 'sipp',
    args: [
      '-sf',
      join(dir, `${stem}.xml`),
      '-i',
      LAB_HOST,
      '-p',
      String(sipPort),
      '-m',
      String(opts.subscriptions ?? 100),
      '-nostdin',
      '-trace_msg',
      '-message_file',
      messageLog,
    ],
    logFile: join(dir, `${stem}.out`),
  });
  try {
    await registerSippUser(opts, sipPort);
    await waitFor(() => uas.running, {
      what: 'SIPp notifier running',
      process: uas,
      timeoutMs: 15_000,
    });
  } catch (error) {
    await uas.stop();
    throw error;
  }
  const trace = (): SippTraceEntry[] => parseSippTrace(readText(messageLog));
  return {
    user: opts.user,
    uri: entity,
    messages: () => readText(messageLog),
    trace,
    waitForTrace: async (pred, timeoutMs = 10_000, fromIndex = 0) => {
      try {
        return await waitFor(() => trace().slice(fromIndex).find(pred), {
          what: `SIPp notifier ${opts.user}: a matching message`,
          timeoutMs,
          intervalMs: 50,
          process: uas,
        });
      } catch (error) {
        // Ended early, e.g. by a 481 to its NOTIFY: say why.
        const errors = sippErrors(uas.readLog());
        throw uas.running || errors.length === 0
          ? error
          : new Error(`SIPp notifier ${opts.user} ended: ${errors.join('; ')}`);
      }
    },
    stop: () => uas.stop(),
  };
}

/** Options for {@link sendMwiNotify}. */
export interface MwiNotifyOptions extends SippAccount {
  /** Recipient user (in `domain`); the NOTIFY is sent through Kamailio to its registered phones. */
  to: string;
  /** New and old voice messages (RFC 3842 `Voice-Message: new/old`). */
  newMessages: number;
  oldMessages: number;
  /** Message-Account (default sip:<to>@<domain>). */
  account?: string;
  /** Subscription-State header (default 'active'; null leaves it out, as some PBXes do). */
  subscriptionState?: string | null;
}

/** Result of {@link sendMwiNotify}. */
export interface MwiNotifyResult {
  /** Final status Kamailio/the phone answered (after the 407 challenge). */
  status: number;
  /** The NOTIFY as sent (with credentials). */
  sent: SipMessage;
}

/** SIPp UAC scenario: an out-of-dialog NOTIFY (Event: message-summary), answering the proxy's 407. */
export function mwiNotifyScenario(opts: {
  from: string;
  to: string;
  domain: string;
  body: string;
  subscriptionState: string | null;
}): string {
  const head = (cseq: number): string => `NOTIFY sip:${opts.to}@${opts.domain} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:${opts.from}@${opts.domain}>;tag=[pid]SIPpMwi[call_number]
To: <sip:${opts.to}@${opts.domain}>
Call-ID: [call_id]
CSeq: ${cseq} NOTIFY
Contact: <sip:${opts.from}@[local_ip]:[local_port]>
Max-Forwards: 70
Event: message-summary
${opts.subscriptionState === null ? '' : `Subscription-State: ${opts.subscriptionState}\n`}Content-Type: application/simple-message-summary`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="unsolicited MWI NOTIFY">
  <send retrans="500"><![CDATA[
${head(1)}
Content-Length: [len]

${opts.body}
]]></send>
  <recv response="407" auth="true"/>
  <send retrans="500"><![CDATA[
${head(2)}
[authentication username=${opts.from}]
Content-Length: [len]

${opts.body}
]]></send>
  <recv response="200"/>
</scenario>
`;
}

/**
 * Sends one unsolicited MWI NOTIFY (out of any subscription, as many PBXes do) from `user` to
 * `to` through the lab Kamailio, authenticating as `user`. Resolves with the final status
 * (200 when a phone of `to` took it; 404 when `to` is not registered, …).
 */
export async function sendMwiNotify(opts: MwiNotifyOptions): Promise<MwiNotifyResult> {
  const account = opts.account ?? `sip:${opts.to}@${opts.domain}`;
  const body = [
    `Messages-Waiting: ${opts.newMessages > 0 ? 'yes' : 'no'}`,
    `Message-Account: ${account}`,
    `Voice-Message: ${opts.newMessages}/${opts.oldMessages} (0/0)`,
  ].join('\n');
  const stem = `${opts.user}-mwi-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const file = join(opts.logDir, `${stem}.xml`);
  writeFileSync(
    file,
    mwiNotifyScenario({
      from: opts.user,
      to: opts.to,
      domain: opts.domain,
      body,
      subscriptionState: opts.subscriptionState === undefined ? 'active' : opts.subscriptionState,
    }),
  );
  const messageLog = join(opts.logDir, `${stem}-messages.log`);
  const uac = spawnLabProcess({
    name: `sipp-mwi(${opts.user}→${opts.to})`,
    command: 'sipp',
    args: await uacArgs(opts, file, ['-trace_msg', '-message_file', messageLog]),
    logFile: join(opts.logDir, `${stem}.out`),
  });
  await uac.exited;
  const trace = parseSippTrace(readText(messageLog));
  const sent = trace.filter((e) => e.dir === 'sent' && e.message.method === 'NOTIFY').at(-1);
  const final = trace.filter((e) => e.dir === 'received' && (e.message.status ?? 0) >= 200).at(-1);
  if (sent === undefined || final === undefined) {
    throw new Error(`SIPp MWI NOTIFY to ${opts.to}: no final response:\n${uac.readLog()}`);
  }
  return { status: final.message.status ?? 0, sent: sent.message };
}
