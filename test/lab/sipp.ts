// SIPp as a phone that plays early media: it registers over UDP, answers an INVITE with
// 183 Session Progress + SDP and streams a PCMU tone (RTP) before it sends 200 OK — what PBX
// announcements and carrier ringback do. Two SIPp processes: a UAC that registers the UAS's
// address, and the UAS that takes the calls.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, freePortRange, LAB_HOST } from './ports';
import { spawnLabProcess, waitFor, type LabProcess } from './process';

export interface EarlyMediaPhoneOptions {
  user: string;
  password: string;
  domain: string;
  kamailioUdpPort: number;
  logDir: string;
  /** Tone played as early media, Hz (default 1000). */
  tone?: number;
  /** How long the early media plays before 200 OK, ms (default 4000). */
  earlyMs?: number;
  /** Calls to take before exiting (default 3). */
  calls?: number;
}

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

const SDP = `v=0
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
${withSdp ? `Content-Type: application/sdp\nContent-Length: [len]\n\n${SDP}` : 'Content-Length: 0\n'}
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

function registerScenario(user: string, domain: string, contactPort: number): string {
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
  writeFileSync(
    join(dir, `${opts.user}-reg.xml`),
    registerScenario(opts.user, opts.domain, sipPort),
  );
  const reg = spawnLabProcess({
    name: `sipp-reg(${opts.user})`,
    command: 'sipp',
    args: [
      `${LAB_HOST}:${opts.kamailioUdpPort}`,
      '-sf',
      join(dir, `${opts.user}-reg.xml`),
      '-i',
      LAB_HOST,
      '-p',
      String(await freePort('udp')),
      '-au',
      opts.user,
      '-ap',
      opts.password,
      '-m',
      '1',
      '-nostdin',
    ],
    logFile: join(dir, `${opts.user}-reg.out`),
  });
  const outcome = await reg.exited;
  if (outcome.code !== 0) {
    await uas.stop();
    throw new Error(
      `SIPp could not register ${opts.user} (exit ${String(outcome.code)}):\n${reg.readLog()}`,
    );
  }
  await waitFor(() => uas.running, { what: 'SIPp UAS running', process: uas, timeoutMs: 2000 });
  return {
    user: opts.user,
    uri: `sip:${opts.user}@${opts.domain}`,
    messages: () => {
      try {
        return readFileSync(uasLog, 'utf8');
      } catch {
        return '';
      }
    },
    stop: () => uas.stop(),
  };
}
