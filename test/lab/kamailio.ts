// Lab Kamailio: generated config (WS+UDP registrar/proxy, digest auth, rtpengine bridging), start/stop, readiness, log queries.
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { freePort, LAB_HOST } from './ports';
import { spawnLabProcess, waitFor, type LabProcess } from './process';

/** Directory of Kamailio's modules on Debian. */
export const KAMAILIO_MODULES_DIR = '/usr/lib/x86_64-linux-gnu/kamailio/modules/';

/** A SIP account known to the lab registrar. */
export interface LabCredentials {
  user: string;
  password: string;
}

/** rtpengine ng control address. */
export interface NgAddress {
  host: string;
  port: number;
}

/** Options for {@link startKamailio}. */
export interface KamailioOptions {
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
}

/** A running lab Kamailio. */
export interface Kamailio {
  /** ws://127.0.0.1:P (SIP over WebSocket, subprotocol `sip`). */
  wsUrl: string;
  wsPort: number;
  /** UDP SIP port on 127.0.0.1 (for baresip phones and probes). */
  udpPort: number;
  domain: string;
  /** Kamailio's stderr log (xlog lines `LAB REQ …`, `LAB REPLY …`, `LAB REGISTER from <user>`). */
  logFile: string;
  /** The generated kamailio.cfg. */
  cfgFile: string;
  /** The underlying process. */
  process: LabProcess;
  /** The log so far. */
  readLog(): string;
  /** Number of log lines matching `re` (g/y flags are ignored). */
  countInLog(re: RegExp): number;
  /** Resolves once at least `count` (default 1) log lines match `re`; rejects after `timeoutMs` (default 10 s). */
  waitForLog(re: RegExp, opts?: { count?: number; timeoutMs?: number }): Promise<void>;
  /** Number of REGISTER requests received whose To user is `user` (including challenged ones). */
  registerCount(user: string): number;
  /** Stops Kamailio (SIGTERM, SIGKILL after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * rtpengine flags per direction. "Toward" is the leg the rewritten SDP is sent to.
 * - offer toward plain RTP (baresip): strip ICE, plain RTP/AVP, split rtcp-mux, hide the WebRTC origin.
 * - answer toward WebRTC (Chromium offered): ICE, DTLS-SRTP (we are passive: Chromium offers actpass), accept rtcp-mux.
 * - offer toward WebRTC (baresip called the app): ICE, DTLS-SRTP, offer rtcp-mux (Chromium requires it).
 * - answer toward plain RTP (baresip offered): strip ICE, RTP/AVP, demux RTCP.
 */
export const RTPENGINE_FLAGS = {
  offerToPlain: 'ICE=remove RTP/AVP rtcp-mux-demux replace-origin replace-session-connection',
  answerToWebrtc:
    'ICE=force RTP/SAVPF DTLS=passive rtcp-mux-accept SDES-off replace-origin replace-session-connection',
  offerToWebrtc:
    'ICE=force RTP/SAVPF rtcp-mux-offer SDES-off replace-origin replace-session-connection',
  answerToPlain: 'ICE=remove RTP/AVP rtcp-mux-demux replace-origin replace-session-connection',
} as const;

const SIMPLE_TOKEN = /^[A-Za-z0-9._~+-]+$/;

function checkToken(what: string, value: string): void {
  if (!SIMPLE_TOKEN.test(value)) {
    throw new Error(
      `kamailio: ${what} must match ${String(SIMPLE_TOKEN)}, got ${JSON.stringify(value)}`,
    );
  }
}

/** Inputs of {@link kamailioConfig}. */
export interface KamailioConfigInput extends KamailioOptions {
  wsPort: number;
  udpPort: number;
}

/** Generates the kamailio.cfg text for the lab (exported for debugging and review). */
export function kamailioConfig(input: KamailioConfigInput): string {
  checkToken('domain', input.domain);
  for (const a of input.accounts) {
    checkToken('user', a.user);
    checkToken('password', a.password);
  }
  const children = input.children ?? 4;
  const inviteTimeoutMs = Math.round((input.inviteTimeoutSec ?? 60) * 1000);
  // On reliable transports (WS) tm only checks the INVITE timer when fr_timer ticks, so a
  // no-answer timeout shorter than fr_timer needs fr_timer lowered too.
  const rtpe = input.rtpengineNg !== undefined;
  const passwordCases = input.accounts
    .map((a) => `\t\tcase "${a.user}":\n\t\t\t$var(pw) = "${a.password}";\n\t\t\tbreak;`)
    .join('\n');
  const minSeBlock =
    input.minSE === undefined
      ? ''
      : `
	# Session timers: reject too small intervals (RFC 4028 422).
	if (is_method("INVITE")) {
		$var(se) = -1;
		if (is_present_hf("Session-Expires")) {
			$var(se) = $(hdr(Session-Expires){s.select,0,;}{s.trim}{s.int});
		} else if (is_present_hf("Min-SE")) {
			$var(se) = $(hdr(Min-SE){s.select,0,;}{s.trim}{s.int});
		}
		if ($var(se) >= 0 && $var(se) < ${input.minSE}) {
			xlog("L_INFO", "LAB 422 session interval $var(se) < ${input.minSE} call-id=$ci\\n");
			append_to_reply("Min-SE: ${input.minSE}\\r\\n");
			sl_send_reply("422", "Session Interval Too Small");
			exit;
		}
	}
`;
  return `#!KAMAILIO
# Generated by test/lab/kamailio.ts for the SIP test lab (domain ${input.domain}). Do not edit.

#!define FLT_SRC_WS 1
#!define FLB_DST_WS 2
#!define FLB_RTPE 3

debug=2
log_stderror=yes
log_prefix="{$mt $ci} "
memdbg=5
memlog=5
children=${children}
tcp_children=${children}
auto_aliases=no
dns=no
rev_dns=no
dns_try_ipv6=no
use_dns_cache=off
use_dns_failover=off
listen=udp:${LAB_HOST}:${input.udpPort}
listen=tcp:${LAB_HOST}:${input.wsPort}
alias="${input.domain}"
tcp_accept_no_cl=yes
tcp_connection_lifetime=3605
tcp_rd_buf_size=65536
server_header="Server: lab-kamailio"
user_agent_header="User-Agent: lab-kamailio"

mpath="${KAMAILIO_MODULES_DIR}"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "tmx.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "auth.so"
loadmodule "htable.so"
loadmodule "nathelper.so"
loadmodule "xhttp.so"
loadmodule "websocket.so"
${rtpe ? 'loadmodule "rtpengine.so"' : ''}

modparam("tm", "fr_timer", ${Math.min(5000, inviteTimeoutMs)})
modparam("tm", "fr_inv_timer", ${inviteTimeoutMs})
modparam("rr", "enable_double_rr", 1)
modparam("usrloc", "db_mode", 0)
modparam("usrloc", "handle_lost_tcp", 1)
modparam("registrar", "min_expires", 10)
modparam("registrar", "max_expires", 3600)
modparam("registrar", "gruu_enabled", 0)
modparam("registrar", "received_avp", "$avp(RECEIVED)")
modparam("nathelper", "received_avp", "$avp(RECEIVED)")
modparam("auth", "nonce_expire", 300)
${rtpe ? `modparam("rtpengine", "rtpengine_sock", "udp:${input.rtpengineNg?.host}:${input.rtpengineNg?.port}")` : ''}

request_route {
	xlog("L_INFO", "LAB REQ $rm from=$fu to=$tu ruri=$ru src=$proto:$si:$sp call-id=$ci cseq=$cs\\n");

	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	if (!sanity_check("17895", "7")) {
		xlog("L_WARN", "LAB malformed request from $si:$sp\\n");
		exit;
	}
	if (proto == WS || proto == WSS) {
		setflag(FLT_SRC_WS);
		force_rport();
		if (!is_method("REGISTER") && is_present_hf("Contact") && is_first_hop()) {
			add_contact_alias();
		}
	}

	if (is_method("CANCEL")) {
		if (t_check_trans()) {
			route(RELAY);
		}
		exit;
	}
	if (!is_method("ACK")) {
		if (t_precheck_trans()) {
			t_check_trans();
			exit;
		}
		t_check_trans();
	}

	route(WITHINDLG);

	# Keepalive / readiness probe addressed to the server itself.
	if (is_method("OPTIONS") && uri == myself && $rU == $null) {
		sl_send_reply("200", "Keepalive");
		exit;
	}

	remove_hf("Route");

	if (is_method("REGISTER")) {
		xlog("L_INFO", "LAB REGISTER from $tU\\n");
		if (uri != myself) {
			sl_send_reply("404", "Not Here");
			exit;
		}
		route(AUTH);
		if (isflagset(FLT_SRC_WS)) {
			fix_nated_register();
		}
		if (!save("location")) {
			sl_reply_error();
		}
		exit;
	}

	if (uri != myself) {
		xlog("L_INFO", "LAB 404 foreign domain $rd\\n");
		sl_send_reply("404", "Not Here");
		exit;
	}

	route(AUTH);
${minSeBlock}
	if ($rU == $null) {
		sl_send_reply("484", "Address Incomplete");
		exit;
	}
	if (is_method("INVITE|SUBSCRIBE|REFER")) {
		record_route();
	}
	route(LOCATION);
}

route[AUTH] {
	if (is_method("ACK|CANCEL|PRACK")) {
		return;
	}
	$var(pw) = "";
	if ($au != $null) {
		route(PASSWORD);
	}
	if ($var(pw) == "") {
		if ($au != $null) {
			xlog("L_INFO", "LAB auth unknown user $au\\n");
			sl_send_reply("403", "Forbidden");
			exit;
		}
		auth_challenge("$fd", "1");
		exit;
	}
	$var(rc) = pv_auth_check("$fd", "$var(pw)", "0", "1");
	if ($var(rc) < 0) {
		xlog("L_INFO", "LAB auth failed for $au ($var(rc)) $rm\\n");
		auth_challenge("$fd", "1");
		exit;
	}
	if (!is_method("REGISTER")) {
		consume_credentials();
	}
}

route[PASSWORD] {
	switch ($au) {
${passwordCases}
		default:
			$var(pw) = "";
	}
}

route[WITHINDLG] {
	if (!has_totag()) {
		return;
	}
	if (loose_route()) {
		if (!isdsturiset()) {
			handle_ruri_alias();
		}
		if (is_method("NOTIFY")) {
			record_route();
		}
		route(RELAY);
		exit;
	}
	if (is_method("ACK")) {
		if (t_check_trans()) {
			route(RELAY);
		}
		exit;
	}
	sl_send_reply("404", "Not Here");
	exit;
}

route[LOCATION] {
	if (!lookup("location")) {
		xlog("L_INFO", "LAB 404 not registered $ru\\n");
		sl_send_reply("404", "Not Found");
		exit;
	}
	route(RELAY);
}

route[RELAY] {
	if (is_method("INVITE|BYE|UPDATE|SUBSCRIBE|NOTIFY|REFER|MESSAGE|OPTIONS|INFO|PRACK")) {
		if (!t_is_set("branch_route")) {
			t_on_branch("MANAGE_BRANCH");
		}
	}
	if (!t_is_set("onreply_route")) {
		t_on_reply("MANAGE_REPLY");
	}
	if (is_method("INVITE") && !t_is_set("failure_route")) {
		t_on_failure("MANAGE_FAILURE");
	}
	if (!t_relay()) {
		sl_reply_error();
	}
	exit;
}

branch_route[MANAGE_BRANCH] {
	if (!isdsturiset()) {
		handle_ruri_alias();
	}
	if ($du =~ "transport=ws" || $ru =~ "transport=ws") {
		setbflag(FLB_DST_WS);
	}
	xlog("L_INFO", "LAB BRANCH $rm ruri=$ru du=$du flags=$mf bflags=$bf\\n");
	route(MEDIA_REQUEST);
}

# Anchor media in rtpengine only when exactly one side is WebRTC (WebSocket).
route[MEDIA_REQUEST] {
${
  rtpe
    ? `	if (isflagset(FLT_SRC_WS)) {
		if (isbflagset(FLB_DST_WS)) {
			return;
		}
	} else if (!isbflagset(FLB_DST_WS)) {
		return;
	}
	setbflag(FLB_RTPE);
	if (is_method("BYE")) {
		xlog("L_INFO", "LAB rtpengine delete (BYE)\\n");
		rtpengine_delete();
		return;
	}
	if (has_body("application/sdp")) {
		if (isbflagset(FLB_DST_WS)) {
			xlog("L_INFO", "LAB rtpengine offer toward WebRTC\\n");
			rtpengine_offer("${RTPENGINE_FLAGS.offerToWebrtc}");
		} else {
			xlog("L_INFO", "LAB rtpengine offer toward plain RTP\\n");
			rtpengine_offer("${RTPENGINE_FLAGS.offerToPlain}");
		}
	}`
    : '	return;'
}
}

onreply_route {
	xlog("L_INFO", "LAB REPLY $rs $rr cseq=$cs call-id=$ci src=$proto:$si:$sp\\n");
}

onreply_route[MANAGE_REPLY] {
	if ((proto == WS || proto == WSS) && status =~ "[12][0-9][0-9]" && is_present_hf("Contact")) {
		add_contact_alias();
	}
${
  rtpe
    ? `	if (isbflagset(FLB_RTPE) && status =~ "(18[0-9]|2[0-9][0-9])" && has_body("application/sdp")) {
		if (isflagset(FLT_SRC_WS)) {
			xlog("L_INFO", "LAB rtpengine answer toward WebRTC ($rs)\\n");
			rtpengine_answer("${RTPENGINE_FLAGS.answerToWebrtc}");
		} else {
			xlog("L_INFO", "LAB rtpengine answer toward plain RTP ($rs)\\n");
			rtpengine_answer("${RTPENGINE_FLAGS.answerToPlain}");
		}
	}`
    : ''
}
}

failure_route[MANAGE_FAILURE] {
${
  rtpe
    ? `	if (isbflagset(FLB_RTPE)) {
		xlog("L_INFO", "LAB rtpengine delete (failure $T_reply_code)\\n");
		rtpengine_delete();
	}`
    : ''
}
	if (t_is_canceled()) {
		exit;
	}
	if (t_check_status("408")) {
		xlog("L_INFO", "LAB no answer: 480 call-id=$ci\\n");
		t_reply("480", "Temporarily Unavailable");
		exit;
	}
}

event_route[xhttp:request] {
	set_reply_close();
	set_reply_no_connect();
	if ($hdr(Upgrade) =~ "websocket" && $hdr(Connection) =~ "Upgrade" && $rm =~ "GET") {
		if (ws_handle_handshake()) {
			exit;
		}
	}
	xhttp_reply("404", "Not Found", "text/plain", "not found\\n");
}

event_route[websocket:closed] {
	xlog("L_INFO", "LAB WS closed $si:$sp\\n");
}
`;
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

/** Sends a SIP OPTIONS over UDP to 127.0.0.1:`port`; resolves with the status line of any reply. */
export function probeSipUdp(port: number, timeoutMs = 1000): Promise<string> {
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
    socket.bind(0, LAB_HOST, () => {
      const local = socket.address().port;
      const text =
        `OPTIONS sip:${LAB_HOST}:${port} SIP/2.0\r\n` +
        `Via: SIP/2.0/UDP ${LAB_HOST}:${local};branch=z9hG4bK${tag};rport\r\n` +
        `Max-Forwards: 70\r\n` +
        `From: <sip:probe@${LAB_HOST}>;tag=${tag}\r\n` +
        `To: <sip:${LAB_HOST}:${port}>\r\n` +
        `Call-ID: probe-${tag}\r\n` +
        `CSeq: 1 OPTIONS\r\n` +
        `Content-Length: 0\r\n\r\n`;
      socket.send(text, port, LAB_HOST);
    });
  });
}

/**
 * Starts a lab Kamailio on free loopback ports and resolves once it is ready: its WS port
 * completes a WebSocket handshake and its UDP port answers an OPTIONS.
 */
export async function startKamailio(opts: KamailioOptions): Promise<Kamailio> {
  const wsPort = await freePort('tcp');
  const udpPort = await freePort('udp');
  const stem = opts.name ?? `kamailio-${opts.domain}`;
  const runDir = join(opts.logDir, `${stem}.run`);
  mkdirSync(runDir, { recursive: true });
  const cfgFile = join(opts.logDir, `${stem}.cfg`);
  const logFile = join(opts.logDir, `${stem}.log`);
  writeFileSync(cfgFile, kamailioConfig({ ...opts, wsPort, udpPort }));
  const proc = spawnLabProcess({
    name: `kamailio(${opts.domain})`,
    command: 'kamailio',
    args: [
      '-f',
      cfgFile,
      '-DD',
      '-E',
      '-w',
      runDir,
      '-P',
      join(runDir, 'kamailio.pid'),
      '-Y',
      runDir,
    ],
    logFile,
  });
  const wsUrl = `ws://${LAB_HOST}:${wsPort}`;
  try {
    await waitFor(() => probeWebSocket(wsUrl), { what: `Kamailio WS ${wsUrl}`, process: proc });
    await waitFor(() => probeSipUdp(udpPort), { what: `Kamailio UDP ${udpPort}`, process: proc });
  } catch (error) {
    await proc.stop();
    throw error;
  }
  const readLog = (): string => proc.readLog();
  const countInLog = (re: RegExp): number => {
    const plain = new RegExp(re.source, re.flags.replace(/[gy]/g, ''));
    return readLog()
      .split('\n')
      .filter((line) => plain.test(line)).length;
  };
  return {
    wsUrl,
    wsPort,
    udpPort,
    domain: opts.domain,
    logFile,
    cfgFile,
    process: proc,
    readLog,
    countInLog,
    waitForLog: async (re, waitOpts = {}) => {
      const count = waitOpts.count ?? 1;
      await waitFor(() => countInLog(re) >= count, {
        what: `${count} Kamailio log line(s) matching ${String(re)}`,
        timeoutMs: waitOpts.timeoutMs ?? 10_000,
        process: proc,
      });
    },
    registerCount: (user) => countInLog(new RegExp(`LAB REGISTER from ${escapeRegExp(user)}$`)),
    stop: (timeoutMs) => proc.stop(timeoutMs),
  };
}

/** Escapes a string for literal use in a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
