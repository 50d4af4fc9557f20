// Owns which addresses each account watches (pure): the busy lamps of the settings resolved to
// addresses of record on their account, the addresses a contact may be watched at, and the
// per-account watch lists — lamps (dialog and presence), then addresses asked for by a view
// (the chat list), then favourite contacts (presence only), within MAX_PRESENCE_WATCHED.
import type { AccountSettings, BusyLampSettings } from '@shared/settings-types';
import type { Contact } from '../contacts/types';
import { resolveCallTarget } from '../phone';
import { aorHost, canonicalAor } from '../presence/aor';
import type { WatchList } from '../presence/presence-agent';

/** Presence subscriptions per app at most (each costs a SUBSCRIBE per hour and a NOTIFY per change). */
export const MAX_PRESENCE_WATCHED = 150;

/** A lamp of the settings, resolved to the account that watches it. */
export interface ResolvedLamp {
  /** Stable while the lamp exists: account and address. */
  key: string;
  /** Index in the settings' list. */
  index: number;
  target: string;
  label: string;
  accountId: string;
  aor: string;
}

export type TargetResult = { ok: true; aor: string } | { ok: false; message: string };

/** The domain of an account ('' when its address has none). */
export function accountDomainOf(account: AccountSettings): string {
  return aorHost(canonicalAor(account.sipUri) ?? '');
}

/** What a lamp target ('201', 'bob', 'sip:bob@pbx') is on `account`. */
export function resolveTarget(input: string, account: AccountSettings): TargetResult {
  const text = input.trim();
  if (!text) {
    return { ok: false, message: 'Type an extension or a SIP address.' };
  }
  try {
    const aor = canonicalAor(resolveCallTarget(text, account.sipUri).uri);
    return aor
      ? { ok: true, aor }
      : { ok: false, message: `"${text}" is not an extension or a SIP address.` };
  } catch (error: unknown) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** The lamps of the settings on their accounts (null = `defaultAccount`); unusable ones left out. */
export function resolveLamps(
  lamps: readonly BusyLampSettings[],
  accounts: readonly AccountSettings[],
  defaultAccount: AccountSettings | null,
): ResolvedLamp[] {
  const out: ResolvedLamp[] = [];
  lamps.forEach((lamp, index) => {
    const account =
      lamp.accountId === null ? defaultAccount : accounts.find((a) => a.id === lamp.accountId);
    const resolved = account ? resolveTarget(lamp.target, account) : null;
    if (!account || !resolved?.ok) {
      return;
    }
    const key = `${account.id}|${resolved.aor}`;
    if (!out.some((l) => l.key === key)) {
      out.push({
        key,
        index,
        target: lamp.target,
        label: lamp.label,
        accountId: account.id,
        aor: resolved.aor,
      });
    }
  });
  return out;
}

/** Internal extensions: a few digits (longer numbers are outside lines, not colleagues). */
const EXTENSION = /^[0-9]{2,6}$/;

/**
 * The addresses a contact can be watched at, each with the account whose domain it is in: its
 * SIP addresses in an account's domain, and numbers that look like extensions on the default
 * account.
 */
export function contactTargets(
  contact: Contact,
  accounts: readonly AccountSettings[],
  defaultAccount: AccountSettings | null,
): { accountId: string; aor: string }[] {
  const out: { accountId: string; aor: string }[] = [];
  for (const address of contact.sipAddresses) {
    const aor = canonicalAor(/^sips?:/i.test(address) ? address : `sip:${address}`);
    const account = aor ? accounts.find((a) => accountDomainOf(a) === aorHost(aor)) : undefined;
    if (aor && account) {
      out.push({ accountId: account.id, aor });
    }
  }
  for (const number of contact.numbers) {
    const digits = number.normalized;
    if (defaultAccount && EXTENSION.test(digits)) {
      out.push({
        accountId: defaultAccount.id,
        aor: `sip:${digits}@${accountDomainOf(defaultAccount)}`,
      });
    }
  }
  return out;
}

/** The account that should watch `aor`: the one of its domain, else the default one. */
export function accountForAor(
  aor: string,
  accounts: readonly AccountSettings[],
  defaultAccount: AccountSettings | null,
): string | null {
  return (
    accounts.find((a) => accountDomainOf(a) === aorHost(aor))?.id ?? defaultAccount?.id ?? null
  );
}

/** Everything one account watches: lamps first, then asked-for addresses, then favourites. */
export function watchLists(
  lamps: readonly ResolvedLamp[],
  extra: readonly { accountId: string; aor: string }[],
): Map<string, WatchList> {
  const lists = new Map<string, { dialog: string[]; presence: string[] }>();
  const listOf = (accountId: string): { dialog: string[]; presence: string[] } => {
    let list = lists.get(accountId);
    if (!list) {
      list = { dialog: [], presence: [] };
      lists.set(accountId, list);
    }
    return list;
  };
  let presence = 0;
  for (const lamp of lamps) {
    const list = listOf(lamp.accountId);
    list.dialog.push(lamp.aor);
    if (presence < MAX_PRESENCE_WATCHED) {
      list.presence.push(lamp.aor);
      presence += 1;
    }
  }
  for (const { accountId, aor } of extra) {
    const list = listOf(accountId);
    if (presence < MAX_PRESENCE_WATCHED && !list.presence.includes(aor)) {
      list.presence.push(aor);
      presence += 1;
    }
  }
  return lists;
}
