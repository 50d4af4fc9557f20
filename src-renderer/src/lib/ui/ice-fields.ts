// The account form's two STUN/TURN fields (all server addresses, one TURN user name) and the
// settings' list of servers, each way (pure). An unchanged pair keeps the list exactly as it
// was, so a provisioned list with several entries survives opening and saving the form.
import type { IceServerSettings } from '@shared/settings-types';

/** What the form shows for a list of servers. */
export interface IceFields {
  /** Every server address, space-separated. */
  urls: string;
  /** The TURN user name (the first one set). */
  username: string;
}

/** The form's fields for a list of servers. */
export function iceFields(servers: readonly IceServerSettings[]): IceFields {
  return {
    urls: servers.flatMap((s) => s.urls).join(' '),
    username: servers.find((s) => s.username)?.username ?? '',
  };
}

/**
 * The list of servers for what the form holds: the saved list when nothing changed; otherwise
 * STUN addresses in one entry and TURN addresses, with the user name, in another.
 */
export function iceServersFrom(
  saved: readonly IceServerSettings[],
  fields: IceFields,
): IceServerSettings[] {
  const before = iceFields(saved);
  const urls = fields.urls.trim().split(/\s+/).filter(Boolean);
  const username = fields.username.trim();
  if (urls.join(' ') === before.urls && username === before.username) {
    return saved.map((s) => ({ ...s, urls: [...s.urls] }));
  }
  const turn = urls.filter((u) => /^turns?:/i.test(u));
  const stun = urls.filter((u) => !/^turns?:/i.test(u));
  const list: IceServerSettings[] = [];
  if (stun.length > 0) {
    list.push({ urls: stun });
  }
  if (turn.length > 0) {
    list.push(username ? { urls: turn, username } : { urls: turn });
  }
  return list;
}
