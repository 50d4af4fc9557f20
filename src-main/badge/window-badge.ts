// The window badge: how many things wait for the user (unread chat messages plus missed calls),
// on the app icon where the OS has a badge. Per Electron 45 (electron.d.ts of 45.4.1):
//   - macOS: app.setBadgeCount(n) shows n on the Dock icon (needs notification permission);
//   - Linux: app.setBadgeCount(n) reaches docks and taskbars that speak the LauncherEntry D-Bus
//     API (Ubuntu Dock, Plank, KDE), matched by the .desktop file name (package.json
//     desktopName); elsewhere it returns false and nothing shows — the tray still says it;
//   - Windows: app.setBadgeCount is not available (@platform linux,darwin); a 16 × 16 overlay on
//     the taskbar button (BrowserWindow.setOverlayIcon, @platform win32) shows the number, with
//     a sentence for screen readers.
// Only a count is ever shown: no name or text from the network reaches the badge.

/** What the badge needs of Electron. */
export interface BadgeDeps {
  platform: NodeJS.Platform;
  /** app.setBadgeCount (macOS, Linux). */
  setBadgeCount(count: number): boolean;
  /** The main window's setOverlayIcon (Windows); `bitmap` null removes the overlay. */
  setOverlay(bitmap: Uint8Array | null, description: string): void;
}

/** The counts the badge is made of. */
export interface BadgeCounts {
  unreadMessages: number;
  missedCount: number;
}

const SIZE = 16;
// 3 × 5 digits, one string per row, '#' = set.
const GLYPHS: Record<string, string[]> = {
  '0': ['###', '#.#', '#.#', '#.#', '###'],
  '1': ['.#.', '##.', '.#.', '.#.', '###'],
  '2': ['###', '..#', '###', '#..', '###'],
  '3': ['###', '..#', '.##', '..#', '###'],
  '4': ['#.#', '#.#', '###', '..#', '..#'],
  '5': ['###', '#..', '###', '..#', '###'],
  '6': ['###', '#..', '###', '#.#', '###'],
  '7': ['###', '..#', '.#.', '.#.', '.#.'],
  '8': ['###', '#.#', '###', '#.#', '###'],
  '9': ['###', '#.#', '###', '..#', '###'],
  '+': ['...', '.#.', '###', '.#.', '...'],
};

/** The sentence read for the badge, or '' for none. */
export function badgeDescription(counts: BadgeCounts): string {
  const parts: string[] = [];
  if (counts.unreadMessages > 0) {
    parts.push(
      counts.unreadMessages === 1 ? '1 unread message' : `${counts.unreadMessages} unread messages`,
    );
  }
  if (counts.missedCount > 0) {
    parts.push(counts.missedCount === 1 ? '1 missed call' : `${counts.missedCount} missed calls`);
  }
  return parts.join(', ');
}

/**
 * A 16 × 16 BGRA bitmap (the byte order nativeImage.createFromBitmap takes on Windows): a red
 * disc with the count in white, 1–9 as a digit, more as '+' (the description has the number).
 */
export function overlayBitmap(count: number): Uint8Array {
  const pixels = new Uint8Array(SIZE * SIZE * 4);
  const set = (x: number, y: number, [b, g, r]: [number, number, number]): void => {
    const at = (y * SIZE + x) * 4;
    pixels.set([b, g, r, 255], at);
  };
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      if ((x - 7.5) ** 2 + (y - 7.5) ** 2 <= 7.5 ** 2) {
        set(x, y, [0x2e, 0x22, 0xcf]);
      }
    }
  }
  const glyph = GLYPHS[count >= 1 && count <= 9 ? String(count) : '+'] ?? [];
  // Each glyph pixel is 2 × 2: the 6 × 10 glyph is centred.
  glyph.forEach((row, gy) => {
    [...row].forEach((cell, gx) => {
      if (cell === '#') {
        for (const [dx, dy] of [
          [0, 0],
          [1, 0],
          [0, 1],
          [1, 1],
        ] as const) {
          set(5 + gx * 2 + dx, 3 + gy * 2 + dy, [255, 255, 255]);
        }
      }
    });
  });
  return pixels;
}

export class WindowBadge {
  readonly #deps: BadgeDeps;
  #shown: string | null = null;

  constructor(deps: BadgeDeps) {
    this.#deps = deps;
  }

  /** Shows the counts (nothing is redrawn when they did not change). */
  update(counts: BadgeCounts): void {
    const total = Math.max(0, counts.unreadMessages) + Math.max(0, counts.missedCount);
    const description = badgeDescription(counts);
    const key = `${total}|${description}`;
    if (key === this.#shown) {
      return;
    }
    this.#shown = key;
    if (this.#deps.platform === 'win32') {
      this.#deps.setOverlay(total > 0 ? overlayBitmap(total) : null, description);
    } else {
      this.#deps.setBadgeCount(total);
    }
  }

  /** The total last shown (tests and diagnostics). */
  get shown(): number {
    return Number(this.#shown?.split('|')[0] ?? 0);
  }
}
