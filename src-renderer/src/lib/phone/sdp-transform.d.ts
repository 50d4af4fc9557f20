// The part of sdp-transform (JsSIP's SDP parser, untyped) that jssip-sessions.ts names.
declare module 'sdp-transform' {
  /** Parses an SDP body into its session description object. */
  export function parse(sdp: string): Record<string, unknown>;
  /** Writes a session description object as SDP. */
  export function write(session: Record<string, unknown>): string;
}
