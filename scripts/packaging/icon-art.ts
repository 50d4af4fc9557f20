// The app icon, drawn from signed distance functions: a white telephone handset on a green
// rounded square. Pure maths into an RGBA buffer, so it renders the same everywhere, offline,
// at any size; edges are anti-aliased from the distance field (one sample per pixel).
import type { RgbaImage } from '../lib/png';

/** Where the icon will be shown: macOS wants Apple's grid margin, the others a thin one. */
export type IconStyle = 'mac' | 'default';

interface Vec {
  x: number;
  y: number;
}

const TOP = [0x3c, 0xd6, 0x8c] as const; // background gradient, top
const BOTTOM = [0x0a, 0x8f, 0x5c] as const; // background gradient, bottom
const GLYPH = [0xff, 0xff, 0xff] as const;

// Handset geometry in "content units" (1 = side of the rounded square), handle horizontal,
// ear piece left, mouth piece right, pieces pointing down (+y, toward the face).
const HALF_SPAN = 0.235; // half the distance between the two ends of the handle
const ARCH = 0.085; // how far the handle bows up at its middle
const HANDLE = 0.1; // handle thickness
const PIECE_W = 0.165; // ear/mouth piece width (along the handle)
const PIECE_L = 0.19; // ear/mouth piece length (toward the face)
const PIECE_R = 0.05; // ear/mouth piece corner radius
const PIECE_TILT = 0.3; // radians the pieces lean outward
const BLEND = 0.035; // fillet radius where the pieces meet the handle

const CENTER_Y = (HALF_SPAN * HALF_SPAN - ARCH * ARCH) / (2 * ARCH); // circle centre below
const RADIUS = CENTER_Y + ARCH;

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** Polynomial smooth minimum: unions two shapes with a fillet of size k. */
function smoothMin(a: number, b: number, k: number): number {
  const h = clamp01(0.5 + (0.5 * (b - a)) / k);
  return b + (a - b) * h - k * h * (1 - h);
}

/** Signed distance to a rounded box of half-size (hx, hy) and corner radius r at the origin. */
function sdRoundBox(p: Vec, hx: number, hy: number, r: number): number {
  const qx = Math.abs(p.x) - hx + r;
  const qy = Math.abs(p.y) - hy + r;
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - r;
}

/** The handle: an arc of the circle through both ends and the apex, with round caps. */
function sdHandle(p: Vec): number {
  const ends = [
    { x: -HALF_SPAN, y: 0 },
    { x: HALF_SPAN, y: 0 },
  ];
  const dx = p.x;
  const dy = p.y - CENTER_Y;
  const endAngle = Math.atan2(HALF_SPAN, CENTER_Y); // angle of an end from straight up
  const angle = Math.atan2(Math.abs(dx), -dy);
  if (angle <= endAngle) {
    return Math.abs(Math.hypot(dx, dy) - RADIUS) - HANDLE / 2;
  }
  return Math.min(...ends.map((e) => Math.hypot(p.x - e.x, p.y - e.y))) - HANDLE / 2;
}

/** One ear/mouth piece hanging from an end of the handle, leaning outward. */
function sdPiece(p: Vec, side: -1 | 1): number {
  const tilt = side * PIECE_TILT;
  const cx = side * HALF_SPAN + Math.sin(tilt) * (PIECE_L / 2 - HANDLE / 2);
  const cy = Math.cos(tilt) * (PIECE_L / 2 - HANDLE / 2);
  const lx = p.x - cx;
  const ly = p.y - cy;
  const c = Math.cos(tilt);
  const s = Math.sin(tilt);
  return sdRoundBox({ x: c * lx + s * ly, y: -s * lx + c * ly }, PIECE_W / 2, PIECE_L / 2, PIECE_R);
}

/** The glyph in icon content space: centred, turned so the ear piece is up-left. */
function sdGlyph(q: Vec): number {
  // Local x runs from upper-left to lower-right, local +y (the face) points up-right.
  const x = (q.x + q.y) / Math.SQRT2;
  const y = (q.x - q.y) / Math.SQRT2;
  const local = { x, y: y + 0.06 }; // shift so the glyph's visual centre sits in the middle
  const pieces = Math.min(sdPiece(local, -1), sdPiece(local, 1));
  return smoothMin(sdHandle(local), pieces, BLEND);
}

function layout(size: number, style: IconStyle): { margin: number; radius: number } {
  if (style === 'mac') {
    // Apple's macOS icon grid: an 824 px rounded square centred on a 1024 px canvas.
    return { margin: 100 / 1024, radius: 0.2237 };
  }
  // Small sizes use the whole canvas so the glyph stays legible.
  return { margin: size <= 32 ? 0 : 0.04, radius: size <= 32 ? 0.18 : 0.2 };
}

/** Renders the app icon as a size x size RGBA image. */
export function renderAppIcon(size: number, style: IconStyle = 'default'): RgbaImage {
  const { margin, radius } = layout(size, style);
  const side = 1 - 2 * margin; // rounded square side, in canvas units
  const px = 1 / (size * side); // one pixel, in content units
  // Thin strokes vanish at 16-32 px: thicken the glyph by up to half a pixel there.
  const grow = size <= 32 ? 0.45 * px : 0;
  const data = new Uint8Array(size * size * 4);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      // Pixel centre in content units, origin at the centre of the rounded square.
      const cx = ((i + 0.5) / size - 0.5) / side;
      const cy = ((j + 0.5) / size - 0.5) / side;
      const bg = clamp01(0.5 - sdRoundBox({ x: cx, y: cy }, 0.5, 0.5, radius) / px);
      const fg = clamp01(0.5 - (sdGlyph({ x: cx, y: cy }) - grow) / px) * bg;
      const t = clamp01(cy + 0.5);
      const o = (j * size + i) * 4;
      for (let k = 0; k < 3; k++) {
        const back = TOP[k]! + (BOTTOM[k]! - TOP[k]!) * t;
        data[o + k] = Math.round(back + (GLYPH[k]! - back) * fg);
      }
      data[o + 3] = Math.round(bg * 255);
    }
  }
  return { width: size, height: size, data };
}
