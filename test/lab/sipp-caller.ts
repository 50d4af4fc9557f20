// A SIPp caller whose ringing call a colleague's phone can pick up (RFC 3891): it registers as a
// lab user, calls another lab phone, and accepts an INVITE with Replaces for that early dialog:
// it answers 200 with SDP (PCMU on SIPp's media port), takes the ACK, CANCELs the original
// INVITE (RFC 3891 §3: the UAC of a replaced early dialog cancels it), streams a PCMU tone
// (`rtp_stream`) and takes the BYE. One SIPp process: the outgoing call is the main scenario,
// the pickup INVITE (a new Call-ID) runs the out-of-call scenario (`-oocsf`); the two meet
// through SIPp global variables (`picked`, `ended`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, freePortRange, LAB_HOST } from './ports';
import { spawnLabProcess, waitFor, type LabProcess, type ProcessExit } from './process';
import {
  parseSippTrace,
  pcmuTone,
  readText,
  registerSippUser,
  SIPP_PCMU_SDP,
  sippErrors,
  type SippAccount,
  type SippTraceEntry,
} from './sipp';

/** Options for {@link startSippCaller}. */
export interface SippCallerOptions extends SippAccount {
  /** The user (in `domain`) to call. */
  to: string;
  /** Tone streamed to whoever picks up, Hz (default 1000). */
  tone?: number;
  /** Longest the call rings unanswered, and longest the picked-up call lasts, s (default 90 each). */
  holdSec?: number;
}

/** A running SIPp caller. */
export interface SippCaller {
  user: string;
  uri: string;
  /** SIPp's media (RTP) port: the port of its SDP, where the picked-up call's audio arrives. */
  mediaPort: number;
  /** Messages sent and received so far, parsed (both the call and the pickup). */
  trace(): SippTraceEntry[];
  /** Resolves with the first traced message (index >= `fromIndex`) matching `pred`; rejects after `timeoutMs`. */
  waitForTrace(
    pred: (e: SippTraceEntry) => boolean,
    timeoutMs?: number,
    fromIndex?: number,
  ): Promise<SippTraceEntry>;
  /** Resolves when SIPp exits: code 0 when the call was picked up, cancelled and ended by a BYE. */
  exited: Promise<ProcessExit>;
  /** The errors and warnings SIPp reported (e.g. "no pickup came while the call rang"). */
  errors(): string[];
  stop(): Promise<void>;
}

interface ScenarioParams {
  user: string;
  to: string;
  domain: string;
  /** Loop rounds of 100 ms before giving up waiting for the pickup, and for its end. */
  rounds: number;
}

function callerHeaders(p: ScenarioParams, method: string, cseq: number): string {
  return `From: <sip:${p.user}@${p.domain}>;tag=[pid]SIPpCaller[call_number]
Call-ID: [call_id]
CSeq: ${cseq} ${method}
Max-Forwards: 70`;
}

function invite(p: ScenarioParams, cseq: number, auth: boolean): string {
  return `<send retrans="500"><![CDATA[
INVITE sip:${p.to}@${p.domain} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
To: <sip:${p.to}@${p.domain}>
${callerHeaders(p, 'INVITE', cseq)}
Contact: <sip:${p.user}@[local_ip]:[local_port]>
${auth ? `[authentication username=${p.user}]\n` : ''}Content-Type: application/sdp
Content-Length: [len]

${SIPP_PCMU_SDP}
]]></send>`;
}

// ACK of a non-2xx final response: the INVITE's Via (the response carries it) and the To tag.
function ackOfFailure(p: ScenarioParams, cseq: number): string {
  return `<send><![CDATA[
ACK sip:${p.to}@${p.domain} SIP/2.0
[last_Via:]
[last_To:]
${callerHeaders(p, 'ACK', cseq)}
Content-Length: 0

]]></send>`;
}

/** `<nop>`s that loop every 100 ms until the global `flag` is 1 (→ `next`), at most `rounds` times (→ `late`). */
function waitForGlobal(
  flag: string,
  label: string,
  next: string,
  late: string,
  rounds: number,
): string {
  return `  <label id="${label}"/>
  <pause milliseconds="100"/>
  <nop>
    <action>
      <test assign_to="${label}_go" variable="${flag}" compare="equal" value="1"/>
      <add assign_to="${label}_rounds" value="1"/>
      <test assign_to="${label}_late" variable="${label}_rounds" compare="greater_than" value="${String(rounds)}"/>
    </action>
  </nop>
  <nop next="${next}" test="${label}_go"/>
  <nop next="${late}" test="${label}_late"/>
  <nop next="${label}"/>
`;
}

/**
 * The caller's main (UAC) scenario: INVITE `to` (answering the proxy's 407), wait while it rings
 * until the pickup scenario set `picked`, CANCEL the ringing INVITE, then stay until the pickup
 * scenario set `ended` (SIPp exits when its main call ends, which would cut the picked-up call).
 * A pickup that never comes still CANCELs after the bound, and ends the run with an error.
 */
export function callerScenario(p: ScenarioParams): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="caller whose ringing call is picked up">
  <Global variables="picked,ended"/>
  ${invite(p, 1, false)}
  <recv response="100" optional="true"/>
  <recv response="407" auth="true"/>
  ${ackOfFailure(p, 1)}
  ${invite(p, 2, true)}
  <recv response="100" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="180">
    <action>
      <ereg regexp=".*" search_in="hdr" header="Via:" check_it="true" assign_to="via"/>
    </action>
  </recv>
${waitForGlobal('picked', 'ringing', 'cancel', 'cancel', p.rounds)}  <label id="cancel"/>
  <send retrans="500"><![CDATA[
CANCEL sip:${p.to}@${p.domain} SIP/2.0
Via: [$via]
To: <sip:${p.to}@${p.domain}>
${callerHeaders(p, 'CANCEL', 2)}
Content-Length: 0

]]></send>
  <recv response="200"/>
  <recv response="487"/>
  ${ackOfFailure(p, 2)}
  <nop next="talking" test="ringing_go"/>
  <nop>
    <action><error message="no pickup came while the call rang"/></action>
  </nop>
${waitForGlobal('ended', 'talking', 'done', 'hung', p.rounds)}  <label id="hung"/>
  <nop>
    <action><error message="the picked-up call did not end with a BYE"/></action>
  </nop>
  <label id="done"/>
</scenario>
`;
}

function pickupResponse(p: ScenarioParams, status: string, withSdp: boolean): string {
  return `<![CDATA[
SIP/2.0 ${status}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpPickedUp[call_number]
[last_Call-ID:]
[last_CSeq:]
[last_Record-Route:]
Contact: <sip:${p.user}@[local_ip]:[local_port];transport=[transport]>
${withSdp ? `Content-Type: application/sdp\nContent-Length: [len]\n\n${SIPP_PCMU_SDP}` : 'Content-Length: 0\n'}
]]>`;
}

/**
 * The caller's out-of-call scenario: the INVITE with Replaces (one without it fails the
 * scenario) is answered 200 with SDP; after the ACK, `picked` tells the main scenario to CANCEL
 * and the tone streams until the BYE, answered 200; `ended` lets the main scenario finish.
 * Nothing stands between the 200 and the ACK's `recv`: SIPp matches a message against the step
 * its call has reached, and with a step between them an ACK read while SIPp was held off the CPU
 * (a CI run beside `stress-ng`, the ACK 21 ms after the 200) met that step, counted as unexpected,
 * and SIPp ended the call with a BYE.
 */
export function pickupScenario(p: ScenarioParams, toneFile: string): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="caller: accepts the pickup">
  <Global variables="picked,ended"/>
  <recv request="INVITE" crlf="true">
    <action>
      <ereg regexp=".*;early-only" search_in="hdr" header="Replaces:" check_it="true" assign_to="replaces"/>
    </action>
  </recv>
  <send retrans="500">${pickupResponse(p, '200 OK', true)}</send>
  <recv request="ACK" crlf="true"/>
  <nop>
    <action>
      <log message="picked up: Replaces [$replaces]"/>
      <assign assign_to="picked" value="1"/>
      <exec rtp_stream="${toneFile},-1,0"/>
    </action>
  </nop>
  <recv request="BYE"/>
  <send>${pickupResponse(p, '200 OK', false)}</send>
  <nop>
    <action><assign assign_to="ended" value="1"/></action>
  </nop>
</scenario>
`;
}

/**
 * Registers `user` (Contact: the caller's SIPp port) and starts the caller: it dials `to` at
 * once. Resolves when SIPp runs; see {@link callerScenario} and {@link pickupScenario}.
 */
export async function startSippCaller(opts: SippCallerOptions): Promise<SippCaller> {
  const dir = opts.logDir;
  const stem = `${opts.user}-caller-${Date.now()}`;
  const params: ScenarioParams = {
    user: opts.user,
    to: opts.to,
    domain: opts.domain,
    rounds: (opts.holdSec ?? 90) * 10,
  };
  const toneFile = join(dir, `${stem}-tone.pcmu`);
  writeFileSync(toneFile, pcmuTone(opts.tone ?? 1000, 30));
  const mainFile = join(dir, `${stem}.xml`);
  const oocFile = join(dir, `${stem}-pickup.xml`);
  writeFileSync(mainFile, callerScenario(params));
  writeFileSync(oocFile, pickupScenario(params, toneFile));
  const sipPort = await freePort('udp');
  const media = await freePortRange(4, 'udp');
  // Registered first: the pickup INVITE is routed to this Contact, and the call starts at once.
  await registerSippUser(opts, sipPort);
  const messageLog = join(dir, `${stem}-messages.log`);
  const sipp: LabProcess = spawnLabProcess({
    name: `sipp-caller(${opts.user}→${opts.to})`,
    command: 'sipp',
    args: [
      `${LAB_HOST}:${opts.kamailioUdpPort}`,
      '-sf',
      mainFile,
      '-oocsf',
      oocFile,
      '-i',
      LAB_HOST,
      '-p',
      String(sipPort),
      '-mi',
      LAB_HOST,
      '-mp',
      String(media.min),
      '-au',
      opts.user,
      '-ap',
      opts.password,
      '-m',
      '1',
      '-nostdin',
      '-trace_msg',
      '-message_file',
      messageLog,
    ],
    logFile: join(dir, `${stem}.out`),
  });
  const trace = (): SippTraceEntry[] => parseSippTrace(readText(messageLog));
  return {
    user: opts.user,
    uri: `sip:${opts.user}@${opts.domain}`,
    mediaPort: media.min,
    trace,
    waitForTrace: (pred, timeoutMs = 15_000, fromIndex = 0) =>
      waitFor(() => trace().slice(fromIndex).find(pred), {
        what: `SIPp caller ${opts.user}: a matching message`,
        timeoutMs,
        intervalMs: 50,
      }),
    exited: sipp.exited,
    errors: () => sippErrors(sipp.readLog()),
    stop: () => sipp.stop(),
  };
}
