// Draws the tray icons from a few anti-aliased shapes (a handset, discs, rings, bars, waves) in
// a 16-unit square, at any pixel size. Colour icons are a state-coloured disc with a white
// glyph; macOS template icons are black + alpha, so their states differ by shape, not colour.
import type { TrayState } from '../../src-main/tray/tray-states';
import type { RgbaImage } from '../lib/png';

type Rgba = readonly [number, number, number, number];
type Inside = (x: number, y: number) => boolean;
/** A painting step: fill the shape with a colour, or clear it (cut out). */
type Step = { shape: Inside; color: Rgba | 'clear' };

const WHITE: Rgba = [255, 255, 255, 255];
const BLACK: Rgba = [0, 0, 0, 255];
const RED: Rgba = [214, 48, 49, 255];

const COLORS: Record<TrayState, Rgba> = {
  offline: [128, 134, 144, 255],
  connecting: [224, 150, 0, 255],
  registered: [40, 160, 80, 255],
  ringing: [32, 110, 214, 255],
  'in-call': [20, 128, 60, 255],
  dnd: [214, 48, 49, 255],
  missed: [40, 160, 80, 255],
  voicemail: [112, 72, 196, 255],
  recording: [20, 128, 60, 255],
};

const disc =
  (cx: number, cy: number, r: number): Inside =>
  (x, y) =>
    (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

const ring =
  (cx: number, cy: number, r: number, w: number): Inside =>
  (x, y) => {
    const d = Math.hypot(x - cx, y - cy);
    return d <= r && d >= r - w;
  };

function angleIn(a: number, from: number, to: number): boolean {
  const norm = (v: number): number => ((v % 360) + 360) % 360;
  const span = norm(to - from);
  return norm(a - from) <= span;
}

/** A ring segment from `from` to `to` degrees (clockwise, 0 = right, 90 = down). */
const arc =
  (cx: number, cy: number, r: number, w: number, from: number, to: number): Inside =>
  (x, y) =>
    ring(cx, cy, r, w)(x, y) && angleIn((Math.atan2(y - cy, x - cx) * 180) / Math.PI, from, to);

const rect =
  (x0: number, y0: number, x1: number, y1: number): Inside =>
  (x, y) =>
    x >= x0 && x <= x1 && y >= y0 && y <= y1;

const union =
  (...shapes: Inside[]): Inside =>
  (x, y) =>
    shapes.some((s) => s(x, y));

/** A thick line segment with round caps. */
function capsule(x1: number, y1: number, x2: number, y2: number, w: number): Inside {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len2 = dx * dx + dy * dy;
  return (x, y) => {
    const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / len2));
    return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy)) <= w / 2;
  };
}

/**
 * A telephone handset (the usual "call" glyph): earpiece upper left, mouthpiece lower right,
 * joined by a curve bowing to the lower left. `cx, cy` is the glyph's centre.
 */
function handset(cx: number, cy: number, scale: number): Inside {
  const ox = cx + 3.6 * scale;
  const oy = cy - 3.6 * scale;
  const r = 7.4 * scale;
  const at = (deg: number, radius: number): [number, number] => [
    ox + radius * Math.cos((deg * Math.PI) / 180),
    oy + radius * Math.sin((deg * Math.PI) / 180),
  ];
  const pad = (deg: number): Inside => {
    const [x1, y1] = at(deg, r + 0.4 * scale);
    const [x2, y2] = at(deg, r - 2.6 * scale);
    return capsule(x1, y1, x2, y2, 3.0 * scale);
  };
  return union(arc(ox, oy, r + 1.2 * scale, 2.4 * scale, 100, 170), pad(95), pad(175));
}

/** The voicemail symbol: two reels joined by the tape along their bottoms. */
function voicemailGlyph(): Inside {
  return union(ring(5, 8, 2.8, 1.4), ring(11, 8, 2.8, 1.4), rect(5, 9.5, 11, 10.8));
}

function steps(state: TrayState, template: boolean): Step[] {
  const glyph = handset(8, 8, 1);
  if (!template) {
    const base: Step[] = [{ shape: disc(8, 8, 7.5), color: COLORS[state] }];
    if (state === 'dnd') {
      return [...base, { shape: rect(3.5, 6.8, 12.5, 9.2), color: WHITE }];
    }
    if (state === 'voicemail') {
      return [...base, { shape: voicemailGlyph(), color: WHITE }];
    }
    const withGlyph: Step[] = [...base, { shape: glyph, color: WHITE }];
    if (state === 'missed') {
      return [
        ...withGlyph,
        { shape: disc(12.5, 3.5, 3.5), color: WHITE },
        { shape: disc(12.5, 3.5, 2.6), color: RED },
      ];
    }
    if (state === 'recording') {
      // In a call, with a red "REC" dot in a white ring (top right).
      return [
        ...withGlyph,
        { shape: disc(12.5, 3.5, 3.5), color: WHITE },
        { shape: disc(12.5, 3.5, 2.6), color: RED },
      ];
    }
    if (state === 'connecting') {
      return [
        ...base,
        { shape: ring(8, 8, 7.5, 1.6), color: [255, 214, 120, 255] },
        { shape: glyph, color: WHITE },
      ];
    }
    return withGlyph;
  }
  switch (state) {
    case 'offline':
      return [
        { shape: ring(8, 8, 7.5, 1.4), color: BLACK },
        { shape: handset(8, 8, 0.8), color: BLACK },
      ];
    case 'connecting':
      return [
        ...[0, 90, 180, 270].map((a) => ({
          shape: arc(8, 8, 7.5, 1.4, a + 10, a + 60),
          color: BLACK,
        })),
        { shape: handset(8, 8, 0.8), color: BLACK },
      ];
    case 'registered':
      return [
        { shape: disc(8, 8, 7.5), color: BLACK },
        { shape: glyph, color: 'clear' },
      ];
    case 'ringing':
      return [
        { shape: handset(7, 9, 1), color: BLACK },
        { shape: arc(7, 9, 6.2, 1.3, 280, 350), color: BLACK },
        { shape: arc(7, 9, 8.6, 1.3, 283, 347), color: BLACK },
      ];
    case 'in-call':
      return [
        { shape: handset(7, 8, 0.95), color: BLACK },
        { shape: rect(12, 6, 13.4, 10), color: BLACK },
        { shape: rect(14.4, 4, 15.8, 12), color: BLACK },
      ];
    case 'dnd':
      return [
        { shape: disc(8, 8, 7.5), color: BLACK },
        { shape: rect(3.5, 6.8, 12.5, 9.2), color: 'clear' },
      ];
    case 'recording':
      // The in-call handset with a solid dot where the in-call bars are.
      return [
        { shape: handset(7, 8, 0.95), color: BLACK },
        { shape: disc(13, 4, 2.8), color: BLACK },
      ];
    case 'missed':
      return [
        { shape: disc(8, 8, 7.5), color: BLACK },
        { shape: glyph, color: 'clear' },
        { shape: disc(12.5, 3.5, 3.6), color: 'clear' },
        { shape: disc(12.5, 3.5, 2.6), color: BLACK },
      ];
    case 'voicemail':
      return [
        { shape: disc(8, 8, 7.5), color: BLACK },
        { shape: voicemailGlyph(), color: 'clear' },
      ];
  }
}

const SUPERSAMPLE = 4;

/** Renders one icon at `size` pixels (16 or 32). */
export function drawTrayIcon(state: TrayState, size: number, template: boolean): RgbaImage {
  const plan = steps(state, template);
  const data = new Uint8Array(size * size * 4);
  const unit = 16 / size;
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      // Accumulate premultiplied colour over the subsamples, then un-premultiply.
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy += 1) {
        for (let sx = 0; sx < SUPERSAMPLE; sx += 1) {
          const x = (px + (sx + 0.5) / SUPERSAMPLE) * unit;
          const y = (py + (sy + 0.5) / SUPERSAMPLE) * unit;
          let pixel: Rgba = [0, 0, 0, 0];
          for (const step of plan) {
            if (step.shape(x, y)) {
              pixel = step.color === 'clear' ? [0, 0, 0, 0] : step.color;
            }
          }
          const alpha = pixel[3] / 255;
          r += pixel[0] * alpha;
          g += pixel[1] * alpha;
          b += pixel[2] * alpha;
          a += alpha;
        }
      }
      const i = (py * size + px) * 4;
      const n = SUPERSAMPLE * SUPERSAMPLE;
      data[i] = a > 0 ? Math.round(r / a) : 0;
      data[i + 1] = a > 0 ? Math.round(g / a) : 0;
      data[i + 2] = a > 0 ? Math.round(b / a) : 0;
      data[i + 3] = Math.round((a / n) * 255);
    }
  }
  return { width: size, height: size, data };
}

/** Every file the generator writes: name → image. */
export function allTrayIcons(states: readonly TrayState[]): Map<string, RgbaImage> {
  const files = new Map<string, RgbaImage>();
  for (const state of states) {
    for (const template of [false, true]) {
      const stem = template ? `${state}Template` : state;
      files.set(`${stem}.png`, drawTrayIcon(state, 16, template));
      files.set(`${stem}@2x.png`, drawTrayIcon(state, 32, template));
    }
  }
  return files;
}
