// Owns the one spelling of an address of record used as a key everywhere presence is tracked
// (lamps, watched contacts, the chat list's lookup): scheme and host in lower case, the user part
// as sent (SIP user parts are case-sensitive, RFC 3261 §19.1.4), without port-less noise such as
// URI parameters, headers or angle brackets. Pure.

const AOR = /^(sips?):([^@;?>\s]+)@([^;?>\s]+)/i;

/** 'sip:201@Example.COM;user=phone' → 'sip:201@example.com'; null for anything else. */
export function canonicalAor(uri: string): string | null {
  const match = AOR.exec(uri.trim().replace(/^<|>$/g, ''));
  if (!match) {
    return null;
  }
  const [, scheme, user, host] = match as unknown as [string, string, string, string];
  return `${scheme.toLowerCase()}:${user}@${host.toLowerCase()}`;
}

/** The user part of an AOR ('sip:201@pbx' → '201'). */
export function aorUser(aor: string): string {
  return AOR.exec(aor)?.[2] ?? aor;
}

/** The host part of an AOR, lower case ('' when there is none). */
export function aorHost(aor: string): string {
  return AOR.exec(aor)?.[3]?.toLowerCase() ?? '';
}
