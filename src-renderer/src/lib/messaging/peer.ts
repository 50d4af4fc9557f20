// Owns who a conversation is with: the one canonical form of a peer's address (so a message from
// "sips:Alice@PBX.example.com;transport=ws" and one we send to "alice@pbx.example.com" land in
// the same thread), the conversation id per account and peer, and turning what the user picked
// (a typed number, a contact's number, a history row, a link) into that address. Pure.
import type { DialTarget } from '@shared/dial-target';
import { resolveCallTarget } from '../phone';

/** The parts of a SIP URI a peer is made of (JsSIP's URI has them, with `user` decoded). */
export interface PeerUri {
  user?: string | null;
  host: string;
  port?: number | null;
}

/** A peer address resolved for an account: the canonical address and its decoded user part. */
export interface ResolvedPeer {
  peer: string;
  user: string;
}

// RFC 3261 §25.1 unreserved and user-unreserved characters stay; the rest is %-escaped.
const USER_PLAIN = /[A-Za-z0-9\-_.!~*'()&=+$,;?/]/;
const MAX_PEER_LENGTH = 512;

function escapeUser(user: string): string {
  let out = '';
  for (const ch of user) {
    if (USER_PLAIN.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of new TextEncoder().encode(ch)) {
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

function decodeUser(user: string): string {
  try {
    return decodeURIComponent(user);
  } catch {
    return user;
  }
}

/**
 * The canonical address of a peer: scheme 'sip' (a sips: peer is the same person), the user
 * part %-escaped where RFC 3261 requires it, the host in lower case, the port when one was
 * given, no parameters or headers. Null when there is no usable host or user.
 */
export function canonicalPeer(uri: PeerUri): string | null {
  const user = uri.user ?? '';
  const host = uri.host.trim().toLowerCase();
  if (user === '' || host === '' || /[\s@<>"]/.test(host)) {
    return null;
  }
  const port = uri.port ? `:${uri.port}` : '';
  const peer = `sip:${escapeUser(user)}@${host}${port}`;
  return peer.length <= MAX_PEER_LENGTH ? peer : null;
}

/** Reads a sip:/sips: address (as text) into a canonical peer; null when it is not one. */
export function peerFromAddress(address: string): ResolvedPeer | null {
  const match =
    /^sips?:([^@;?>\s]+)@([^;?>\s:]+|\[[0-9a-fA-F:.]+\])(?::(\d{1,5}))?(?:[;?].*)?$/i.exec(
      address.trim(),
    );
  if (!match) {
    return null;
  }
  const user = decodeUser(match[1] ?? '');
  const port = match[3] ? Number(match[3]) : null;
  const peer = canonicalPeer({ user, host: match[2] ?? '', port });
  return peer ? { peer, user } : null;
}

/**
 * The peer for what the user chose on an account: a typed number or name (in the account's
 * domain), a SIP address, or a link's target. Throws DialError (a sentence for the user) for
 * input that is not an address or a number.
 */
export function resolvePeer(input: string | DialTarget, accountSipUri: string): ResolvedPeer {
  const target = resolveCallTarget(input, accountSipUri);
  const resolved = peerFromAddress(target.uri);
  if (!resolved) {
    throw new Error('This is not an address messages can be sent to.');
  }
  return resolved;
}

/** The id of the conversation with `peer` on `accountId`. */
export function conversationIdOf(accountId: string, peer: string): string {
  return `${accountId}|${peer}`;
}

/** How a peer's address is shown: 'user@host', the user part decoded. */
export function addressOf(peer: string): string {
  const at = peer.lastIndexOf('@');
  return at < 0 ? peer.replace(/^sips?:/, '') : `${userOf(peer)}${peer.slice(at)}`;
}

/** The decoded user part of a canonical peer ('1001', 'alice'). */
export function userOf(peer: string): string {
  return peerFromAddress(peer)?.user ?? peer;
}
