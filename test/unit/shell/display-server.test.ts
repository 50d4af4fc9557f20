// Native Wayland or not: Electron 38+ defaults to --ozone-platform-hint=auto, so a Wayland
// session runs natively unless x11 is forced by switch or ELECTRON_OZONE_PLATFORM_HINT.
import { describe, expect, it } from 'vitest';
import { isNativeWayland } from '../../../src-main/windows/display-server';

const switches =
  (values: Record<string, string> = {}) =>
  (name: string): string =>
    values[name] ?? '';

describe('isNativeWayland', () => {
  it('a Wayland session on Linux: native by default', () => {
    expect(isNativeWayland('linux', { XDG_SESSION_TYPE: 'wayland' }, switches())).toBe(true);
    expect(isNativeWayland('linux', { WAYLAND_DISPLAY: 'wayland-0' }, switches())).toBe(true);
  });

  it('X11 sessions, other OSes and forced x11 are not', () => {
    expect(isNativeWayland('linux', { XDG_SESSION_TYPE: 'x11', DISPLAY: ':0' }, switches())).toBe(
      false,
    );
    expect(isNativeWayland('darwin', { WAYLAND_DISPLAY: 'w' }, switches())).toBe(false);
    const wayland = { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0' };
    expect(isNativeWayland('linux', wayland, switches({ 'ozone-platform': 'x11' }))).toBe(false);
    expect(isNativeWayland('linux', wayland, switches({ 'ozone-platform-hint': 'x11' }))).toBe(
      false,
    );
    expect(
      isNativeWayland('linux', { ...wayland, ELECTRON_OZONE_PLATFORM_HINT: 'x11' }, switches()),
    ).toBe(false);
  });

  it('--ozone-platform=wayland forces it', () => {
    expect(isNativeWayland('linux', {}, switches({ 'ozone-platform': 'wayland' }))).toBe(true);
  });
});
