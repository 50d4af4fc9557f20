// Vite's typings for asset imports (`?url`, `?inline`, `?worker&url`) used by the lazily loaded
// audio modules (recording worklet, consent notice, RNNoise).
/// <reference types="vite/client" />

/** A file's bytes as base64 (scripts/vite/inline-binary.ts). */
declare module '*?base64' {
  const base64: string;
  export default base64;
}
