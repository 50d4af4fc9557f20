// Vite's typings for asset imports (`?url`, `?inline`, `?worker&url`) used by the lazily loaded
// audio modules (recording worklet, consent notice, RNNoise).
/// <reference types="vite/client" />
