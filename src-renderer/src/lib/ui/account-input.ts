// Forgiving input for the account form (pure): a server typed without its scheme gets a
// wss:// suggestion, and a bare extension or user name is completed with the server's domain.

const HOST_PORT_PATH = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+\.[a-z0-9-]+|localhost)(:\d{1,5})?(\/\S*)?$/i;

/**
 * The WebSocket address the user probably meant: `wss://` added to a bare host (with port and
 * path), or an http(s) address turned into ws(s). Null when the input already is a ws(s)
 * address or nothing sensible can be guessed.
 */
export function suggestWebSocketUri(input: string): string | null {
  const text = input.trim();
  if (text === '' || /^wss?:\/\//i.test(text)) {
    return null;
  }
  const http = /^http(s?):\/\/(.+)$/i.exec(text);
  if (http) {
    return `ws${http[1] ?? ''}://${http[2] ?? ''}`;
  }
  return HOST_PORT_PATH.test(text) ? `wss://${text}` : null;
}

/** The host of a ws(s) address ('' when there is none). */
export function hostOf(websocketUri: string): string {
  return /^wss?:\/\/(\[[^\]]+\]|[^/:?#\s]+)/i.exec(websocketUri.trim())?.[1] ?? '';
}

/**
 * The SIP address for what was typed: `1001` or `alice` becomes `sip:1001@<server host>`,
 * `1001@pbx.example.com` gets its `sip:`; a full SIP address is kept. Without a server host a
 * bare user is returned as typed (the form then asks for the domain).
 */
export function completeSipAddress(input: string, websocketUri: string): string {
  const text = input.trim();
  if (text === '' || /^sips?:/i.test(text)) {
    return text;
  }
  if (text.includes('@')) {
    return `sip:${text}`;
  }
  const host = hostOf(websocketUri);
  return host === '' || /[\s:;]/.test(text) ? text : `sip:${text}@${host}`;
}
