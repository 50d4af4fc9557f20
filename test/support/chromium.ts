// Launches Debian's Chromium through playwright-core for the renderer e2e tests: fake media
// devices (optionally a WAV file as the microphone), loopback ICE candidates without mDNS
// obfuscation, autoplay allowed, and no background traffic off the machine.
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface PhoneBrowserOptions {
  /** A WAV file Chromium plays as the microphone (looped). Default: Chromium's beep. */
  microphoneWav?: string;
  extraArgs?: string[];
}

/** The flags every phone browser gets. */
export function phoneBrowserArgs(opts: PhoneBrowserOptions = {}): string[] {
  return [
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    ...(opts.microphoneWav ? [`--use-file-for-fake-audio-capture=${opts.microphoneWav}`] : []),
    '--allow-loopback-in-peer-connection',
    '--disable-features=WebRtcHideLocalIpsWithMdns',
    '--autoplay-policy=no-user-gesture-required',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    ...(opts.extraArgs ?? []),
  ];
}

/** A headless Chromium for phone pages. */
export function launchPhoneBrowser(opts: PhoneBrowserOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: phoneBrowserArgs(opts),
  });
}
