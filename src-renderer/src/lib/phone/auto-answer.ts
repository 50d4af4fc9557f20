// Reads a caller's request to be answered automatically (intercom / paging), as PBXs send it:
// Call-Info ";answer-after=N" (RFC 7462 style, Asterisk, FreeSWITCH, Polycom), Alert-Info
// "info=alert-autoanswer" (Broadsoft/Cisco) or "info=intercom", and Alert-Info "Auto Answer"
// (Snom/Yealink). Whether it is honoured is the account's setting, decided by the state layer.

/** The delay in seconds the caller asks for (0 = at once), or null when it asks for nothing. */
export function autoAnswerDelay(
  callInfo: readonly string[],
  alertInfo: readonly string[],
): number | null {
  for (const value of callInfo) {
    const match = /;\s*answer-after\s*(?:=\s*"?(\d{1,3})"?)?/i.exec(value);
    if (match) {
      return clamp(Number(match[1] ?? 0));
    }
  }
  for (const value of alertInfo) {
    if (/info\s*=\s*(alert-autoanswer|intercom|autoanswer)|\bauto[- ]?answer\b/i.test(value)) {
      const delay = /;\s*delay\s*=\s*(\d{1,3})/i.exec(value)?.[1];
      return clamp(Number(delay ?? 0));
    }
  }
  return null;
}

function clamp(seconds: number): number {
  return Math.min(60, Math.max(0, Number.isFinite(seconds) ? seconds : 0));
}
