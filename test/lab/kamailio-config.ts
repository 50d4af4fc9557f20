// Lab Kamailio configuration text: WS+UDP registrar/proxy with digest auth and rtpengine bridging, plus the optional
// msilo store-and-forward, presence server (presence, dialog, message-summary) and RFC 5626 outbound blocks.
import { LAB_HOST } from './ports';

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

/** RFC 5626 settings of {@link KamailioFeatures.outbound}. */
export interface OutboundOptions {
  /** Seconds sent as `Flow-Timer` in the 200 OK to an outbound REGISTER (default 25; 0 = none). */
  flowTimer?: number;
}

/** Optional Kamailio features; each is off unless set, so the default config stays small. */
export interface KamailioFeatures {
  /**
   * Store-and-forward of MESSAGE with `msilo` (sqlite): a MESSAGE to a known user who is not
   * registered (or whose phone does not answer: 408/480/503) is stored and answered `202 Accepted`;
   * it is delivered when the user next registers. A MESSAGE to an unknown user gets 404.
   */
  msilo?: boolean;
  /**
   * Presence server on sqlite: presence (+ presence_xml with every watcher authorized),
   * presence_dialoginfo, presence_mwi, pua and pua_dialoginfo. SUBSCRIBE/PUBLISH to a user is
   * handled by Kamailio itself (events `presence`, `dialog`, `message-summary`); every call
   * through the proxy is tracked by the dialog module and published as RFC 4235 dialog state.
   */
  presence?: boolean;
  /**
   * Users whose initial SUBSCRIBE/PUBLISH is routed to their registered phone (e.g. a SIPp
   * notifier) instead of the presence server. Only meaningful with `presence`.
   */
  forwardSubscribe?: string[];
  /**
   * Longest subscription the presence server grants, s (default 7200). A bench lowers it to
   * watch refreshes happen in minutes instead of hours.
   */
  presenceMaxExpires?: number;
  /**
   * RFC 5626: the `outbound` module (loaded before rr, so Record-Route gets flow tokens) and the
   * registrar in outbound mode 1. Kamailio is edge proxy and registrar in one hop: a REGISTER
   * with `Supported: outbound`, `;reg-id` and `+sip.instance` gets `Require: outbound` and
   * `Flow-Timer`, and replaces the binding of the same instance and reg-id.
   */
  outbound?: boolean | OutboundOptions;
  /** usrloc in sqlite (write-through), so registrations survive {@link Kamailio.restart}. */
  persistLocation?: boolean;
}

/** Inputs of {@link kamailioConfig}. */
export interface KamailioConfigInput extends KamailioFeatures {
  /** SIP domain served (aliased as local), e.g. 'lab.test'. Only a name, never resolved. */
  domain: string;
  accounts: LabCredentials[];
  rtpengineNg?: NgAddress;
  minSE?: number;
  inviteTimeoutSec?: number;
  children?: number;
  /** Listen address (default 127.0.0.1). */
  host?: string;
  wsPort: number;
  udpPort: number;
  /**
   * Directory of the sqlite databases, one file per feature ({@link kamailioDbFile}); required
   * when msilo, presence or persistLocation is set.
   */
  dbDir?: string;
  /** Secret of the outbound flow tokens (kept across restarts so tokens stay valid). */
  flowTokenSecret?: string;
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
const SAFE_PATH = /^\/[A-Za-z0-9._~+\-/]+$/;

function checkToken(what: string, value: string): void {
  if (!SIMPLE_TOKEN.test(value)) {
    throw new Error(
      `kamailio: ${what} must match ${String(SIMPLE_TOKEN)}, got ${JSON.stringify(value)}`,
    );
  }
}

/** The sqlite databases of the features that are on (each feature has its own file). */
export type KamailioDb = 'location' | 'msilo' | 'presence';

/** Databases the features need. */
export function kamailioDatabases(f: KamailioFeatures): KamailioDb[] {
  const dbs: KamailioDb[] = [];
  if (f.persistLocation === true) {
    dbs.push('location');
  }
  if (f.msilo === true) {
    dbs.push('msilo');
  }
  if (f.presence === true) {
    dbs.push('presence');
  }
  return dbs;
}

/**
 * The sqlite file of one feature. One file per feature because db_sqlite sets no busy timeout:
 * two Kamailio processes writing one file at once make the second write fail ("database is
 * locked"), so each file should have one writer at a time.
 */
export function kamailioDbFile(dbDir: string, db: KamailioDb): string {
  return `${dbDir}/${db}.sqlite`;
}

/** Flow-Timer of the outbound option (undefined when outbound is off). */
export function outboundFlowTimer(f: KamailioFeatures): number | undefined {
  if (f.outbound === undefined || f.outbound === false) {
    return undefined;
  }
  return f.outbound === true ? 25 : (f.outbound.flowTimer ?? 25);
}

/** The presence server's max_expires: a whole number of seconds, at least 10. */
function presenceMaxExpires(f: KamailioFeatures): number {
  const s = f.presenceMaxExpires ?? 7200;
  if (!Number.isInteger(s) || s < 10) {
    throw new Error(`kamailio: presenceMaxExpires must be a whole number >= 10, got ${String(s)}`);
  }
  return s;
}

/** Resolved view of the input used by the config sections below. */
interface Cfg {
  input: KamailioConfigInput;
  host: string;
  self: string;
  /** db_url per feature ('' when off). */
  db: Record<KamailioDb, string>;
  rtpe: boolean;
  msilo: boolean;
  presence: boolean;
  flowTimer: number | undefined;
}

function resolve(input: KamailioConfigInput): Cfg {
  checkToken('domain', input.domain);
  for (const a of input.accounts) {
    checkToken('user', a.user);
    checkToken('password', a.password);
  }
  for (const u of input.forwardSubscribe ?? []) {
    checkToken('forwardSubscribe user', u);
  }
  const host = input.host ?? LAB_HOST;
  checkToken('host', host);
  const db: Record<KamailioDb, string> = { location: '', msilo: '', presence: '' };
  const dbs = kamailioDatabases(input);
  if (dbs.length > 0) {
    const dir = input.dbDir;
    if (dir === undefined || !SAFE_PATH.test(dir)) {
      throw new Error(
        `kamailio: an absolute dbDir matching ${String(SAFE_PATH)} is required, got ${JSON.stringify(dir)}`,
      );
    }
    for (const name of dbs) {
      // db_url wants sqlite:// followed by the absolute path (four slashes in all).
      db[name] = `sqlite:///${kamailioDbFile(dir, name)}`;
    }
  }
  if (input.flowTokenSecret !== undefined) {
    checkToken('flowTokenSecret', input.flowTokenSecret);
  }
  return {
    input,
    host,
    self: `sip:${host}:${input.udpPort};transport=udp`,
    db,
    rtpe: input.rtpengineNg !== undefined,
    msilo: input.msilo === true,
    presence: input.presence === true,
    flowTimer: outboundFlowTimer(input),
  };
}

function globals(c: Cfg): string {
  const children = c.input.children ?? 4;
  return `#!define FLT_SRC_WS 1
#!define FLB_DST_WS 2
#!define FLB_RTPE 3
#!define FLT_FROM_SELF 5

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
listen=udp:${c.host}:${c.input.udpPort}
listen=tcp:${c.host}:${c.input.wsPort}
alias="${c.input.domain}"
tcp_accept_no_cl=yes
tcp_connection_lifetime=3605
tcp_rd_buf_size=65536
server_header="Server: lab-kamailio"
user_agent_header="User-Agent: lab-kamailio"
`;
}

function modules(c: Cfg): string {
  const list = ['kex', 'corex', 'tm', 'tmx', 'sl'];
  if (c.flowTimer !== undefined) {
    // Must come before rr (and path) so they bind to it and add flow tokens; an edge proxy
    // must answer STUN keep-alives on its UDP port (RFC 5626 §8).
    list.push('outbound', 'stun');
  }
  list.push('rr', 'pv', 'maxfwd', 'usrloc', 'registrar', 'textops', 'siputils', 'xlog');
  list.push('sanity', 'auth', 'htable', 'nathelper', 'xhttp', 'websocket');
  if (c.rtpe) {
    list.push('rtpengine');
  }
  if (kamailioDatabases(c.input).length > 0) {
    list.push('db_sqlite');
  }
  if (c.msilo) {
    list.push('msilo');
  }
  if (c.presence) {
    list.push('textopsx', 'dialog', 'presence', 'presence_xml', 'presence_dialoginfo');
    list.push('presence_mwi', 'pua', 'pua_dialoginfo');
  }
  return `mpath="${KAMAILIO_MODULES_DIR}"\n${list.map((m) => `loadmodule "${m}.so"`).join('\n')}\n`;
}

function modparams(c: Cfg): string {
  const inviteTimeoutMs = Math.round((c.input.inviteTimeoutSec ?? 60) * 1000);
  const lines = [
    // On reliable transports (WS) tm only checks the INVITE timer when fr_timer ticks, so a
    // no-answer timeout shorter than fr_timer needs fr_timer lowered too.
    `modparam("tm", "fr_timer", ${Math.min(5000, inviteTimeoutMs)})`,
    `modparam("tm", "fr_inv_timer", ${inviteTimeoutMs})`,
    'modparam("rr", "enable_double_rr", 1)',
    // Write-back (2): only usrloc's timer writes, every 10 s and when Kamailio stops (SIGTERM).
    `modparam("usrloc", "db_mode", ${c.input.persistLocation === true ? 2 : 0})`,
    'modparam("usrloc", "handle_lost_tcp", 1)',
    'modparam("registrar", "min_expires", 10)',
    'modparam("registrar", "max_expires", 3600)',
    'modparam("registrar", "gruu_enabled", 0)',
    'modparam("registrar", "received_avp", "$avp(RECEIVED)")',
    'modparam("nathelper", "received_avp", "$avp(RECEIVED)")',
    'modparam("auth", "nonce_expire", 300)',
  ];
  if (c.input.persistLocation === true) {
    lines.push(`modparam("usrloc", "db_url", "${c.db.location}")`);
    lines.push('modparam("usrloc", "timer_interval", 10)');
  }
  if (c.rtpe) {
    const ng = c.input.rtpengineNg;
    lines.push(`modparam("rtpengine", "rtpengine_sock", "udp:${ng?.host}:${ng?.port}")`);
  }
  if (c.flowTimer !== undefined) {
    lines.push('modparam("registrar", "outbound_mode", 1)');
    lines.push(`modparam("registrar", "flow_timer", ${c.flowTimer})`);
    if (c.input.flowTokenSecret !== undefined) {
      lines.push(`modparam("outbound", "flow_token_secret", "${c.input.flowTokenSecret}")`);
    }
  }
  if (c.msilo) {
    lines.push(
      `modparam("msilo", "db_url", "${c.db.msilo}")`,
      // Dumped messages come back through this proxy (lab domains are never resolved).
      `modparam("msilo", "outbound_proxy", "${c.self}")`,
      'modparam("msilo", "add_date", 0)',
      'modparam("msilo", "check_time", 2)',
      'modparam("msilo", "expire_time", 3600)',
    );
  }
  if (c.presence) {
    lines.push(
      `modparam("presence", "db_url", "${c.db.presence}")`,
      `modparam("presence", "server_address", "sip:${c.host}:${c.input.udpPort}")`,
      `modparam("presence", "max_expires", ${presenceMaxExpires(c.input)})`,
      // Published state in memory: pua_dialoginfo publishes caller and callee at the same
      // moment from two processes, and concurrent sqlite writes fail. Subscriptions are written
      // back to sqlite by the presence timer alone.
      'modparam("presence", "publ_cache", 2)',
      'modparam("presence", "subs_db_mode", 2)',
      'modparam("presence", "db_update_period", 5)',
      `modparam("presence_xml", "db_url", "${c.db.presence}")`,
      'modparam("presence_xml", "force_active", 1)',
      `modparam("pua", "db_url", "${c.db.presence}")`,
      'modparam("pua", "db_mode", 0)',
      // pua_dialoginfo's PUBLISHes come back through this proxy to the presence server.
      `modparam("pua", "outbound_proxy", "${c.self}")`,
      'modparam("pua_dialoginfo", "override_lifetime", 3600)',
      'modparam("dialog", "default_timeout", 7200)',
    );
  }
  return `${lines.join('\n')}\n`;
}

function minSeBlock(c: Cfg): string {
  const minSE = c.input.minSE;
  if (minSE === undefined) {
    return '';
  }
  return `
	# Session timers: reject too small intervals (RFC 4028 422).
	if (is_method("INVITE")) {
		$var(se) = -1;
		if (is_present_hf("Session-Expires")) {
			$var(se) = $(hdr(Session-Expires){s.select,0,;}{s.trim}{s.int});
		} else if (is_present_hf("Min-SE")) {
			$var(se) = $(hdr(Min-SE){s.select,0,;}{s.trim}{s.int});
		}
		if ($var(se) >= 0 && $var(se) < ${minSE}) {
			xlog("L_INFO", "LAB 422 session interval $var(se) < ${minSE} call-id=$ci\\n");
			append_to_reply("Min-SE: ${minSE}\\r\\n");
			sl_send_reply("422", "Session Interval Too Small");
			exit;
		}
	}
`;
}

function requestRoute(c: Cfg): string {
  const fromSelf = c.msilo || c.presence;
  return `request_route {
	xlog("L_INFO", "LAB REQ $rm from=$fu to=$tu ruri=$ru src=$proto:$si:$sp call-id=$ci cseq=$cs\\n");

	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	if (!sanity_check("17895", "7")) {
		xlog("L_WARN", "LAB malformed request from $si:$sp\\n");
		exit;
	}
${
  fromSelf
    ? `	# Requests this Kamailio sends to itself (msilo dumps, pua PUBLISHes) are not challenged.
	if (proto == UDP && src_ip == myself && src_port == ${c.input.udpPort}) {
		setflag(FLT_FROM_SELF);
	}
`
    : ''
}	if (proto == WS || proto == WSS) {
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
			exit;
		}
${
  c.msilo
    ? `		if (registered("location", "$tu")) {
			xlog("L_INFO", "LAB MSILO dump for $tU\\n");
			m_dump();
		}
`
    : ''
}		exit;
	}
${
  c.msilo
    ? `
	# msilo sends stored messages to the Contact of the REGISTER through this proxy: deliver
	# them to the recipient's current bindings instead.
	if (isflagset(FLT_FROM_SELF) && is_method("MESSAGE")) {
		$ru = "sip:" + $tU + "@" + $td;
		xlog("L_INFO", "LAB MSILO deliver to $ru call-id=$ci\\n");
		route(LOCATION);
	}
`
    : ''
}
	if (uri != myself) {
		xlog("L_INFO", "LAB 404 foreign domain $rd\\n");
		sl_send_reply("404", "Not Here");
		exit;
	}

	route(AUTH);
${minSeBlock(c)}
	if ($rU == $null) {
		sl_send_reply("484", "Address Incomplete");
		exit;
	}
${c.presence ? '\tif (is_method("PUBLISH|SUBSCRIBE")) {\n\t\troute(PRESENCE);\n\t}\n' : ''}${
    c.msilo ? '\tif (is_method("MESSAGE")) {\n\t\troute(MSILO);\n\t}\n' : ''
  }${
    c.presence
      ? '\tif (is_method("INVITE")) {\n\t\t# Tracked by the dialog module, published by pua_dialoginfo.\n\t\tdlg_manage();\n\t}\n'
      : ''
  }	if (is_method("INVITE|SUBSCRIBE|REFER")) {
		record_route();
	}
	route(LOCATION);
}
`;
}

function authRoutes(c: Cfg): string {
  const passwordCases = c.input.accounts
    .map((a) => `\t\tcase "${a.user}":\n\t\t\t$var(pw) = "${a.password}";\n\t\t\tbreak;`)
    .join('\n');
  return `route[AUTH] {
	if (is_method("ACK|CANCEL|PRACK")) {
		return;
	}
${c.msilo || c.presence ? '\tif (isflagset(FLT_FROM_SELF)) {\n\t\treturn;\n\t}\n' : ''}	$var(pw) = "";
	if ($au != $null) {
		$var(user) = $au;
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

# Sets $var(pw) to the password of $var(user) ("" when the user is unknown).
route[PASSWORD] {
	switch ($var(user)) {
${passwordCases}
		default:
			$var(pw) = "";
	}
}
`;
}

// RFC 5626 edge proxy: loose_route() sends an in-dialog request over the flow named by the
// token in the dialog's Record-Route, the flow the dialog was set up on, unless the request
// arrived on that very flow. After a client replaced its flow (a network change) that flow is
// dead: the client's own re-INVITE from its new flow would be sent back to it, and the far
// end's requests toward the client too. A WebSocket client's current flow is in the alias of its
// latest Contact (add_contact_alias at the first hop, the remote target a re-INVITE refreshes),
// so a target with an alias is reached through it; a target without one is no WebSocket client,
// so the token named the sender's own flow and the request goes by its Request-URI over UDP.
function outboundFlowRecovery(c: Cfg): string {
  return `		if (isdsturiset()) {
			if ($ru =~ ";alias=") {
				$du = $null;
			} else if (isflagset(FLT_SRC_WS)) {
				$du = $null;
				$fs = "udp:${c.host}:${c.input.udpPort}";
			}
		}
`;
}

function withinDialogRoute(c: Cfg): string {
  return `route[WITHINDLG] {
	if (!has_totag()) {
		return;
	}
	if (loose_route()) {
${c.flowTimer !== undefined ? outboundFlowRecovery(c) : ''}		if (!isdsturiset()) {
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
${
  c.presence
    ? `	if (is_method("SUBSCRIBE") && uri == myself) {
		# Refresh or end of a subscription held by the presence server.
		route(PRESENCE);
		exit;
	}
`
    : ''
}	sl_send_reply("404", "Not Here");
	exit;
}
`;
}

function relayRoutes(c: Cfg): string {
  return `route[LOCATION] {
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
		# e.g. a binding whose WebSocket flow is gone (a persisted binding after a restart).
		xlog("L_INFO", "LAB relay failed $rm to $ru du=$du call-id=$ci\\n");
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
  c.rtpe
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
  c.rtpe
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
  c.rtpe
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
`;
}

function msiloRoutes(c: Cfg): string {
  if (!c.msilo) {
    return '';
  }
  return `
# MESSAGE to a local user: 404 when unknown, stored (202) when not registered, relayed otherwise.
route[MSILO] {
	$var(user) = $rU;
	route(PASSWORD);
	if ($var(pw) == "") {
		xlog("L_INFO", "LAB 404 unknown user $rU\\n");
		sl_send_reply("404", "Not Found");
		exit;
	}
	if (!lookup("location")) {
		if (!t_newtran()) {
			sl_reply_error();
			exit;
		}
		if (m_store("$ru")) {
			xlog("L_INFO", "LAB MSILO stored for $rU call-id=$ci\\n");
			t_reply("202", "Accepted");
		} else {
			xlog("L_WARN", "LAB MSILO store failed for $rU call-id=$ci\\n");
			t_reply("500", "Storage Failed");
		}
		exit;
	}
	t_on_failure("MSILO_FAILURE");
	t_on_branch("MANAGE_BRANCH");
	t_on_reply("MANAGE_REPLY");
	if (!t_relay()) {
		# No usable flow to any binding (e.g. a persisted WebSocket binding after a restart).
		if (m_store("$ou")) {
			xlog("L_INFO", "LAB MSILO stored (relay failed) for $ou call-id=$ci\\n");
			send_reply("202", "Accepted");
		} else {
			sl_reply_error();
		}
	}
	exit;
}

# The registered phone did not take the MESSAGE: keep it for the next registration.
failure_route[MSILO_FAILURE] {
	if (t_is_canceled()) {
		exit;
	}
	if (t_check_status("408|480|503")) {
		if (m_store("$ou")) {
			xlog("L_INFO", "LAB MSILO stored after $T_reply_code for $ou call-id=$ci\\n");
			t_reply("202", "Accepted");
			exit;
		}
	}
}
`;
}

function presenceRoutes(c: Cfg): string {
  if (!c.presence) {
    return '';
  }
  const forward = c.input.forwardSubscribe ?? [];
  const forwardBlock =
    forward.length === 0
      ? ''
      : `	if (!has_totag()) {
		switch ($rU) {
${forward.map((u) => `\t\t\tcase "${u}":\n\t\t\t\txlog("L_INFO", "LAB PRESENCE forward $rm to the phone of $rU\\n");\n\t\t\t\treturn;`).join('\n')}
		}
	}
`;
  return `
# SUBSCRIBE/PUBLISH handled by the presence server (presence, dialog, message-summary).
route[PRESENCE] {
${forwardBlock}	if (isflagset(FLT_SRC_WS) && is_method("SUBSCRIBE")) {
		# Apply add_contact_alias() to the message: the presence server then stores the alias
		# and sends its NOTIFYs over the subscriber's WebSocket flow.
		msg_apply_changes();
	}
	if (!t_newtran()) {
		sl_reply_error();
		exit;
	}
	if (is_method("PUBLISH")) {
		xlog("L_INFO", "LAB PRESENCE PUBLISH $hdr(Event) for $ru\\n");
		handle_publish();
	} else {
		xlog("L_INFO", "LAB PRESENCE SUBSCRIBE $hdr(Event) to $ru\\n");
		handle_subscribe();
	}
	t_release();
	exit;
}
`;
}

function localRequestRoute(c: Cfg): string {
  if (!c.msilo && !c.presence) {
    return '';
  }
  return `
# Requests Kamailio sends itself (NOTIFYs of the presence server, PUBLISHes of pua, msilo dumps).
event_route[tm:local-request] {
	xlog("L_INFO", "LAB LOCAL $rm ruri=$ru du=$du call-id=$ci\\n");
}
`;
}

function wsRoutes(): string {
  return `
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

/** Generates the kamailio.cfg text for the lab (exported for debugging and review). */
export function kamailioConfig(input: KamailioConfigInput): string {
  const c = resolve(input);
  return [
    '#!KAMAILIO',
    `# Generated by test/lab/kamailio-config.ts for the SIP test lab (domain ${input.domain}). Do not edit.`,
    '',
    globals(c),
    modules(c),
    modparams(c),
    requestRoute(c),
    authRoutes(c),
    withinDialogRoute(c),
    relayRoutes(c),
    msiloRoutes(c),
    presenceRoutes(c),
    localRequestRoute(c),
    wsRoutes(),
  ].join('\n');
}
