// Owns parsing a Content-Type header value from the network (RFC 2045 §5.1, as used by SIP in
// RFC 3261 §20.15): type/subtype and parameters, case-insensitive names, quoted values. Bounded,
// single pass, no regular expression over the whole value; a malformed value returns null.

/** A parsed media type: lower-case names; parameter values as sent (quotes removed). */
export interface MediaType {
  type: string;
  subtype: string;
  /** 'type/subtype', lower case. */
  essence: string;
  /** Parameter name (lower case) → value; the first occurrence of a name wins. */
  params: ReadonlyMap<string, string>;
}

/** Longest header value looked at. */
export const MAX_CONTENT_TYPE_LENGTH = 1024;

// RFC 2045 token: any US-ASCII char except SPACE, CTLs and tspecials ()<>@,;:\"/[]?=
function isTokenChar(c: number): boolean {
  if (c <= 0x20 || c >= 0x7f) {
    return false;
  }
  return '()<>@,;:\\"/[]?='.indexOf(String.fromCharCode(c)) === -1;
}

class Cursor {
  i = 0;
  constructor(readonly s: string) {}

  space(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') {
      this.i++;
    }
  }

  token(): string | null {
    const start = this.i;
    while (this.i < this.s.length && isTokenChar(this.s.charCodeAt(this.i))) {
      this.i++;
    }
    return this.i > start ? this.s.slice(start, this.i) : null;
  }

  quoted(): string | null {
    let out = '';
    this.i++;
    while (this.i < this.s.length) {
      const ch = this.s[this.i]!;
      if (ch === '"') {
        this.i++;
        return out;
      }
      if (ch === '\\') {
        this.i++;
        if (this.i >= this.s.length) {
          return null;
        }
      }
      const c = this.s.charCodeAt(this.i);
      if ((c < 0x20 && c !== 0x09) || c === 0x7f) {
        return null;
      }
      out += this.s[this.i];
      this.i++;
    }
    return null;
  }
}

/** Parses 'text/plain; charset="UTF-8"'; null for anything that is not a media type. */
export function parseContentType(value: string | null | undefined): MediaType | null {
  if (typeof value !== 'string' || value.length > MAX_CONTENT_TYPE_LENGTH) {
    return null;
  }
  const cur = new Cursor(value);
  cur.space();
  const type = cur.token();
  if (type === null || cur.s[cur.i] !== '/') {
    return null;
  }
  cur.i++;
  const subtype = cur.token();
  if (subtype === null) {
    return null;
  }
  const params = parseParams(cur);
  if (params === null) {
    return null;
  }
  const t = type.toLowerCase();
  const st = subtype.toLowerCase();
  return { type: t, subtype: st, essence: `${t}/${st}`, params };
}

function parseParams(cur: Cursor): Map<string, string> | null {
  const params = new Map<string, string>();
  for (;;) {
    cur.space();
    if (cur.i >= cur.s.length) {
      return params;
    }
    if (cur.s[cur.i] !== ';') {
      return null;
    }
    cur.i++;
    cur.space();
    if (cur.i >= cur.s.length) {
      return params; // a trailing ';' is common and harmless
    }
    const name = cur.token();
    cur.space();
    if (name === null || cur.s[cur.i] !== '=') {
      return null;
    }
    cur.i++;
    cur.space();
    const value = cur.s[cur.i] === '"' ? cur.quoted() : cur.token();
    if (value === null) {
      return null;
    }
    const key = name.toLowerCase();
    if (!params.has(key)) {
      params.set(key, value);
    }
  }
}
