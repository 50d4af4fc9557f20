// Whether the app runs as a native Wayland client. Since Electron 38 the default Ozone platform
// hint is `auto`, so a Wayland session (XDG_SESSION_TYPE=wayland or WAYLAND_DISPLAY set) gets
// native Wayland unless `--ozone-platform=x11` or ELECTRON_OZONE_PLATFORM_HINT=x11 says
// otherwise. Under Wayland a window cannot position itself, stay on top or show inactive
// (BrowserWindow docs: "Not supported on Wayland"), which the incoming-call popup needs.

/** Reads one Chromium switch (Electron's app.commandLine.getSwitchValue). */
export type SwitchReader = (name: string) => string;

/** True for a native Wayland session on Linux. */
export function isNativeWayland(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  readSwitch: SwitchReader,
): boolean {
  if (platform !== 'linux') {
    return false;
  }
  const forced = readSwitch('ozone-platform');
  if (forced) {
    return forced === 'wayland';
  }
  const hint = readSwitch('ozone-platform-hint') || env.ELECTRON_OZONE_PLATFORM_HINT || 'auto';
  if (hint === 'x11') {
    return false;
  }
  const waylandSession = env.XDG_SESSION_TYPE === 'wayland' || Boolean(env.WAYLAND_DISPLAY);
  return (hint === 'wayland' || hint === 'auto') && waylandSession;
}
