// The window badge (issue 14) against fakes that behave as Electron 45 documents per OS
// (electron.d.ts 45.4.1): app.setBadgeCount exists on macOS and Linux only (@platform
// linux,darwin) and BrowserWindow.setOverlayIcon on Windows only (@platform win32); a fake
// throws when the other one is used, as calling an API Electron does not define there would.
import { describe, expect, it } from 'vitest';
import { badgeDescription, overlayBitmap, WindowBadge } from '../../../src-main/badge/window-badge';

function setup(platform: NodeJS.Platform) {
  const counts: number[] = [];
  const overlays: { bitmap: Uint8Array | null; description: string }[] = [];
  const badge = new WindowBadge({
    platform,
    setBadgeCount: (count) => {
      if (platform === 'win32') {
        throw new TypeError('app.setBadgeCount is not a function');
      }
      counts.push(count);
      return platform === 'darwin';
    },
    setOverlay: (bitmap, description) => {
      if (platform !== 'win32') {
        throw new TypeError('win.setOverlayIcon is not a function');
      }
      overlays.push({ bitmap, description });
    },
  });
  return { badge, counts, overlays };
}

const pixel = (bitmap: Uint8Array, x: number, y: number): number[] => [
  ...bitmap.slice((y * 16 + x) * 4, (y * 16 + x) * 4 + 4),
];
const RED = [0x2e, 0x22, 0xcf, 255];
const WHITE = [255, 255, 255, 255];

describe('window badge', () => {
  it.each(['darwin', 'linux'] as const)(
    '%s: the Dock/launcher count is unread messages plus missed calls, redrawn only on change',
    (platform) => {
      const { badge, counts } = setup(platform);
      badge.update({ unreadMessages: 2, missedCount: 1 });
      badge.update({ unreadMessages: 2, missedCount: 1 });
      badge.update({ unreadMessages: 0, missedCount: 0 });
      expect(counts).toEqual([3, 0]);
    },
  );

  it('Windows: a taskbar overlay with the count and a sentence; none at 0', () => {
    const { badge, overlays } = setup('win32');
    badge.update({ unreadMessages: 2, missedCount: 1 });
    badge.update({ unreadMessages: 0, missedCount: 0 });
    expect(overlays.map((o) => o.description)).toEqual(['2 unread messages, 1 missed call', '']);
    expect(overlays[0]!.bitmap).toEqual(overlayBitmap(3));
    expect(overlays[1]!.bitmap).toBeNull();
  });

  it('the overlay is a red disc with the digit in white; 10 and more show "+"', () => {
    const three = overlayBitmap(3);
    expect(three.length).toBe(16 * 16 * 4);
    expect(pixel(three, 0, 0)[3]).toBe(0);
    expect(pixel(three, 2, 8)).toEqual(RED);
    // Top row of the 3 × 5 glyph, drawn 2 × 2 from (5, 3): "###".
    expect([5, 7, 9].map((x) => pixel(three, x, 3))).toEqual([WHITE, WHITE, WHITE]);
    // Second row of "3" is "..#": left cell stays red.
    expect(pixel(three, 5, 5)).toEqual(RED);
    const eight = overlayBitmap(8);
    expect(pixel(eight, 5, 5)).toEqual(WHITE);
    expect(overlayBitmap(12)).toEqual(overlayBitmap(250));
    expect(overlayBitmap(12)).not.toEqual(overlayBitmap(9));
  });

  it('the description counts both kinds in words', () => {
    expect(badgeDescription({ unreadMessages: 1, missedCount: 0 })).toBe('1 unread message');
    expect(badgeDescription({ unreadMessages: 0, missedCount: 4 })).toBe('4 missed calls');
    expect(badgeDescription({ unreadMessages: 0, missedCount: 0 })).toBe('');
  });
});
