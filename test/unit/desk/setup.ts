// Shared set-up for the desk tests: the real line manager over a real engine and real JsSIP on
// the in-memory SIP server (the other side answers every INVITE), on vitest's fake clock.
import type { PolicySettings } from '../../../src-renderer/src/lib/phone/call-policy';
import { LineManager, type EndedCall } from '../../../src-renderer/src/lib/phone/lines';
import type { EngineAccount } from '../../../src-renderer/src/lib/phone/types';
import { SERVER_SDP, type SipMessage } from '../../support/loop-sip';
import { LINE_POLICY, advance, harness, registered, type Harness } from '../phone/harness';

export interface DeskSetup {
  h: Harness;
  lines: LineManager;
  policy: PolicySettings;
  ended: EndedCall[];
}

/** A registered engine attached to a line manager; `policy` and `account` override defaults. */
export async function deskSetup(
  policy: Partial<PolicySettings> = {},
  account: Partial<EngineAccount> = {},
): Promise<DeskSetup> {
  const h = harness(account);
  const settings = { ...LINE_POLICY, ...policy };
  const lines = new LineManager({ settings: () => settings });
  lines.attach(h.engine);
  const ended: EndedCall[] = [];
  lines.on('ended', (e) => ended.push(e));
  h.server.onInvite = (invite) => h.server.reply(invite, 200, 'OK', { body: SERVER_SDP });
  await registered(h);
  return { h, lines, policy: settings, ended };
}

/** An incoming call from `from`, once it rings (or was refused) in the manager. */
export async function ringIn(s: DeskSetup, from = 'bob'): Promise<string> {
  const callId = s.h.server.invite('alice', `sip:${from}@example.com`, from);
  await advance(20);
  return callId;
}

/** Responses with `code` the phone sent. */
export function responses(s: DeskSetup, code: number): SipMessage[] {
  return s.h.server.received.filter((m) => m.startLine.startsWith(`SIP/2.0 ${code}`));
}

/** The SDP direction of the phone's last re-INVITE or answer. */
export function lastDirection(s: DeskSetup, method = 'INVITE'): string | undefined {
  const last = s.h.server.requests(method).at(-1);
  return last ? /a=(sendrecv|sendonly|recvonly|inactive)/.exec(last.body)?.[1] : undefined;
}
